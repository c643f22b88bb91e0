import { type Check, HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, oneOf, resolveWith } from '@lakehouse/kit'

/** Scalar type usearch stores its copy of each vector in; exact scores always use the float32 copy kept in JS. */
export type GraphQuantization = 'f32' | 'f16' | 'bf16'

export interface VectorConfig extends HttpLimits {
  /** Most items one add may carry. */
  readonly maxBatch: number
  /** Largest `k` a search may ask for. */
  readonly maxK: number
  /** Most `exclude_ids` one search may carry. */
  readonly maxExcludeIds: number
  /** Longest item id, in code points (as the body schema's maxLength counts). */
  readonly maxIdLength: number
  /** Indexes holding at most this many items are searched by exact brute force, never through the graph. */
  readonly exactBelow: number
  /**
   * Largest candidate count asked of the graph in one search. When the filter pass rate seen so
   * far implies more than this, the search switches to an exact scan of the items that pass.
   */
  readonly annMaxFetch: number
  /** HNSW edges per node (usearch `connectivity`). */
  readonly connectivity: number
  /** Candidate list size while inserting (usearch `expansion_add`). */
  readonly expansionAdd: number
  /** Candidate list size while searching (usearch `expansion_search`); a search asking for more uses its own count. */
  readonly expansionSearch: number
  /** Scalar type of usearch's copy of the vectors. Applies to indexes created from now on. */
  readonly quantization: GraphQuantization
  /** Threads usearch uses for a batch insert. */
  readonly threads: number
  /** Vectors inserted into the graph per synchronous step; the event loop runs between steps. */
  readonly addChunk: number
  /** A mutation schedules a save this long after it; every mutation inside the window joins that save. */
  readonly saveDelayMs: number
  /**
   * After a save that took `d` ms, the next save of that index waits at least `d × saveBackoff`, so
   * rewriting a large index never takes more than about 1/saveBackoff of the time during a bulk load.
   */
  readonly saveBackoff: number
}

export const vectorDefaults: VectorConfig = Object.freeze({
  maxBodyBytes: 32 * 1024 * 1024,
  maxJsonDepth: 64,
  maxBatch: 1000,
  maxK: 1000,
  maxExcludeIds: 10_000,
  maxIdLength: 512,
  exactBelow: 64,
  annMaxFetch: 1024,
  connectivity: 16,
  expansionAdd: 64,
  expansionSearch: 200,
  quantization: 'f16',
  threads: 2,
  addChunk: 256,
  saveDelayMs: 1000,
  saveBackoff: 4,
})

const positive: Check<number> = (v) =>
  Number.isFinite(v) && v >= 1 && v <= 1000 ? undefined : `must be a number in 1..1000, got ${String(v)}`

export function resolveVectorConfig(input?: Partial<VectorConfig>): Readonly<VectorConfig> {
  return resolveWith(
    vectorDefaults,
    input,
    {
      ...HTTP_LIMIT_CHECKS,
      maxBatch: intBetween(1, 100_000),
      maxK: intBetween(1, 100_000),
      maxExcludeIds: intBetween(0, 1_000_000),
      maxIdLength: intBetween(1, 65_536),
      exactBelow: intBetween(0, 1_000_000),
      annMaxFetch: intBetween(1, 10_000_000),
      connectivity: intBetween(2, 256),
      expansionAdd: intBetween(1, 10_000),
      expansionSearch: intBetween(1, 10_000),
      quantization: oneOf<GraphQuantization>('f32', 'f16', 'bf16'),
      threads: intBetween(1, 256),
      addChunk: intBetween(1, 1_000_000),
      saveDelayMs: intBetween(0, 3_600_000),
      saveBackoff: positive,
    },
    'vector.',
  )
}
