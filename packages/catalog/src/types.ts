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

/**
 * What the object a manifest names really holds, read from its Parquet metadata by a component
 * that has a Parquet reader (the catalog has none; the gateway wires in ingest's DuckDB). Column
 * types are DuckDB's type names, exactly as ingest records them (BIGINT, DOUBLE, BOOLEAN, DATE,
 * TIMESTAMP, VARCHAR for every object ingest writes).
 */
export type ObjectInspection =
  | { readonly status: 'missing' }
  /** The object exists but is not readable Parquet; `reason` is for the log only (it may name paths). */
  | { readonly status: 'unreadable'; readonly reason: string }
  | { readonly status: 'parquet'; readonly schema: readonly ColumnSpec[]; readonly row_count: number }

/** Rejects only when it could not look (storage or engine unavailable): the catalog answers 503. */
export type InspectObject = (key: string) => Promise<ObjectInspection>

export type CatalogEvent = { readonly type: 'registered'; readonly manifest: DatasetManifest }

export interface Catalog {
  /**
   * The system path (ingest, after writing the object): trusted to describe the object it has
   * just written, so the object is not read back; the derived members are still checked.
   * Throws CATALOG_SCHEMA_CONFLICT (409, both fingerprints), CATALOG_INVALID_NAME (400),
   * CATALOG_FINGERPRINT_MISMATCH or CATALOG_OBJECT_KEY_MISMATCH (422).
   */
  register(input: RegisterInput, options?: RegisterOptions): Promise<RegisterResult>
  /** A copy; undefined when unknown. */
  get(name: string): DatasetManifest | undefined
  /** Copies, sorted by name. */
  list(): DatasetManifest[]
  /** Called after every successful register (after persist); returns an unsubscribe. */
  onChange(listener: (event: CatalogEvent) => void): () => void
}
