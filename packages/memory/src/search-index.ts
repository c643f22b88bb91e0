import type { Trace } from './types.ts'

// Letters and digits of any script; everything else separates words. Both V8 and
// JavaScriptCore implement Unicode property escapes, so the runtimes tokenise alike.
const WORD = /[\p{L}\p{N}]+/gu

/** Distinct lower-case word tokens of `text`, in first-seen order. */
export function tokenize(text: string): string[] {
  return [...new Set(text.toLowerCase().match(WORD) ?? [])]
}

export interface IndexQuery {
  /** Distinct tokens; empty for a tags-only search. */
  readonly tokens: readonly string[]
  readonly tags: readonly string[]
  readonly includeRetired: boolean
}

export interface IndexMatch {
  readonly score: number
  readonly trace: Trace
}

/**
 * Inverted indexes over the live traces (token → uids, tag → uids), so a search touches only
 * the traces that share a token or carry the rarest tag, never the whole store. Kept in step
 * by the reducer; rebuilt from the traces after a checkpoint restore (it is not persisted).
 */
export interface TraceIndex {
  /** Indexes a new trace, or moves an updated one off its previous content and tags. */
  put(trace: Trace, previous?: Trace): void
  query(q: IndexQuery, lookup: (uid: string) => Trace | undefined): IndexMatch[]
}

function link(map: Map<string, Set<string>>, key: string, uid: string): void {
  const set = map.get(key)
  if (set === undefined) map.set(key, new Set([uid]))
  else set.add(uid)
}

function unlink(map: Map<string, Set<string>>, key: string, uid: string): void {
  const set = map.get(key)
  if (set === undefined) return
  set.delete(uid)
  if (set.size === 0) map.delete(key)
}

const hasAll = (trace: Trace, tags: readonly string[]) => tags.every((t) => trace.tags.includes(t))

export function createTraceIndex(): TraceIndex {
  const byToken = new Map<string, Set<string>>()
  const byTag = new Map<string, Set<string>>()
  return {
    put(trace, previous) {
      if (previous !== undefined) {
        for (const t of tokenize(previous.content)) unlink(byToken, t, previous.uid)
        for (const t of previous.tags) unlink(byTag, t, previous.uid)
      }
      for (const t of tokenize(trace.content)) link(byToken, t, trace.uid)
      for (const t of trace.tags) link(byTag, t, trace.uid)
    },
    query(q, lookup) {
      const hits = new Map<string, number>()
      if (q.tokens.length > 0) {
        for (const token of q.tokens) {
          for (const uid of byToken.get(token) ?? []) hits.set(uid, (hits.get(uid) ?? 0) + 1)
        }
      } else {
        // Tags only: walk the smallest posting list and check the rest on each trace.
        let smallest: Set<string> | undefined
        for (const tag of q.tags) {
          const set = byTag.get(tag)
          if (set === undefined) return []
          if (smallest === undefined || set.size < smallest.size) smallest = set
        }
        for (const uid of smallest ?? []) hits.set(uid, q.tokens.length)
      }
      const out: IndexMatch[] = []
      for (const [uid, matched] of hits) {
        const trace = lookup(uid)
        if (trace === undefined || (trace.retired && !q.includeRetired) || !hasAll(trace, q.tags)) continue
        out.push({ score: q.tokens.length === 0 ? 1 : matched / q.tokens.length, trace })
      }
      return out.sort((a, b) => b.score - a.score || b.trace.seq - a.trace.seq)
    },
  }
}
