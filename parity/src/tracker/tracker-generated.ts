import type { Tally } from '../model.ts'
import { codeSpan, escapeCell, splitCells, type TrackerRow, unescapeCell } from './tracker-row.ts'

/**
 * The generated blocks: status, parity summary, change-log line. They name a run, its date
 * and commit only when that run changed something (a row, or a component's numbers), so a
 * run with the same outcomes rewrites them byte-identically — on any day, at any commit.
 */

export interface SummaryRow extends Tally {
  readonly component: string
  /** When this row's numbers last changed: `2026-05-02 · `abc1234`` as written. */
  readonly lastChanged: string
}

const NUMBER_KEYS = ['cases', 'parity', 'known', 'divergent', 'errors'] as const

export function renderSummaryBlock(rows: readonly SummaryRow[]): string {
  if (rows.length === 0) return '\n_No parity run has updated this table yet._\n'
  const lines = [
    '| component | cases | parity | known | divergent | errors | last changed |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${escapeCell(r.component)} | ${NUMBER_KEYS.map((k) => r[k]).join(' | ')} | ${r.lastChanged} |`),
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
    rows.push({ component: cells[0] ?? '', cases, parity, known, divergent, errors, lastChanged: cells[6] ?? '' })
  }
  return rows
}

export function sameNumbers(a: SummaryRow | undefined, b: SummaryRow | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return NUMBER_KEYS.every((k) => a[k] === b[k])
}

export function changedCell(date: string, commit: string | undefined): string {
  return `${date} · ${commit === undefined ? 'commit unknown' : codeSpan(commit)}`
}

export interface LastChange {
  readonly runId: string
  readonly date: string
  readonly commit?: string
}

export interface StatusInfo {
  /** The run that last changed rows or summary numbers: its id, date and commit. */
  readonly lastChange: LastChange | undefined
  readonly rows: readonly Pick<TrackerRow, 'status'>[]
}

/** No refresh date or commit of its own: the block changes only with an outcome or a row status. */
export function renderStatusBlock(info: StatusInfo): string {
  const count = (s: TrackerRow['status']) => info.rows.filter((r) => r.status === s).length
  const c = info.lastChange
  const lines = [
    `- **Last change:** ${c === undefined ? 'none yet' : `run ${codeSpan(c.runId)} (${c.date}${c.commit === undefined ? '' : `, commit ${codeSpan(c.commit)}`})`}`,
    `- **Tracker:** ${count('new')} new (awaiting a decision), ${count('open')} open, ${count('accepted')} accepted, ${count('resolved')} resolved`,
  ]
  return `\n${lines.join('\n')}\n`
}

/** The last change recorded in an existing status block (this format or the older one without a commit), if any. */
export function parseLastChange(content: string): LastChange | undefined {
  const m = /\*\*Last change:\*\* run (`+) ?(.+?) ?\1 \((\d{4}-\d{2}-\d{2})(?:, commit (?:(`+) ?(.+?) ?\4|unknown))?\)/.exec(content)
  if (m?.[2] === undefined || m[3] === undefined) return undefined
  return { runId: m[2], date: m[3], ...(m[5] === undefined ? {} : { commit: m[5] }) }
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
