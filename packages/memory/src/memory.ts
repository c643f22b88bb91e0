import type { Journal, JournalRecord } from '@lakehouse/journal'
import { createKeyedMutex, kitErrors, type Logger } from '@lakehouse/kit'
import type { MemoryConfig } from './config.ts'
import { memoryErrors } from './errors.ts'
import { walkHistory } from './history.ts'
import { checkUid, createMemoryInputs } from './input.ts'
import {
  type AddRecordData,
  type KeyReplayRecordData,
  MEMORY_RECORD_KINDS,
  type RetireRecordData,
  type UpdateRecordData,
} from './records.ts'
import { applyRecord, type MemoryState } from './reducer.ts'
import { takeSnapshot } from './snapshot.ts'
import { copyTrace, isUid } from './trace.ts'
import type { AddResult, Memory, SearchResult, Trace } from './types.ts'

/** The domain with its inputs typed as what they are at the HTTP edge: unchecked. */
export interface MemoryCore extends Memory {
  add(input: unknown): Promise<AddResult>
  update(uid: string, input: unknown): Promise<Trace>
  revise(predecessor: string, input: unknown): Promise<Trace>
  search(input: unknown): SearchResult
  /** Lets in-flight writes and a running checkpoint finish, then refuses new writes. */
  close(): Promise<void>
}

export interface MemoryParts {
  readonly config: Readonly<MemoryConfig>
  readonly journal: Journal
  readonly logger: Logger
  readonly now: () => Date
  /** The rebuilt state; owned by the core from here on. */
  readonly state: MemoryState
  /** Records folded since the last checkpoint (the replayed tail), so the first one is not late. */
  readonly sinceCheckpoint: number
}

// One key: every write is serialised, so a check (key seen? rev matches? retired?) and the
// append that depends on it cannot interleave with another write.
const WRITES = 'memory'

/**
 * The domain. Each write checks, appends one record to the journal, and only once the journal
 * has acknowledged it (durable: written and fsynced) folds that same record into memory with
 * the replay reducer. A failed append rejects with the journal's Problem and leaves memory as
 * it was. Reads are synchronous over the folded state and return copies.
 */
