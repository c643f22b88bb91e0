import type { Trace } from './types.ts'

/** The canonical lower-case form `crypto.randomUUID()` produces; one spelling per trace. */
export const UID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Lower case so that `Ops` and `ops` cannot be two tags. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9._:-]*$/

export function isUid(value: unknown): value is string {
  return typeof value === 'string' && UID_PATTERN.test(value)
}

/** Sorted and unique: the stored form, so equal tag sets always serialise the same. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort()
}

/** A fresh object (and tags array) in wire order, so callers can never reach stored state. */
export function copyTrace(t: Trace): Trace {
  return {
    uid: t.uid,
    content: t.content,
    tags: [...t.tags],
    created_at: t.created_at,
    updated_at: t.updated_at,
    predecessor: t.predecessor,
    retired: t.retired,
    replay_count: t.replay_count,
    rev: t.rev,
    seq: t.seq,
  }
}
