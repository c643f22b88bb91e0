/** The vector seam used by matrix and the corpus indexer. Shared contract. */

export type Metric = 'cos' | 'ip' | 'l2sq'

export type MetadataValue = string | number | boolean | null | readonly string[]
export type Metadata = Readonly<Record<string, MetadataValue>>

export interface IndexInfo {
  readonly name: string
  readonly dim: number
  readonly metric: Metric
  /** Items currently searchable (deleted ones excluded). */
  readonly size: number
  /** Model used to embed `text` items and queries, when the index embeds server-side. */
  readonly model: string
  /** What the items were built from, when the builder recorded it (absent otherwise). */
  readonly source?: IndexSource
}

/**
 * The dataset version an index was built from (`PUT /v1/vector/indexes/{name}/source`), so the
 * catalog can report the index as stale once that version is no longer live. Opaque here: the
 * vector service stores and returns it, it does not know datasets.
 */
export interface IndexSource {
  readonly dataset: string
  readonly version: number
}

export interface ItemInput {
  /** Stable external id (e.g. a worker_id). Re-adding an id replaces its vector and metadata. */
  readonly id: string
  readonly vector?: readonly number[] | Float32Array
  /** Embedded server-side with the index's model when no vector is given. */
  readonly text?: string
  readonly metadata?: Metadata
}

/**
 * Metadata filter: every key must match. A scalar matches equality (strings
 * case-insensitively); an array value in the item matches when it contains the scalar;
 * `{in: [...]}` matches any of several values.
 */
export type Filter = Readonly<Record<string, MetadataValue | { readonly in: readonly MetadataValue[] }>>

export interface SearchInput {
  readonly vector?: readonly number[] | Float32Array
  readonly text?: string
  readonly k: number
  readonly excludeIds?: readonly string[]
  readonly filter?: Filter
}

export interface Hit {
  readonly id: string
  /** Similarity, higher is better: cosine similarity for `cos`, inner product for `ip`, −distance for `l2sq`. */
  readonly score: number
  readonly metadata: Metadata
}

export interface VectorIndexes {
  /** 201 created, 200 same spec exists, 409 different spec. */
  create(spec: { name: string; dim: number; metric: Metric; model?: string }): Promise<{ status: 'created' | 'existing'; info: IndexInfo }>
  info(name: string): IndexInfo | undefined
  list(): IndexInfo[]
  add(name: string, items: readonly ItemInput[]): Promise<{ added: number; replaced: number }>
  search(name: string, input: SearchInput): Promise<Hit[]>
  /** Ids currently in the index, among those given (for resumable indexing and tests). */
  has(name: string, ids: readonly string[]): ReadonlySet<string>
  deleteItem(name: string, id: string): Promise<boolean>
  drop(name: string): Promise<boolean>
}
