/**
 * The storage seam: a two-method-per-verb interface every backend implements (filesystem,
 * S3). Public service methods validate keys and enforce limits; backends only do I/O.
 * Shared contract between storage, catalog, ingest and query — change it deliberately.
 */

export interface ObjectInfo {
  readonly key: string
  readonly size: number
  /** Quoted or unquoted strong validator; backends use the content MD5 or SHA-256 (hex). */
  readonly etag: string
  /** ISO-8601 UTC with Z. */
  readonly modified: string
}

export interface ObjectBody {
  readonly info: ObjectInfo
  readonly body: ReadableStream<Uint8Array>
}

export interface PutOptions {
  /** Stop and throw STORAGE_TOO_LARGE (413) once more than this many bytes arrive. */
  readonly maxBytes?: number
  readonly contentType?: string
}

export interface ListResult {
  readonly items: readonly ObjectInfo[]
  readonly truncated: boolean
}

export interface ObjectStore {
  readonly kind: 'fs' | 's3'
  /**
   * Atomic replace: concurrent readers see the old object or the new one, never a torn one.
   * Durability: the fs backend fsyncs the file and its directory before resolving.
   */
  put(key: string, body: ReadableStream<Uint8Array> | Uint8Array, options?: PutOptions): Promise<ObjectInfo>
  get(key: string): Promise<ObjectBody | undefined>
  head(key: string): Promise<ObjectInfo | undefined>
  /** true when an object was removed. */
  delete(key: string): Promise<boolean>
  /** Keys in lexicographic order, at most `limit`; `truncated` when more exist. */
  list(prefix: string, limit: number): Promise<ListResult>
  /**
   * A local filesystem path holding the object's bytes, for engines that read files (DuckDB).
   * The fs backend returns its own file; the s3 backend downloads to a cache directory.
   */
  localPath(key: string): Promise<string | undefined>
  close(): Promise<void>
}

/** Prefixes the HTTP API may read but never write: internal state and live dataset objects. */
export const RESERVED_PREFIXES: readonly string[] = ['_system/', 'datasets/']
