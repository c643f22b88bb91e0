import type { MatrixSearchResponse } from './types.ts'

/** A finished answer: the frozen body for `search()` and its exact bytes for the handler. */
export interface CachedAnswer {
  readonly body: MatrixSearchResponse
  readonly text: string
  readonly usedPlaybook: boolean
}

export interface ResultCache {
  get(key: string): CachedAnswer | undefined
  set(key: string, answer: CachedAnswer): void
  /** Drops every answer that applied playbooks (a record may change them). */
  dropPlaybookAnswers(): void
  clear(): void
  readonly size: number
}

interface Entry {
  readonly answer: CachedAnswer
  readonly expiresAt: number
}

/**
 * LRU with a TTL. Map keeps insertion order, so re-inserting on a hit makes the first key the
 * least recently used. Expiry is checked on read; an expired entry that is never read again
 * simply ages out of the LRU. Capacity or TTL 0 turns it into a no-op.
 */
export function createResultCache(capacity: number, ttlMs: number, now: () => number): ResultCache {
  const map = new Map<string, Entry>()
  const enabled = capacity > 0 && ttlMs > 0
  return {
    get(key) {
      const entry = map.get(key)
      if (entry === undefined) return undefined
      map.delete(key)
      if (now() >= entry.expiresAt) return undefined
      map.set(key, entry)
      return entry.answer
    },
    set(key, answer) {
      if (!enabled) return
      map.delete(key)
      map.set(key, { answer, expiresAt: now() + ttlMs })
      while (map.size > capacity) {
        const oldest = map.keys().next()
        if (oldest.done === true) break
        map.delete(oldest.value)
      }
    },
    dropPlaybookAnswers() {
      for (const [key, entry] of map) if (entry.answer.usedPlaybook) map.delete(key)
    },
    clear() {
      map.clear()
    },
    get size() {
      return map.size
    },
  }
}