export function createMemory(parts: MemoryParts): MemoryCore {
  const { config, journal, logger, now, state } = parts
  const inputs = createMemoryInputs(config)
  const writes = createKeyedMutex()
  let closed = false
  let sinceCheckpoint = parts.sinceCheckpoint
  let checkpointing: Promise<void> | undefined

  const lookup = (uid: string) => state.traces.get(uid)

  const closedProblem = () =>
    memoryErrors.problem('MEMORY_CLOSED', {
      detail: 'the memory service is shutting down',
      headers: { 'retry-after': String(config.retryAfterSeconds) },
    })

  const existing = (uid: string): Trace => {
    const trace = state.traces.get(uid)
    if (trace === undefined) throw memoryErrors.problem('MEMORY_NOT_FOUND', { detail: `no trace has uid ${uid}` })
    return trace
  }

  /**
   * Snapshots synchronously (so it matches `lastSeq` exactly) and writes it in the background:
   * the request that crossed the threshold is already durable and should not wait for a
   * snapshot of everything. A failed checkpoint costs only a longer replay, so it is logged,
   * not thrown, and retried after another `checkpointEvery` records.
   */
  const maybeCheckpoint = () => {
    if (config.checkpointEvery === 0 || sinceCheckpoint < config.checkpointEvery || checkpointing !== undefined) return
    sinceCheckpoint = 0
    const seq = state.lastSeq
    const snapshot = takeSnapshot(state)
    checkpointing = journal
      .checkpoint(seq, snapshot)
      .then(
        () => logger.info('memory checkpoint written', { seq, traces: snapshot.traces.length }),
        (err: unknown) => logger.error('memory checkpoint failed', { seq, err }),
      )
      .finally(() => {
        checkpointing = undefined
      })
  }

  /** Append, then fold. The reducer refusing a record the checks let through would be a bug here. */
  const commit = async (
    kind: string,
    data: AddRecordData | UpdateRecordData | RetireRecordData | KeyReplayRecordData,
  ): Promise<JournalRecord> => {
    const record = await journal.append(kind, data)
    const reason = applyRecord(state, record)
    sinceCheckpoint++
    maybeCheckpoint()
    if (reason !== undefined) {
      throw kitErrors.problem('INTERNAL', {
        detail: 'an unexpected error occurred; see the server log for this request id',
        cause: new Error(`memory could not fold its own ${kind} record at seq ${record.seq}: ${reason}`),
      })
    }
    return record
  }

  const write = <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(closedProblem())
    return writes.run(WRITES, () => {
      // Re-checked: a write queued behind others when close() began must not start.
      if (closed) throw closedProblem()
      return fn()
    })
  }

  const at = () => now().toISOString()

  return {
    async add(input) {
      const { content, tags, key } = inputs.add(input)
      return write(async () => {
        const seen = key === undefined ? undefined : state.keys.get(key)
        if (key !== undefined && seen !== undefined) {
          await commit(MEMORY_RECORD_KINDS.keyReplay, { uid: seen, key })
          return { status: 'existing', trace: copyTrace(existing(seen)) }
        }
        const uid = crypto.randomUUID()
        await commit(MEMORY_RECORD_KINDS.add, { uid, content, tags, predecessor: null, key: key ?? null, at: at() })
        return { status: 'created', trace: copyTrace(existing(uid)) }
      })
    },
    async update(uid, input) {
      checkUid(uid)
      const change = inputs.update(input)
      return write(async () => {
        const current = existing(uid)
        if (current.retired) throw memoryErrors.problem('MEMORY_RETIRED', { detail: `trace ${uid} is retired`, extensions: { uid } })
        if (change.expectedRev !== undefined && change.expectedRev !== current.rev) {
          throw memoryErrors.problem('MEMORY_REV_CONFLICT', {
            detail: `trace ${uid} is at rev ${current.rev}, not ${change.expectedRev}`,
            extensions: { uid, expected_rev: change.expectedRev, current_rev: current.rev },
          })
        }
        const content = change.content ?? current.content
        const tags = change.tags ?? [...current.tags]
        await commit(MEMORY_RECORD_KINDS.update, { uid, content, tags, at: at() })
        return copyTrace(existing(uid))
      })
    },
    async revise(predecessor, input) {
      checkUid(predecessor)
      const { content, tags } = inputs.revise(input)
      return write(async () => {
        const previous = state.traces.get(predecessor)
        if (previous === undefined) {
          throw memoryErrors.problem('MEMORY_PREDECESSOR_NOT_FOUND', {
            detail: `no trace has uid ${predecessor}`,
            extensions: { predecessor },
          })
        }
        const uid = crypto.randomUUID()
        await commit(MEMORY_RECORD_KINDS.add, { uid, content, tags: tags ?? [...previous.tags], predecessor, key: null, at: at() })
        return copyTrace(existing(uid))
      })
    },
    async retire(uid) {
      checkUid(uid)
      return write(async () => {
        if (!existing(uid).retired) await commit(MEMORY_RECORD_KINDS.retire, { uid, at: at() })
        return copyTrace(existing(uid))
      })
    },
    get(uid) {
      const trace = isUid(uid) ? state.traces.get(uid) : undefined
      return trace === undefined ? undefined : copyTrace(trace)
    },
    history(uid) {
      checkUid(uid)
      return walkHistory(existing(uid), lookup)
    },
    search(input) {
      const q = inputs.search(input)
      const matches = state.index.query({ tokens: q.tokens, tags: q.tags, includeRetired: q.includeRetired }, lookup)
      return { items: matches.slice(0, q.limit).map((m) => ({ score: m.score, trace: copyTrace(m.trace) })), total: matches.length }
    },
    stats() {
      const j = journal.stats()
      return {
        traces: state.traces.size,
        retired: state.retired,
        keys: state.keys.size,
        skipped_records: state.skipped,
        journal: { last_seq: j.last_seq, replayed: j.replayed, corrupt_skipped: j.corrupt_skipped, torn_tails: j.torn_tails },
      }
    },
    async close() {
      closed = true
      await writes.idle()
      await checkpointing
    },
  }
}
