import type { Journal } from '@lakehouse/journal'
import type { Logger } from '@lakehouse/kit'
import { applyRecord, emptyState, type MemoryState } from './reducer.ts'
import { restoreSnapshot } from './snapshot.ts'

/** Skip reasons quoted in the one warning; the rest are only counted. */
const REASONS_LOGGED = 5

export interface RebuildResult {
  readonly state: MemoryState
  /** Seq of the checkpoint started from, or null for a full replay. */
  readonly checkpointSeq: number | null
  /** Records read after the checkpoint (folded or skipped). */
  readonly tail: number
}

/**
 * Rebuilds memory at start: the newest checkpoint if there is one, then every record after it
 * through the same reducer as live writes. Records that cannot be folded are skipped and
 * counted, and the first few reasons go out in a single warning, so one bad record never
 * blocks the rest and a bad journal does not flood the log. A journal that cannot be read
 * rejects with its own Problem, and the service does not start.
 */
export async function rebuild(journal: Journal, logger: Logger): Promise<RebuildResult> {
  const checkpoint = await journal.loadCheckpoint()
  const state = checkpoint === undefined ? emptyState() : restoreSnapshot(checkpoint)
  const skippedBefore = state.skipped
  const reasons: { seq: number; kind: string; reason: string }[] = []
  let tail = 0
  for await (const record of journal.replay({ after: state.lastSeq })) {
    tail++
    const reason = applyRecord(state, record)
    if (reason !== undefined && reasons.length < REASONS_LOGGED) reasons.push({ seq: record.seq, kind: record.kind, reason })
  }
  const skipped = state.skipped - skippedBefore
  if (skipped > 0) logger.warn('memory replay skipped records', { skipped, first: reasons })
  return { state, checkpointSeq: checkpoint?.seq ?? null, tail }
}
