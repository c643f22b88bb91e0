import type { JournalRecord } from '@lakehouse/journal'
import { isUid, normaliseTags, TAG_PATTERN } from './trace.ts'

/**
 * The journal record kinds memory writes. Each carries everything needed to fold it, so replay
 * needs nothing but the records; the record's own `seq` orders history.
 */
export const MEMORY_RECORD_KINDS = Object.freeze({
  /** A new trace (Add, AddIdempotent's first call, Revise when `predecessor` is set). */
  add: 'memory.add',
  /** New content and tags for a trace (rev + 1). */
  update: 'memory.update',
  /** The trace leaves search. */
  retire: 'memory.retire',
  /** An Add repeated a seen idempotency key: replay_count + 1. */
  keyReplay: 'memory.key_replay',
} as const)

export type MemoryRecordKind = (typeof MEMORY_RECORD_KINDS)[keyof typeof MEMORY_RECORD_KINDS]

export interface AddRecordData {
  readonly uid: string
  readonly content: string
  readonly tags: readonly string[]
  readonly predecessor: string | null
  readonly key: string | null
  /** created_at = updated_at of the new trace. */
  readonly at: string
}

export interface UpdateRecordData {
  readonly uid: string
  /** The full content and tags after the update, not a diff, so a record folds on its own. */
  readonly content: string
  readonly tags: readonly string[]
  readonly at: string
}

export interface RetireRecordData {
  readonly uid: string
  readonly at: string
}

export interface KeyReplayRecordData {
  readonly uid: string
  readonly key: string
}

export type DecodedRecord =
  | { readonly kind: 'memory.add'; readonly seq: number; readonly data: AddRecordData }
  | { readonly kind: 'memory.update'; readonly seq: number; readonly data: UpdateRecordData }
  | { readonly kind: 'memory.retire'; readonly seq: number; readonly data: RetireRecordData }
  | { readonly kind: 'memory.key_replay'; readonly seq: number; readonly data: KeyReplayRecordData }

type Fields = Record<string, unknown>

// Shape checks only. Size limits are config and may have been lowered since a record was
// written; replay must not drop traces the service once acknowledged because of that.
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInstant = (v: unknown): v is string => typeof v === 'string' && v !== '' && !Number.isNaN(Date.parse(v))
const isTags = (v: unknown): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string' && TAG_PATTERN.test(t))

/**
 * Checks a record's data and returns an owned, typed copy, or the reason it cannot be folded.
 * Unknown extra members are ignored (a newer writer may add some).
 */
export function decodeRecord(record: JournalRecord): DecodedRecord | string {
  const { kind, seq, data: d } = record
  if (!Object.values<string>(MEMORY_RECORD_KINDS).includes(kind)) return `unknown kind ${JSON.stringify(kind)}`
  if (!isObject(d)) return 'data is not an object'
  if (!isUid(d.uid)) return 'data.uid is not a uid'
  switch (kind) {
    case MEMORY_RECORD_KINDS.add: {
      if (typeof d.content !== 'string') return 'data.content is not a string'
      if (!isTags(d.tags)) return 'data.tags is not a list of valid tags'
      if (d.predecessor !== null && !isUid(d.predecessor)) return 'data.predecessor is neither null nor a uid'
      if (d.key !== null && (typeof d.key !== 'string' || d.key === '')) return 'data.key is neither null nor a non-empty string'
      if (!isInstant(d.at)) return 'data.at is not a timestamp'
      const data = { uid: d.uid, content: d.content, tags: normaliseTags(d.tags), predecessor: d.predecessor, key: d.key, at: d.at }
      return { kind, seq, data }
    }
    case MEMORY_RECORD_KINDS.update: {
      if (typeof d.content !== 'string') return 'data.content is not a string'
      if (!isTags(d.tags)) return 'data.tags is not a list of valid tags'
      if (!isInstant(d.at)) return 'data.at is not a timestamp'
      return { kind, seq, data: { uid: d.uid, content: d.content, tags: normaliseTags(d.tags), at: d.at } }
    }
    case MEMORY_RECORD_KINDS.retire: {
      if (!isInstant(d.at)) return 'data.at is not a timestamp'
      return { kind, seq, data: { uid: d.uid, at: d.at } }
    }
    default: {
      if (typeof d.key !== 'string' || d.key === '') return 'data.key is not a non-empty string'
      return { kind: MEMORY_RECORD_KINDS.keyReplay, seq, data: { uid: d.uid, key: d.key } }
    }
  }
}
