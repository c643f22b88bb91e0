import { createHash } from 'node:crypto'
import { encodeJson } from '@lakehouse/kit'
import type { SearchRequest } from './search-request.ts'

export interface CacheKeyState {
  /** `size` of each corpus, in `request.corpora` order, read before the search runs. */
  readonly sizes: readonly number[]
  /** For playbook searches: the playbook index size and the record generation (bumped on every record). */
  readonly playbook?: { readonly size: number; readonly generation: number }
}

/**
 * The canonical request (defaults applied, query normalised, lists sorted and de-duplicated,
 * filters in fixed member order) plus the state the answer depends on. Corpus sizes make an
 * add a miss without the cache having to hear about it; replacing an item in place keeps the
 * size, which is what bounds staleness by the TTL. The request is hashed because 10,000
 * excluded ids would make a 100 kB map key.
 */
export function searchCacheKey(request: SearchRequest, state: CacheKeyState): string {
  const canonical = [
    request.query,
    request.corpora.map((name, i) => [name, state.sizes[i] ?? -1]),
    request.k,
    request.minScore,
    request.filters,
    request.excludeIds,
    request.usePlaybook ? [state.playbook?.size ?? -1, state.playbook?.generation ?? -1] : null,
  ]
  return createHash('sha256').update(encodeJson(canonical)).digest('base64url')
}
