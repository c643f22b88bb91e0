import { createGraph, type Graph, type HnswParams } from './hnsw-graph.ts'
import type { IndexSpec } from './index-spec.ts'
import type { IndexSource, Metadata } from './types.ts'
import { createVectorSlab, type VectorSlab } from './vector-slab.ts'

/**
 * One index in memory: the graph, the float32 rows, and the id ↔ key maps. External ids map to
 * usearch keys through a per-index counter; a key is never reused. The graph only ever grows:
 * a deleted or replaced item's node stays in it, dead (its key is no longer in `byKey`), until
 * compaction rebuilds the graph from the live items (see hnsw-graph.ts for why).
 */

export interface Item {
  readonly id: string
  readonly key: number
  readonly row: number
  readonly metadata: Metadata
}

export interface PreparedItem {
  readonly id: string
  /** Already checked for dimension and finiteness, and unit-length for `cos`. */
  readonly vector: Float32Array
  readonly metadata: Metadata
}

export interface IndexState {
  readonly spec: IndexSpec
  /** The parameters the graph was built with (persisted with it; config changes apply to new indexes). */
  readonly params: HnswParams
  graph: Graph
  readonly slab: VectorSlab
  readonly byId: Map<string, Item>
  readonly byKey: Map<number, Item>
  nextKey: number
  /** The dataset version the items were built from; persisted with the snapshot, not part of the spec. */
  source: IndexSource | undefined
  /** While a compaction runs: items committed meanwhile, which it adds to the new graph before swapping. */
  compacting: { readonly queue: Item[] } | undefined
}

export function createIndexState(spec: IndexSpec, params: HnswParams): IndexState {
  return {
    spec,
    params,
    graph: createGraph(spec.dim, spec.metric, params),
    slab: createVectorSlab(spec.dim),
    byId: new Map(),
    byKey: new Map(),
    nextKey: 1,
    source: undefined,
    compacting: undefined,
  }
}

export interface InsertOptions {
  readonly threads: number
  /** Vectors per synchronous graph insert; the event loop runs between chunks. */
  readonly chunk: number
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Inserts items' rows into `graph` under their keys, synchronously. */
export function addToGraph(graph: Graph, state: IndexState, items: readonly Item[], threads: number): void {
  if (items.length === 0) return
  const dim = state.spec.dim
  const flat = new Float32Array(items.length * dim)
  items.forEach((item, i) => {
    const offset = state.slab.offset(item.row)
    flat.set(state.slab.page(item.row).subarray(offset, offset + dim), i * dim)
  })
  graph.add(
    BigUint64Array.from(items, (item) => BigInt(item.key)),
    flat,
    threads,
  )
}

/**
 * Adds or replaces items; the last occurrence of a repeated id wins. The new vectors enter the
 * graph under fresh keys in chunks (searches in between do not see them: their keys are not in
 * `byKey` yet), then everything becomes visible at once. If the graph refuses a chunk, nothing
 * becomes visible; keys that did enter the graph are simply dead. Callers serialise inserts,
 * removals and compaction swaps of one index.
 */
export async function insertItems(
  state: IndexState,
  items: readonly PreparedItem[],
  options: InsertOptions,
): Promise<{ added: number; replaced: number }> {
  const last = new Map<string, PreparedItem>()
  for (const item of items) {
    last.delete(item.id)
    last.set(item.id, item)
  }
  const fresh: Item[] = [...last.values()].map((item) => ({
    id: item.id,
    key: state.nextKey++,
    row: state.slab.put(item.vector),
    metadata: item.metadata,
  }))
  try {
    for (let start = 0; start < fresh.length; start += options.chunk) {
      if (start > 0) await yieldToEventLoop()
      addToGraph(state.graph, state, fresh.slice(start, start + options.chunk), options.threads)
    }
  } catch (err) {
    for (const item of fresh) state.slab.free(item.row)
    throw err
  }
  let added = 0
  let replaced = 0
  for (const item of fresh) {
    const old = state.byId.get(item.id)
    if (old === undefined) added++
    else {
      replaced++
      state.byKey.delete(old.key)
      state.slab.free(old.row)
    }
    state.byId.set(item.id, item)
    state.byKey.set(item.key, item)
  }
  state.compacting?.queue.push(...fresh)
  return { added, replaced }
}

/** Removes one item; false when the id is not in the index. Its graph node turns dead. */
export function removeItem(state: IndexState, id: string): boolean {
  const item = state.byId.get(id)
  if (item === undefined) return false
  state.byId.delete(id)
  state.byKey.delete(item.key)
  state.slab.free(item.row)
  return true
}

/** Rebuilds the graph from the live rows, synchronously (at start, for a graph file that failed verification). */
export function rebuildGraph(state: IndexState, threads: number): void {
  const graph = createGraph(state.spec.dim, state.spec.metric, state.params)
  const items = [...state.byKey.values()]
  for (let start = 0; start < items.length; start += 4096) addToGraph(graph, state, items.slice(start, start + 4096), threads)
  state.graph = graph
}
