import type { Hit, Metadata, MetadataValue } from '@lakehouse/vector'
import { resultKey } from './boost.ts'
import { roundScore } from './scores.ts'
import type { MatrixResult, PlaybookMark } from './types.ts'

export interface CorpusHits {
  readonly corpus: string
  readonly hits: readonly Hit[]
}

export interface RankOptions {
  readonly k: number
  readonly minScore: number
  readonly exclude: ReadonlySet<string>
  /** Playbook boosts by resultKey; absent when the search does not use playbooks. */
  readonly boosts?: ReadonlyMap<string, PlaybookMark>
}

// Code-unit order, not localeCompare: ICU versions differ between runtimes.
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** An owned copy: results are cached and frozen, and must not freeze or alias the index's own objects. */
function copyMetadata(metadata: Metadata): Metadata {
  const out: Record<string, MetadataValue> = {}
  for (const [k, v] of Object.entries(metadata)) out[k] = Array.isArray(v) ? Object.freeze([...v]) : v
  return Object.freeze(out)
}

/**
 * Merges per-corpus hits into one ranking: excluded ids dropped (again — the index was asked to
 * skip them, but "never returned" should not rest on every backend honouring it), boost added,
 * results under the floor dropped, then score descending with ties broken by corpus and id so
 * the order is total and the same on every run.
 */
export function rankResults(lists: readonly CorpusHits[], options: RankOptions): MatrixResult[] {
  const seen = new Set<string>()
  const ranked: { result: MatrixResult; score: number }[] = []
  for (const { corpus, hits } of lists) {
    for (const hit of hits) {
      const key = resultKey(corpus, hit.id)
      if (options.exclude.has(hit.id) || seen.has(key)) continue
      seen.add(key)
      const mark = options.boosts?.get(key)
      const score = roundScore(hit.score + (mark?.boost ?? 0))
      if (score < options.minScore) continue
      const result: MatrixResult =
        mark === undefined
          ? { id: hit.id, corpus, score, metadata: copyMetadata(hit.metadata ?? {}) }
          : { id: hit.id, corpus, score, metadata: copyMetadata(hit.metadata ?? {}), playbook: mark }
      ranked.push({ result, score })
    }
  }
  ranked.sort((a, b) => b.score - a.score || byCode(a.result.corpus, b.result.corpus) || byCode(a.result.id, b.result.id))
  return ranked.slice(0, options.k).map((r) => r.result)
}
