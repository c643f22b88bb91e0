import { type BlockSpan, lineOf, TrackerFormatError } from './tracker-blocks.ts'
import {
  escapeCell,
  joinCells,
  parseStatus,
  splitCells,
  TRACKER_COLUMNS,
  TRACKER_STATUSES,
  type TrackerRow,
  type TrackerStatus,
  trackedIdsIn,
  unescapeCell,
} from './tracker-row.ts'

/** A row with where it sits in the block, so edits can replace just its line. */
export interface LocatedRow {
  readonly row: TrackerRow
  /** Index into `TrackerTable.lines`. */
  readonly line: number
}

export interface TrackerTable {
  /** The block content split on `\n`; untouched lines are written back verbatim. */
  readonly lines: readonly string[]
  /** Index of the last table line (header, rule or row); -1 when the block has no table yet. */
  readonly lastTableLine: number
  readonly rows: readonly LocatedRow[]
}

export const TABLE_HEADER = `| ${TRACKER_COLUMNS.join(' | ')} |`
export const TABLE_RULE = `|${TRACKER_COLUMNS.map(() => '---').join('|')}|`

/**
 * Reads the tracker block: blank lines are allowed, every other line must be part of the
 * one 7-column table (header, rule, rows). A row the tool cannot read is an error naming
 * its line — guessing would risk marking the wrong decision resolved.
 */
export function parseTable(doc: string, span: BlockSpan): TrackerTable {
  const content = doc.slice(span.start, span.end)
  const lines = content.split('\n')
  const firstLine = lineOf(doc, span.start)
  const rows: LocatedRow[] = []
  let seen = 0
  let lastTableLine = -1
  lines.forEach((text, i) => {
    if (text.trim() === '') return
    const where = `line ${firstLine + i}`
    if (!text.trim().startsWith('|')) {
      throw new TrackerFormatError(
        'PARITY_TRACKER_ROW',
        `decisions tracker: ${where} inside the tracker block is not a table row: ${text.trim().slice(0, 60)}`,
      )
    }
    lastTableLine = i
    seen++
    const cells = splitCells(text)
    if (cells.length !== TRACKER_COLUMNS.length) {
      throw new TrackerFormatError(
        'PARITY_TRACKER_ROW',
        `decisions tracker: ${where} has ${cells.length} cells, expected ${TRACKER_COLUMNS.length} (${TRACKER_COLUMNS.join(', ')}); escape a literal | as \\|`,
      )
    }
    if (seen === 1) return // header
    if (seen === 2) {
      if (!cells.every((c) => /^\s*:?-{3,}:?\s*$/.test(c))) {
        throw new TrackerFormatError('PARITY_TRACKER_ROW', `decisions tracker: ${where} should be the table's |---| rule`)
      }
      return
    }
    const [id = '', area = '', finding = '', status = '', evidence = '', firstSeen = '', resolvedBy = ''] = cells.map(unescapeCell)
    const parsed = parseStatus(status)
    if (id === '') throw new TrackerFormatError('PARITY_TRACKER_ROW', `decisions tracker: ${where} has an empty id`)
    if (parsed === undefined) {
      throw new TrackerFormatError(
        'PARITY_TRACKER_ROW',
        `decisions tracker: row ${id} (${where}) has status "${status}", expected one of ${TRACKER_STATUSES.join(', ')}`,
      )
    }
    rows.push({
      row: { id, area, finding, status: parsed, evidence, firstSeen, resolvedBy, ids: trackedIdsIn(text) },
      line: i,
    })
  })
  if (seen === 1)
    throw new TrackerFormatError('PARITY_TRACKER_ROW', `decisions tracker: the table at line ${firstLine} has a header but no |---| rule`)
  return { lines, lastTableLine, rows }
}

/** The row's line with its status and resolved-by cells replaced; every other cell byte-for-byte. */
export function withStatus(line: string, status: TrackerStatus, resolvedBy: string): string {
  const indent = /^\s*/.exec(line)?.[0] ?? ''
  const cells = splitCells(line)
  cells[3] = ` ${status} `
  cells[6] = resolvedBy === '' ? ' ' : ` ${escapeCell(resolvedBy)} `
  return indent + joinCells(cells)
}

/**
 * The block content with row edits applied and new rows appended after the last table line
 * (a header and rule are written first when the block has no table yet).
 */
export function rebuildTable(table: TrackerTable, edits: ReadonlyMap<number, string>, appended: readonly string[]): string {
  const lines = table.lines.map((l, i) => edits.get(i) ?? l)
  if (appended.length === 0) return lines.join('\n')
  if (table.lastTableLine < 0) {
    // Keep the block's leading newline (marker on its own line) and trailing one.
    const head = lines.length > 1 ? lines.slice(0, -1) : ['']
    const tail = lines.length > 1 ? lines.slice(-1) : ['']
    return [...head.filter((l, i) => i === 0 || l.trim() !== ''), TABLE_HEADER, TABLE_RULE, ...appended, ...tail].join('\n')
  }
  lines.splice(table.lastTableLine + 1, 0, ...appended)
  return lines.join('\n')
}
