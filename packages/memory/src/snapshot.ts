import type { Checkpoint } from '@lakehouse/journal'
import { memoryErrors } from './errors.ts'
import { type MemoryState, restoreState } from './reducer.ts'
import { copyTrace, isUid, TAG_PATTERN } from './trace.ts'
import type { Trace } from './types.ts'

/** Bumped when the shape changes; a reader refuses versions it does not know. */
export const SNAPSHOT_VERSION = 1

/** What memory hands to `journal.checkpoint`: the whole state at `lastSeq`, in plain JSON. */
export interface MemorySnapshot {
  readonly version: typeof SNAPSHOT_VERSION
  /** In seq order. */
  readonly traces: Trace[]
  /** [idempotency key, uid] pairs. */
  readonly keys: [string, string][]
  /** skipped_records so far, so a restart from the snapshot reports what a full replay would. */
  readonly skipped: number
}

export function takeSnapshot(state: MemoryState): MemorySnapshot {
  return {
    version: SNAPSHOT_VERSION,
    traces: [...state.traces.values()].sort((a, b) => a.seq - b.seq).map(copyTrace),
    keys: [...state.keys],
    skipped: state.skipped,
  }
}

const isCount = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min
const isText = (v: unknown): v is string => typeof v === 'string'

/** Why `t` is not a trace that could have been folded at or before `seq`, or undefined. */
function traceProblem(t: unknown, seq: number): string | undefined {
  if (typeof t !== 'object' || t === null) return 'not an object'
  const r = t as Record<string, unknown>
  if (!isUid(r.uid)) return 'uid'
  if (!isText(r.content)) return 'content'
  if (!Array.isArray(r.tags) || !r.tags.every((x) => isText(x) && TAG_PATTERN.test(x))) return 'tags'
  if (!isText(r.created_at) || !isText(r.updated_at)) return 'timestamps'
  if (r.predecessor !== null && !isUid(r.predecessor)) return 'predecessor'
  if (typeof r.retired !== 'boolean') return 'retired'
  if (!isCount(r.replay_count, 0) || !isCount(r.rev, 1)) return 'counters'
  if (!isCount(r.seq, 1) || r.seq > seq) return 'seq'
  return undefined
}

/**
 * Checks a checkpoint and rebuilds state from it. A snapshot this code cannot read is a boot
 * failure, not a reason to replay from 0: the segments it covers may already be archived, and
 * a silent partial rebuild would lose acknowledged traces.
 */
export function restoreSnapshot(checkpoint: Checkpoint): MemoryState {
  const invalid = (why: string) =>
    memoryErrors.problem('MEMORY_CHECKPOINT_INVALID', {
      detail: `the checkpoint at seq ${checkpoint.seq} is not a memory snapshot: ${why}`,
    })
  const s = checkpoint.state as Partial<Record<keyof MemorySnapshot, unknown>> | null
  if (!isCount(checkpoint.seq, 0)) throw invalid('seq is not a non-negative integer')
  if (typeof s !== 'object' || s === null) throw invalid('state is not an object')
  if (s.version !== SNAPSHOT_VERSION) throw invalid(`version ${JSON.stringify(s.version)} is not ${SNAPSHOT_VERSION}`)
  if (!Array.isArray(s.traces) || !Array.isArray(s.keys) || !isCount(s.skipped, 0)) throw invalid('traces, keys or skipped is missing')
  const uids = new Set<string>()
  s.traces.forEach((t: unknown, i) => {
    const problem = traceProblem(t, checkpoint.seq)
    if (problem !== undefined) throw invalid(`traces[${i}]: ${problem}`)
    const uid = (t as Trace).uid
    if (uids.has(uid)) throw invalid(`traces[${i}]: duplicate uid`)
    uids.add(uid)
  })
  s.keys.forEach((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || !isText(pair[0]) || !uids.has(pair[1])) throw invalid(`keys[${i}]`)
  })
  return restoreState(s.traces as Trace[], s.keys as [string, string][], s.skipped, checkpoint.seq)
}
