import type { IndexState, Item } from './index-state.ts'
import type { FilterPredicate } from './metadata-filter.ts'
import { createTopK } from './top-k.ts'
import type { Hit } from './types.ts'
import { scorerFor } from './vector-math.ts'

/**
 * Search over one index. The graph only proposes candidates; every candidate is re-scored
 * exactly from the float32 rows, so a hit's score does not depend on the path that found it
 * (nor on the graph's quantisation), and ties break by id.
 *
 * Paths:
 *  - exact: indexes with at most `exactBelow` items, and any search the graph answers with
 *    fewer keys than it holds and was asked for (the Go port's HNSW library crashed on small
 *    indexes; this path never touches the graph);
 *  - graph: ask for `k + excluded` candidates (`2k + excluded` with a filter), scaled up by the
 *    share of dead nodes in the graph, drop dead, excluded and filtered-out ones, and while fewer than k survive, ask again for more, sized from the
 *    pass rate seen so far (at least doubling), until k survive or the whole graph was returned;
 *  - filtered exact scan: when the next request would exceed max(`annMaxFetch`, 4k) candidates — a filter
 *    passing roughly fewer than 1 in `annMaxFetch / k` items, or a very long exclude list — a
 *    brute-force scan of the items that pass is cheaper than walking that much of the graph.
 */

export interface SearchPlan {
  readonly query: Float32Array
  readonly k: number
  readonly exclude: ReadonlySet<string>
  readonly predicate: FilterPredicate | undefined
}

export interface SearchLimits {
  readonly exactBelow: number
  readonly annMaxFetch: number
}

export type SearchPath = 'exact' | 'graph' | 'filtered-scan' | 'fallback-scan'

export interface SearchOutcome {
  readonly hits: Hit[]
  readonly path: SearchPath
  /** Graph requests made (0 on the exact paths). */
  readonly rounds: number
}

type Candidate = { id: string; score: number; item: Item }

function toHits(entries: readonly Candidate[]): Hit[] {
  return entries.map(({ id, score, item }) => ({ id, score, metadata: item.metadata }))
}

function exactScan(state: IndexState, plan: SearchPlan, path: SearchPath, rounds: number): SearchOutcome {
  const score = scorerFor(state.spec.metric, plan.query)
  const top = createTopK<Candidate>(plan.k)
  for (const item of state.byId.values()) {
    if (plan.exclude.has(item.id)) continue
    if (plan.predicate !== undefined && !plan.predicate(item.metadata)) continue
    top.offer({ id: item.id, score: score(state.slab.page(item.row), state.slab.offset(item.row)), item })
  }
  return { hits: toHits(top.sorted()), path, rounds }
}

export function searchIndex(state: IndexState, plan: SearchPlan, limits: SearchLimits): SearchOutcome {
  const n = state.byId.size
  if (n === 0) return { hits: [], path: 'exact', rounds: 0 }
  if (n <= limits.exactBelow) return exactScan(state, plan, 'exact', 0)

  let excluded = 0
  for (const id of plan.exclude) if (state.byId.has(id)) excluded++
  // Counted from the graph itself: keys of an add still in progress are in the graph (and
  // skipped below) but not in the maps yet.
  const graphSize = state.graph.size()
  const score = scorerFor(state.spec.metric, plan.query)
  // Dead nodes (deleted or replaced items, until compaction) come back from the graph too, so
  // the first request is scaled by nodes per live item.
  const base = plan.k + excluded + (plan.predicate === undefined ? 0 : plan.k)
  let fetch = Math.min(graphSize, Math.ceil((base * graphSize) / n))
  // A large k legitimately needs many candidates, so the switch point grows with it.
  const maxFetch = Math.max(limits.annMaxFetch, 4 * plan.k)
  for (let rounds = 0; ; ) {
    if (fetch > maxFetch) return exactScan(state, plan, 'filtered-scan', rounds)
    const found = state.graph.search(plan.query, fetch)
    rounds++
    if (found.count < Math.min(fetch, graphSize)) return exactScan(state, plan, 'fallback-scan', rounds)
    const top = createTopK<Candidate>(plan.k)
    let passed = 0
    for (let i = 0; i < found.count; i++) {
      const item = state.byKey.get(Number(found.keys[i]))
      if (item === undefined || plan.exclude.has(item.id)) continue
      if (plan.predicate !== undefined && !plan.predicate(item.metadata)) continue
      passed++
      top.offer({ id: item.id, score: score(state.slab.page(item.row), state.slab.offset(item.row)), item })
    }
    if (passed >= plan.k || fetch >= graphSize) return { hits: toHits(top.sorted()), path: 'graph', rounds }
    // Candidates needed at the pass rate seen so far, with 50% headroom; at least double.
    const estimate = passed === 0 ? fetch * 4 : Math.ceil((plan.k * fetch * 1.5) / passed)
    fetch = Math.min(graphSize, Math.max(fetch * 2, estimate))
  }
}
