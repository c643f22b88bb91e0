import { locateBlock } from './tracker-blocks.ts'
import type { TrackerRow } from './tracker-row.ts'
import { parseTable } from './tracker-table.ts'

/**
 * The rows of the decisions tracker. Needs only the tracker markers (the runner reads rows
 * at the start of every run, `--update-docs` or not); throws a TrackerFormatError naming
 * the marker or line when the block cannot be read.
 */
export function parseTracker(doc: string): { rows: TrackerRow[] } {
  return { rows: parseTable(doc, locateBlock(doc, 'tracker')).rows.map((r) => r.row) }
}
