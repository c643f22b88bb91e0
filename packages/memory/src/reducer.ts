import type { JournalRecord } from '@lakehouse/journal'
import { decodeRecord, MEMORY_RECORD_KINDS } from './records.ts'
import { createTraceIndex, type TraceIndex } from './search-index.ts'
import type { Trace } from './types.ts'

/**
 * Everything memory knows, as a fold over its journal records. Entries are frozen and
 * replaced on change, never edited, so a copy handed out earlier cannot drift.
 */
export interface MemoryState {
  readonly traces: Map<string, Trace>
  /** Idempotency key → uid of the trace it created. */
  readonly keys: Map<string, string>
  readonly index: TraceIndex
  retired: number
  /** Records that could not be folded (unknown kind, invalid data, out of order). */
  skipped: number
  /** Highest seq folded or skipped: the checkpoint watermark. */
  lastSeq: number
}

export function emptyState(): MemoryState {
  return { traces: new Map(), keys: new Map(), index: createTraceIndex(), retired: 0, skipped: 0, lastSeq: 0 }
}

/**
 * Folds one journal record into `state`: replay at start and every live write go through
 * here, so what a client was told and what a restart rebuilds cannot differ. Returns undefined
 * when applied, else the reason it was skipped (and counted). A record is checked in full
 * before anything changes, so a skipped record leaves no trace of itself.
 */
export function applyRecord(state: MemoryState, record: JournalRecord): string | undefined {
  const reason = fold(state, record)
  if (record.seq > state.lastSeq) state.lastSeq = record.seq
  if (reason !== undefined) state.skipped++
  return reason
}

function fold(state: MemoryState, record: JournalRecord): string | undefined {
  if (!Number.isSafeInteger(record.seq) || record.seq <= state.lastSeq) return `seq ${record.seq} is not above ${state.lastSeq}`
  const decoded = decodeRecord(record)
  if (typeof decoded === 'string') return decoded
  const { traces, keys } = state
  const current = traces.get(decoded.data.uid)
  switch (decoded.kind) {
    case MEMORY_RECORD_KINDS.add: {
      const d = decoded.data
      if (current !== undefined) return `uid ${d.uid} already exists`
      if (d.key !== null && keys.has(d.key)) return 'idempotency key already used by another trace'
      // The predecessor need not exist: it may sit in a record that was itself skipped, and
      // history reports that as a truncated chain rather than losing this trace too.
      const trace: Trace = Object.freeze({
        uid: d.uid,
        content: d.content,
        tags: Object.freeze(d.tags),
        created_at: d.at,
        updated_at: d.at,
        predecessor: d.predecessor,
        retired: false,
        replay_count: 0,
        rev: 1,
        seq: decoded.seq,
      })
      traces.set(trace.uid, trace)
      if (d.key !== null) keys.set(d.key, trace.uid)
      state.index.put(trace)
      return undefined
    }
    case MEMORY_RECORD_KINDS.update: {
      const d = decoded.data
      if (current === undefined) return `update of unknown uid ${d.uid}`
      if (current.retired) return `update of retired uid ${d.uid}`
      const next = Object.freeze({ ...current, content: d.content, tags: Object.freeze(d.tags), updated_at: d.at, rev: current.rev + 1 })
      traces.set(next.uid, next)
      state.index.put(next, current)
      return undefined
    }
    case MEMORY_RECORD_KINDS.retire: {
      if (current === undefined) return `retire of unknown uid ${decoded.data.uid}`
      // Retire is idempotent for callers, who are never made to write a second record; a
      // duplicate in the journal is harmless, so it folds as a no-op rather than a skip.
      if (current.retired) return undefined
      traces.set(current.uid, Object.freeze({ ...current, retired: true, updated_at: decoded.data.at }))
      state.retired++
      return undefined
    }
    default: {
      const d = decoded.data
      if (current === undefined) return `key replay of unknown uid ${d.uid}`
      if (keys.get(d.key) !== d.uid) return `key replay names a key that did not create uid ${d.uid}`
      traces.set(current.uid, Object.freeze({ ...current, replay_count: current.replay_count + 1 }))
      return undefined
    }
  }
}

/** Rebuilds state from snapshot parts (checked by the caller); the index is derived, not stored. */
export function restoreState(
  traces: readonly Trace[],
  keys: readonly (readonly [string, string])[],
  skipped: number,
  lastSeq: number,
): MemoryState {
  const state = emptyState()
  for (const t of [...traces].sort((a, b) => a.seq - b.seq)) {
    const trace = Object.freeze({ ...t, tags: Object.freeze([...t.tags]) })
    state.traces.set(trace.uid, trace)
    state.index.put(trace)
    if (trace.retired) state.retired++
  }
  for (const [key, uid] of keys) state.keys.set(key, uid)
  state.skipped = skipped
  state.lastSeq = lastSeq
  return state
}
