import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LoadReport } from '../model.ts'
import { renderJunitXml } from './junit-xml.ts'
import { renderReportHtml } from './report-html.ts'
import { renderSummaryMarkdown } from './summary-markdown.ts'

/** The files `writeReportFiles` writes, in the order a person opens them. */
export const LOAD_REPORT_FILES = ['report.html', 'summary.md', 'report.json', 'junit.xml'] as const

export type LoadReportFile = (typeof LOAD_REPORT_FILES)[number]

/** `report.json`: the report as it is, 2-space indent, final newline. */
export function renderReportJson(report: LoadReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

const RENDERERS: Readonly<Record<LoadReportFile, (report: LoadReport) => string>> = {
  'report.html': renderReportHtml,
  'summary.md': renderSummaryMarkdown,
  'report.json': renderReportJson,
  'junit.xml': renderJunitXml,
}

/**
 * Writes the four report files into `dir` (created with its parents) and returns their paths
 * in LOAD_REPORT_FILES order. Every file is rendered before the first is written, so a
 * renderer failure leaves nothing behind; each is written to a temporary name and renamed,
 * so a reader never sees half a file. Not fsynced: a report lost to a crash is re-run, not
 * recovered.
 */
export async function writeReportFiles(dir: string, report: LoadReport): Promise<string[]> {
  const rendered = LOAD_REPORT_FILES.map((name) => [name, RENDERERS[name](report)] as const)
  await mkdir(dir, { recursive: true })
  const paths: string[] = []
  for (const [name, text] of rendered) {
    const path = join(dir, name)
    const tmp = join(dir, `.${name}.${process.pid}.tmp`)
    await writeFile(tmp, text)
    await rename(tmp, path)
    paths.push(path)
  }
  return paths
}
