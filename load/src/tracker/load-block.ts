import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { writeFileAtomic } from '@lakehouse/kit'
import { appendToBlock, mdText, TRACKER_MARKERS } from '@lakehouse/parity'
import { compareTiers } from '../analysis/rounds.ts'
import type { LoadReport } from '../model.ts'
import { assertDisjoint, LOAD_MARKERS, locateMarkedBlock } from './blocks.ts'
import { modelLabel, renderLoadBlock, verdict } from './render-load-block.ts'

export interface LoadBlockOptions {
  /** The run's date, `YYYY-MM-DD` (the runner passes the finish date, UTC), as parity does. */
  readonly date: string
}

export interface LoadBlockUpdate {
  readonly doc: string
  /** False when `doc` is byte-identical to the input. */
  readonly changed: boolean
}

/**
 * `pnpm load --update-docs`: regenerates the load block of docs/ARCHITECTURE_COMPARISON.md
 * from the report and, only when that changed the block, appends one line to the change-log
 * block. Nothing outside the two blocks changes. Idempotent: the same report on the same
 * date returns the input unchanged. Throws parity's TrackerFormatError naming the marker when
 * a marker of either block is missing, garbled, duplicated, or the blocks overlap.
 */
export function updateLoadBlock(doc: string, report: LoadReport, options: LoadBlockOptions): LoadBlockUpdate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new TypeError(`updateLoadBlock: date must be YYYY-MM-DD, got ${options.date}`)
  const load = { ...locateMarkedBlock(doc, LOAD_MARKERS), markers: LOAD_MARKERS }
  const changelog = { ...locateMarkedBlock(doc, TRACKER_MARKERS.changelog), markers: TRACKER_MARKERS.changelog }
  assertDisjoint(doc, load, changelog)
  const content = renderLoadBlock(report, options.date)
  if (doc.slice(load.start, load.end) === content) return { doc, changed: false }
  const line = changeLogLine(report, options.date)
  const edits = [
    { span: load, text: content },
    { span: changelog, text: appendToBlock(doc.slice(changelog.start, changelog.end), line) },
  ].sort((a, b) => b.span.start - a.span.start)
  let out = doc
  // Right to left, so the earlier span's offsets stay valid.
  for (const e of edits) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end)
  return { doc: out, changed: true }
}

/** `- 2026-11-21 load `run`: mix reference, closed model, tiers 10/50/100, 3 rounds × 30 s; c=10: bun faster (+12.0 % ok/s, p=0.03); …` */
export function changeLogLine(report: LoadReport, date: string): string {
  const s = report.settings
  const comparisons = compareTiers(report.measurements, report.targets, report.mix.scenarios)
  const tiers = comparisons.map((c) => c.tier)
  const head = [
    `mix ${mdText(report.mix.name)}`,
    modelLabel(report),
    `tiers ${(tiers.length > 0 ? tiers : s.tiers).join('/')}`,
    `${s.rounds} round${s.rounds === 1 ? '' : 's'} × ${s.duration_s} s`,
    ...(report.merged_from === undefined ? [] : [`merged from ${report.merged_from.length} shards`]),
  ]
  const verdicts = comparisons.map((c) => `c=${c.tier}: ${verdict(c) ?? `${c.baseline} only`}`)
  const failed = report.thresholds.filter((t) => !t.pass).length
  const tail = [...verdicts, ...(failed > 0 ? [`${failed} threshold${failed === 1 ? '' : 's'} failed`] : [])]
  return `- ${date} load \`${report.run_id}\`: ${head.join(', ')}${tail.length > 0 ? `; ${tail.join('; ')}` : ''}`
}

/**
 * Reads the document, updates the load block and writes it back only when it changed.
 * Durability: written atomically — a crash leaves the old or the new document, never a torn one.
 */
export async function updateLoadTracker(path: string, report: LoadReport, options: LoadBlockOptions): Promise<LoadBlockUpdate> {
  const target = resolve(path)
  const update = updateLoadBlock(await readFile(target, 'utf8'), report, options)
  if (!update.changed) return update
  await writeFileAtomic(target, update.doc)
  return update
}
