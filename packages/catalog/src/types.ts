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
  /**
   * Storage key of the live Parquet object: `datasets/<name>/<fingerprint>/<content_hash>.parquet`
   * (one key per content, so a new version never overwrites the live one), or the pre-versioning
   * `datasets/<name>/<fingerprint>.parquet` of a dataset last ingested before versions existed.
   */
  readonly object_key: string
  readonly row_count: number
  /** When the dataset was first registered (survives every version). */
  readonly created_at: string
  /** When the live version last changed (ingest, replace or restore). */
  readonly updated_at: string
  /** The live version's id: 1 for the first, then one more than the highest ever kept (versions.ts). */
  readonly version: number
  /** SHA-256 hex of the live Parquet object's bytes; null for a pre-versioning object nobody hashed. */
  readonly content_hash: string | null
}

/** One entry of a dataset's bounded history (`GET /v1/catalog/datasets/{name}/versions`). */
export interface DatasetVersion {
  readonly version: number
  readonly content_hash: string | null
  readonly fingerprint: string
  readonly schema: readonly ColumnSpec[]
  readonly object_key: string
  readonly row_count: number
  /** When this version was registered. */
  readonly created_at: string
}

/** What a version was, in the answers that report a change (ingest, restore): rows before → after. */
export interface VersionSummary {
  readonly version: number
  readonly content_hash: string | null
  readonly fingerprint: string
  readonly row_count: number
}

/**
 * Which dataset version a derived artefact (a vector index) was built from. The catalog has no
 * vector code; the gateway passes a function listing them (`IndexSources`).
 */
export interface IndexSource {
  readonly index: string
  readonly dataset: string
  readonly version: number
}

export type IndexSources = () => readonly IndexSource[]

/** A derived index built from a version that is no longer live: `version` is the one it was built from. */
export interface StaleIndex {
  readonly index: string
  readonly version: number
}

/**
 * Escape grants as the catalog and ingest see them (packages/grants implements it, the gateway
 * wires it; kept structural so neither depends on the grant machinery). Both throw the grant's
 * own refusal Problem.
 */
export interface ReplaceAuthority {
  /** Checks a grant for `scope` without consuming it. */
  verify(token: string, scope: string): Promise<unknown>
  /** Consumes it (one-shot: exactly one concurrent caller wins). */
  consume(token: string, scope: string): Promise<unknown>
}

export interface RegisterInput {
  readonly name: string
  readonly fingerprint: string
  readonly schema: readonly ColumnSpec[]
  readonly object_key: string
  readonly row_count: number
  /**
   * SHA-256 hex of the object's bytes. Ingest always gives it (and then the key must be
   * `datasets/<name>/<fingerprint>/<content_hash>.parquet`); an HTTP register derives it from
   * such a key, and a pre-versioning key has none.
   */
  readonly content_hash?: string
}

export interface RegisterResult {
  /**
   * created → 201; existing (the live version already holds this content) → 200, nothing
   * written; replaced (other content: a new version, live now; another fingerprint only with an
   * escape grant) → 200, same dataset_id.
   */
  readonly status: 'created' | 'existing' | 'replaced'
  readonly manifest: DatasetManifest
  /** The fingerprint a schema replacement superseded (only when the fingerprint changed). */
  readonly replaced_fingerprint?: string
  /** The version that was live before a replacement. */
  readonly previous?: VersionSummary
}

export interface RestoreResult {
  /** restored → an older version is live again; existing → it already was (nothing written). */
  readonly status: 'restored' | 'existing'
  readonly manifest: DatasetManifest
  /** The version that was live before (absent for `existing`). */
  readonly previous?: VersionSummary
  readonly replaced_fingerprint?: string
}

export interface RestoreOptions {
  /** A `dataset.replace:<name>` grant: needed only when the restored version has another schema. */
  readonly grant?: string
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
  /** Called after every successful register or restore (after persist); returns an unsubscribe. */
  onChange(listener: (event: CatalogEvent) => void): () => void
  /** The retained versions of a dataset, newest first; undefined when unknown. */
  versions(name: string): DatasetVersion[] | undefined
  /**
   * Makes a retained version live again. Throws CATALOG_NOT_FOUND, CATALOG_VERSION_NOT_FOUND,
   * CATALOG_DATASET_BUSY (an ingest of the name is running), CATALOG_SCHEMA_CONFLICT (another
   * schema and no grant) or the grant's own refusal.
   */
  restore(name: string, version: number, options?: RestoreOptions): Promise<RestoreResult>
  /** Derived indexes built from a version of `name` that is not live now (empty when none or unknown). */
  staleIndexes(name: string): StaleIndex[]
  /**
   * Marks an ingest of `name` as running until the returned function is called, so a restore of
   * that name answers 409 CATALOG_DATASET_BUSY instead of racing it.
   */
  beginWrite(name: string): () => void
}
