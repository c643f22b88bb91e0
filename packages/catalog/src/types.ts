/**
 * The catalog's shared contract (used by ingest, query and the gateway). Wire names are
 * snake_case because they are the JSON API.
 */

export interface ColumnSpec {
  readonly name: string
  /** DuckDB type name: BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP or VARCHAR. */
  readonly type: string
}

export interface DatasetManifest {
  /** UUIDv5(a8f3c1d2-4e5b-5a6c-9d8e-7f0a1b2c3d4e, name): identity survives disk loss. */
  readonly dataset_id: string
  readonly name: string
  /** SHA-256 hex over (name, type) pairs; see DESIGN.md §5 ingest. */
  readonly fingerprint: string
  readonly schema: readonly ColumnSpec[]
  /** Storage key of the live Parquet object: datasets/<name>/<fingerprint>.parquet. */
  readonly object_key: string
  readonly row_count: number
  readonly created_at: string
  readonly updated_at: string
}

export interface RegisterInput {
  readonly name: string
  readonly fingerprint: string
  readonly schema: readonly ColumnSpec[]
  readonly object_key: string
  readonly row_count: number
}

export interface RegisterResult {
  /**
   * created → 201, existing (same name and fingerprint) → 200 with the same dataset_id;
   * replaced (another fingerprint, authorised by an escape grant) → 200, same dataset_id.
   */
  readonly status: 'created' | 'existing' | 'replaced'
  readonly manifest: DatasetManifest
  /** The fingerprint a replacement superseded. */
  readonly replaced_fingerprint?: string
}

export interface RegisterOptions {
  /**
   * Accept another fingerprint for an existing name (the schema drifted). Only callers that
   * hold a consumed escape grant for `dataset.replace:<name>` may pass this.
   */
  readonly replace?: boolean
}

export type CatalogEvent = { readonly type: 'registered'; readonly manifest: DatasetManifest }

export interface Catalog {
  /** Throws CATALOG_SCHEMA_CONFLICT (409, both fingerprints) or CATALOG_INVALID_NAME (400). */
  register(input: RegisterInput, options?: RegisterOptions): Promise<RegisterResult>
  /** A copy; undefined when unknown. */
  get(name: string): DatasetManifest | undefined
  /** Copies, sorted by name. */
  list(): DatasetManifest[]
  /** Called after every successful register (after persist); returns an unsubscribe. */
  onChange(listener: (event: CatalogEvent) => void): () => void
}
