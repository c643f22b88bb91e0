import { scanFrames } from './frame.ts'
import type { JournalRecord } from './types.ts'

export interface ReplayCounters {
  replayed: number
  /** Bad regions in the middle of the log (not explained by a torn-tail note). */
  corruptSkipped: number
  /** Bad regions at the end of the newest segment, or noted as torn by the writer that followed. */
  tornTails: number
}

export interface SegmentFile {
  readonly seq: number
  readonly name: string
  readonly path: string
}

/**
 * Yields every intact record with seq > `after`, oldest segment first, skipping segments that
 * end at or before `after`. Seq must rise across the whole store; a record that does not is
 * treated as corrupt. Internal `journal.*` notes are consumed here, never yielded. Invalid
 * regions are classified once the whole store has been read, because the note explaining a
 * torn tail is written after it (possibly in the next segment).
 */
export async function* iterateStore(
  files: readonly SegmentFile[],
  after: number,
  counters: ReplayCounters,
  read: (path: string) => Promise<Buffer>,
): AsyncGenerator<JournalRecord> {
  const noted = new Set<string>()
  const regions: string[] = []
  let minSeq = 0
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as SegmentFile
    const next = files[i + 1]
    if (next !== undefined && next.seq - 1 <= after) continue
    const scan = scanFrames(await read(file.path), minSeq)
    for (const region of scan.invalid) regions.push(`${file.name}:${region.offset}`)
    if (scan.trailing !== undefined) {
      // The newest segment's tail is torn by definition (no caller was acknowledged for it).
      if (next === undefined) counters.tornTails++
      else regions.push(`${file.name}:${scan.trailing.offset}`)
    }
    for (const { record } of scan.records) {
      minSeq = record.seq
      if (record.kind === 'journal.torn_tail') {
        const d = record.data as { segment?: unknown; offset?: unknown }
        noted.add(`${String(d.segment)}:${String(d.offset)}`)
        continue
      }
      if (record.kind.startsWith('journal.')) continue
      if (record.seq <= after) continue
      counters.replayed++
      yield record
    }
  }
  for (const region of regions) {
    if (noted.has(region)) counters.tornTails++
    else counters.corruptSkipped++
  }
}
