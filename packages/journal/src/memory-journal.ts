import { journalErrors } from './errors.ts'
import {
  type AppendInput,
  type Checkpoint,
  type Journal,
  type JournalRecord,
  type JournalStats,
  RECORD_MAX_BYTES,
  type ReadResult,
} from './types.ts'

/**
 * An in-process Journal with the same contract minus durability, for component unit tests.
 * Records are deep-copied in and out (as the file journal's JSON round trip does), so a test
 * that mutates what it appended cannot pass by accident.
 */
export function createMemoryJournal(options: { readonly records?: readonly JournalRecord[] } = {}): Journal & {
  /** Everything appended so far (copies). */
  records(): JournalRecord[]
} {
  const records: JournalRecord[] = (options.records ?? []).map((r) => structuredClone(r))
  let seq = records.at(-1)?.seq ?? 0
  let checkpoint: Checkpoint | undefined
  let closed = false
  let appended = 0
  let commits = 0
  const frame = (item: AppendInput): JournalRecord => {
    const data = JSON.parse(JSON.stringify(item.data ?? null)) as unknown
    if (Buffer.byteLength(JSON.stringify(data)) > RECORD_MAX_BYTES) {
      throw journalErrors.problem('JOURNAL_RECORD_TOO_LARGE', { detail: `record of kind ${item.kind} is over ${RECORD_MAX_BYTES} bytes` })
    }
    return { seq: 0, kind: item.kind, at: new Date().toISOString(), writer: `${process.pid}:memory`, data }
  }
  const appendMany = async (items: readonly AppendInput[]): Promise<JournalRecord[]> => {
    if (closed) throw journalErrors.problem('JOURNAL_CLOSED')
    const framed = items.map(frame)
    const out = framed.map((r) => ({ ...r, seq: ++seq }))
    records.push(...out)
    appended += out.length
    commits++
    return out.map((r) => structuredClone(r))
  }
  return {
    dir: ':memory:',
    append: async (kind, data) => (await appendMany([{ kind, data }]))[0] as JournalRecord,
    appendMany,
    async *replay(opts) {
      const after = opts?.after ?? 0
      for (const r of records) if (r.seq > after) yield structuredClone(r)
    },
    async read(after, limit): Promise<ReadResult> {
      const out = records.filter((r) => r.seq > after).slice(0, limit)
      return { records: out.map((r) => structuredClone(r)), next: out.at(-1)?.seq ?? after, gap: false }
    },
    async checkpoint(at, state) {
      checkpoint = { seq: at, state: structuredClone(state) }
    },
    async loadCheckpoint<S>() {
      return checkpoint === undefined ? undefined : (structuredClone(checkpoint) as Checkpoint<S>)
    },
    stats(): JournalStats {
      return {
        dir: ':memory:',
        last_seq: seq,
        segments: 1,
        archived_segments: 0,
        appended,
        commits,
        replayed: records.length,
        corrupt_skipped: 0,
        torn_tails: 0,
        seq_repairs: 0,
        large_record_warnings: 0,
        checkpoint_seq: checkpoint?.seq ?? null,
      }
    },
    async close() {
      closed = true
    },
    records: () => records.map((r) => structuredClone(r)),
  }
}
