import type { Tally } from '../model.ts'
import { codeSpan, escapeCell, splitCells, type TrackerRow, unescapeCell } from './tracker-row.ts'

/**
 * The generated blocks: status, parity summary, change-log line. They hold nothing finer
 * than a date and name a run only when that run changed something, so re-running on the
 * same day and commit with the same outcome rewrites them byte-identically.
 */

export interface SummaryRow extends Tally {
  readonly component: string
  /** `2026-05-02 · `abc1234`` as written. */
  readonly lastVerified: string
}

const NUMBER_KEYS = ['cases', 'parity', 'known', 'divergent', 'errors'] as const

export function renderSummaryBlock(rows: readonly SummaryRow[]): string {
  if (rows.length === 0) return '\n_No parity run has updated this table yet._\n'
  const lines = [
    '| component | cases | parity | known | divergent | errors | last verified |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${escapeCell(r.component)} | ${NUMBER_KEYS.map((k) => r[k]).join(' | ')} | ${r.lastVerified} |`),
  ]
  return `\n${lines.join('\n')}\n`
}

/** Rows of an existing summary block; lines that are not a 7-cell data row are skipped (the block is regenerated anyway). */
export function parseSummaryBlock(content: string): SummaryRow[] {
  const rows: SummaryRow[] = []
  for (const line of content.split('\n')) {
    if (!line.trim().startsWith('|')) continue
    const cells = splitCells(line).map(unescapeCell)
    if (cells.length !== 7) continue
    const numbers = cells.slice(1, 6).map((c) => Number(c))
    if (numbers.some((n) => !Number.isInteger(n) || n < 0) || cells.slice(1, 6).some((c) => c === '')) continue
    const [cases = 0, parity = 0, known = 0, divergent = 0, errors = 0] = numbers
    rows.push({ component: cells[0] ?? '', cases, parity, known, divergent, errors, lastVerified: cells[6] ?? '' })
  }
  return rows
}

export function sameNumbers(a: SummaryRow | undefined, b: SummaryRow | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return NUMBER_KEYS.every((k) => a[k] === b[k])
}

export function verifiedCell(date: string, commit: string | undefined): string {
  return `${date} · ${commit === undefined ? 'commit unknown' : codeSpan(commit)}`
}

export interface StatusInfo {
  readonly date: string
  readonly commit: string | undefined
  /** The run that last changed rows or summary numbers, and its date. */
  readonly lastChange: { readonly runId: string; readonly date: string } | undefined
  readonly rows: readonly TrackerRow[]
}

export function renderStatusBlock(info: StatusInfo): string {
  const count = (s: TrackerRow['status']) => info.rows.filter((r) => r.status === s).length
  const lines = [
    `- **Last refresh:** ${info.date}, commit ${info.commit === undefined ? 'unknown' : codeSpan(info.commit)}`,
    `- **Last change:** ${info.lastChange === undefined ? 'none yet' : `run ${codeSpan(info.lastChange.runId)} (${info.lastChange.date})`}`,
    `- **Tracker:** ${count('open')} open, ${count('accepted')} accepted, ${count('resolved')} resolved`,
  ]
  return `\n${lines.join('\n')}\n`
}

/** The last change recorded in an existing status block, if any. */
export function parseLastChange(content: string): StatusInfo['lastChange'] {
  const m = /\*\*Last change:\*\* run (`+) ?(.+?) ?\1 \((\d{4}-\d{2}-\d{2})\)/.exec(content)
  return m?.[2] === undefined || m[3] === undefined ? undefined : { runId: m[2], date: m[3] }
}

export interface ChangeLogEntry {
  readonly date: string
  readonly runId: string
  readonly opened: number
  readonly resolved: number
  readonly reopened: number
  readonly tally: Tally
}

export function changeLogLine(e: ChangeLogEntry): string {
  const t = e.tally
  return `- ${e.date} ${codeSpan(e.runId)}: opened ${e.opened}, resolved ${e.resolved}, reopened ${e.reopened}; ${t.cases} cases, ${t.parity} parity, ${t.known} known, ${t.divergent} divergent`
}

/** Appends a line after the block's existing lines (newest last), keeping them verbatim. */
export function appendToBlock(content: string, line: string): string {
  const kept = content.replace(/\s+$/, '')
  return `${kept}\n${line}\n`
}
