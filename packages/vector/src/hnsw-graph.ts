import { Index, MetricKind, ScalarKind } from 'usearch'
import type { GraphQuantization } from './config.ts'
import type { Metric } from './types.ts'

/**
 * The only file that touches usearch (2.25.3). Behaviours verified on Node 20 and Bun 1.4 that
 * the rest of the package relies on (test/usearch-behaviour.test.ts pins them):
 *  - `add` with a key already present throws "Duplicate keys not allowed"; a batch holding a
 *    duplicate is applied up to the duplicate. Keys are therefore never reused (a per-index
 *    counter) and batches are de-duplicated before they get here.
 *  - `remove` is never called. Its key table (an open-addressing hash set) never reclaims
 *    tombstones: under steady add/remove churn it runs out of empty slots, after which `remove`
 *    of a present key returns 0 or spins forever (seen after ~200 churn operations at 60 items),
 *    and graphs saved after removals and loaded again corrupted the heap once adds resumed.
 *    Deleted and replaced items stay in the graph as dead nodes that searches skip, and
 *    compaction.ts rebuilds the graph once dead nodes outnumber live ones.
 *  - `search` on an empty index returns no keys; with k > size it returns at most size keys.
 *  - `load` adopts the dimension and metric stored in the file whatever the index was built
 *    with, and a corrupt or truncated file can crash the process (SIGSEGV, heap corruption)
 *    instead of throwing, so files are verified against a checksum before `load` sees them.
 *  - `add`, `search`, `save` and `load` are synchronous: they block the event loop for their
 *    duration (a batch add runs on `threads` native threads meanwhile).
 */

export interface HnswParams {
  readonly connectivity: number
  readonly expansionAdd: number
  readonly expansionSearch: number
  readonly quantization: GraphQuantization
}

export interface GraphMatches {
  /** Keys nearest first, by usearch's own (possibly quantised) distance. */
  readonly keys: BigUint64Array
  readonly count: number
}

export interface Graph {
  /** Nodes in the graph, dead ones included (nothing is ever removed). */
  size(): number
  /** `vectors` is row-major, `keys.length × dim` floats. */
  add(keys: BigUint64Array, vectors: Float32Array, threads: number): void
  search(query: Float32Array, k: number): GraphMatches
  save(path: string): void
}

const METRIC_KINDS: Record<Metric, MetricKind> = { cos: MetricKind.Cos, ip: MetricKind.IP, l2sq: MetricKind.L2sq }
const SCALAR_KINDS: Record<GraphQuantization, ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, bf16: ScalarKind.BF16 }

function wrap(index: Index): Graph {
  return {
    size: () => index.size(),
    add(keys, vectors, threads) {
      index.add(keys, vectors, threads)
    },
    search(query, k) {
      if (k <= 0 || index.size() === 0) return { keys: new BigUint64Array(0), count: 0 }
      // One query is too small to split: extra threads would only be spawned and joined.
      const found = index.search(query, k, 1)
      return { keys: found.keys, count: found.keys.length }
    },
    save: (path) => index.save(path),
  }
}

function newIndex(dim: number, metric: Metric, params: HnswParams): Index {
  return new Index({
    dimensions: dim,
    metric: METRIC_KINDS[metric],
    quantization: SCALAR_KINDS[params.quantization],
    connectivity: params.connectivity,
    expansion_add: params.expansionAdd,
    expansion_search: params.expansionSearch,
    multi: false,
  })
}

export function createGraph(dim: number, metric: Metric, params: HnswParams): Graph {
  return wrap(newIndex(dim, metric, params))
}

/**
 * Loads a graph file that has already passed its checksum. Throws when the file describes
 * another dimension or size than expected (usearch would silently adopt it).
 */
export function loadGraph(path: string, dim: number, metric: Metric, params: HnswParams, expectedSize: number): Graph {
  const index = newIndex(dim, metric, params)
  index.load(path)
  if (index.dimensions() !== dim) throw new Error(`graph file has dimension ${index.dimensions()}, expected ${dim}`)
  if (index.size() !== expectedSize) throw new Error(`graph file holds ${index.size()} nodes, expected ${expectedSize}`)
  return wrap(index)
}
