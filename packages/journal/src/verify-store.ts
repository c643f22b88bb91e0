import { join } from 'node:path'
import { openJournal, STORE_LAYOUT } from './file-journal.ts'
import { listCheckpoints } from './segment-names.ts'
import { copyStore } from './store-copy.ts'
import type { AppendInput, FileLock, JournalRecord } from './types.ts'

/** What `verifyStore` found in one store. */
export interface StoreVerification {
  readonly store: string
  readonly records: number
  readonly last_seq: number
  readonly segments: number
  readonly archived: number
  readonly checkpoint_seq: number | null
  /** The newest checkpoint file verifies (CRC) and its seq is ≤ the last seq; true when there is none. */
  readonly checkpoint_ok: boolean
  readonly checkpoint_problem: string | undefined
  readonly torn: number
  readonly corrupt: number
  readonly rebuilt_records: number
  readonly differences: number
  readonly first_differences: readonly string[]
  readonly ok: boolean
}

/** Bytes of records per rebuild append (one write+fsync each). */
const REBUILD_CHUNK_BYTES = 1024 * 1024

const line = (r: Pick<JournalRecord, 'kind' | 'data'>) => `${r.kind} ${JSON.stringify(r.data)}`
const clip = (s: string | undefined) => (s === undefined ? '(absent)' : s.length > 80 ? `${s.slice(0, 77)}...` : s)

function diff(a: readonly JournalRecord[], b: readonly JournalRecord[]): { count: number; first: string[] } {
  let count = 0
  const first: string[] = []
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k] === undefined ? undefined : line(a[k] as JournalRecord)
    const y = b[k] === undefined ? undefined : line(b[k] as JournalRecord)
    if (x === y) continue
    count++
    if (first.length < 3) first.push(`#${k}: ${clip(x)} ≠ ${clip(y)}`)
  }
  return { count, first }
}

async function replayAll(dir: string, lock: FileLock) {
  const journal = await openJournal({ dir, lock })
  try {
    const records: JournalRecord[] = []
    for await (const r of journal.replay()) records.push(r)
    const checkpoint = await journal.loadCheckpoint()
    return { records, stats: journal.stats(), checkpoint }
  } finally {
    await journal.close()
  }
}

async function rebuild(dir: string, records: readonly JournalRecord[], lock: FileLock): Promise<void> {
  const journal = await openJournal({ dir, lock })
  try {
    let chunk: AppendInput[] = []
    let bytes = 0
    for (const r of records) {
      chunk.push({ kind: r.kind, data: r.data })
      bytes += JSON.stringify(r.data ?? null).length + 200
      if (bytes >= REBUILD_CHUNK_BYTES) {
        await journal.appendMany(chunk)
        chunk = []
        bytes = 0
      }
    }
    await journal.appendMany(chunk)
  } finally {
    await journal.close()
  }
}

/**
 * Verifies one store through a copy under `scratch` (which the caller removes; the live store
 * is only read): replays the copy, rebuilds it by appending every replayed record into a fresh
 * journal, replays that and diffs the two record lists; checks the newest checkpoint verifies
 * and is not ahead of the log (`lakehouse doctor --verify-journal`).
 */
export async function verifyStore(store: string, scratch: string, lock: FileLock): Promise<StoreVerification> {
  const copy = join(scratch, 'copy')
  const rebuilt = join(scratch, 'rebuilt')
  await copyStore(store, copy)
  const original = await replayAll(copy, lock)
  await rebuild(rebuilt, original.records, lock)
  const again = await replayAll(rebuilt, lock)
  const d = diff(original.records, again.records)
  const lastSeq = Math.max(original.stats.last_seq, original.records.at(-1)?.seq ?? 0)
  const newest = (await listCheckpoints(join(copy, STORE_LAYOUT.checkpoints))).at(-1)
  let checkpointProblem: string | undefined
  if (newest !== undefined && original.checkpoint?.seq !== newest.seq) {
    checkpointProblem = `the newest checkpoint ${newest.name} does not verify${original.checkpoint === undefined ? '' : ` (fell back to ${original.checkpoint.seq})`}`
  } else if (original.checkpoint !== undefined && original.checkpoint.seq > lastSeq) {
    checkpointProblem = `checkpoint seq ${original.checkpoint.seq} is ahead of the last seq ${lastSeq}`
  }
  const corrupt = original.stats.corrupt_skipped + again.stats.corrupt_skipped
  return {
    store,
    records: original.records.length,
    last_seq: lastSeq,
    segments: original.stats.segments,
    archived: original.stats.archived_segments,
    checkpoint_seq: newest?.seq ?? null,
    checkpoint_ok: checkpointProblem === undefined,
    checkpoint_problem: checkpointProblem,
    torn: original.stats.torn_tails,
    corrupt,
    rebuilt_records: again.records.length,
    differences: d.count,
    first_differences: d.first,
    ok: corrupt === 0 && d.count === 0 && checkpointProblem === undefined,
  }
}
