import type { MatrixConfig } from './config.ts'
import { bodyChecksFor, FILTER_MEMBERS } from './input-check.ts'
import { normaliseQuery } from './query-text.ts'
import type { MatrixFilters } from './types.ts'

/** A checked search with every default applied: the canonical request the cache key is built from. */
export interface SearchRequest {
  /** Normalised (query-text.ts). */
  readonly query: string
  /** Unique names, sorted, so `['a','b']` and `['b','a']` are one search. */
  readonly corpora: readonly string[]
  readonly k: number
  readonly minScore: number
  readonly filters: MatrixFilters
  /** Unique ids, sorted. */
  readonly excludeIds: readonly string[]
  readonly usePlaybook: boolean
}

/**
 * Checks an untrusted search (HTTP body or direct call) against the search schema
 * (`searchRequestSchema`, 400 HTTP_INVALID_REQUEST) and returns an owned, canonical copy.
 */
export function parseSearchRequest(body: unknown, config: Readonly<MatrixConfig>): SearchRequest {
  const checked = bodyChecksFor(config).search(body)
  const filters: Record<string, string> = {}
  // Fixed member order, so the canonical request does not depend on the caller's key order.
  for (const key of FILTER_MEMBERS) {
    const value = checked.filters?.[key]
    if (value !== undefined) filters[key] = value
  }
  return {
    query: normaliseQuery(checked.query),
    corpora: [...new Set(checked.corpora ?? config.defaultCorpora)].sort(),
    k: checked.k ?? config.defaultK,
    minScore: checked.min_score ?? config.minScore,
    filters,
    excludeIds: [...new Set(checked.exclude_ids ?? [])].sort(),
    usePlaybook: checked.use_playbook ?? false,
  }
}
