/**
 * The periodic rewrite of a shadow run's full reports, in slices: rendering shares the event
 * loop with the proxy, so each file is rendered in its own turn of the loop (the proxy answers
 * what arrived in between) and written without blocking (the disk's time is not the proxy's).
 * Each file still lands by rename, so a reader never sees half of one. The final rewrite at stop
 * uses the plain synchronous writer: nothing is left to answer then.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunReport } from '../model.ts'
import { type ReportContext, renderJunitXml, renderReportHtml, renderReportJson, renderSummaryMarkdown } from '../report/index.ts'

async function writeAtomicAsync(path: string, text: string): Promise<void> {
  // Its own temporary name: the synchronous writer's (`<path>.<pid>.tmp`) may run at stop while this one finishes.
  const tmp = `${path}.${process.pid}.slice.tmp`
  await writeFile(tmp, text)
  await rename(tmp, path)
}

/** Writes report.json, summary.md, report.html and junit.xml; resolves to the milliseconds spent rendering (the event loop's share). */
export async function writeReportsInSlices(dir: string, report: RunReport, context: ReportContext): Promise<number> {
  await mkdir(dir, { recursive: true })
  const files: [string, () => string][] = [
    ['report.json', () => renderReportJson(report)],
    ['summary.md', () => renderSummaryMarkdown(report, context)],
    ['report.html', () => renderReportHtml(report, context)],
    ['junit.xml', () => renderJunitXml(report)],
  ]
  let busy = 0
  for (const [name, render] of files) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    const t0 = performance.now()
    const text = render()
    busy += performance.now() - t0
    await writeAtomicAsync(join(dir, name), text)
  }
  return busy
}
