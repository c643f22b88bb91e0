import { DuckDBInstance } from '@duckdb/node-api'

export interface DuckDbOptions {
  /** `threads`; omitted = DuckDB's default, a thread per core. */
  readonly threads?: number
  /** `memory_limit`, e.g. '1GB'; omitted = DuckDB's default, 80% of RAM. */
  readonly memoryLimit?: string
  /** `temp_directory` for spill files; '' = no spill files; omitted = DuckDB's default. */
  readonly tempDirectory?: string
}

/**
 * The settings every instance of ours opens with (checked on 1.5.6 under Node and Bun). What a
 * service adds on top (query's allowed_directories, enable_external_access, lock_configuration;
 * ingest's per-connection TimeZone) stays in that service's engine.ts.
 */
export const SHARED_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  // No extension arrives behind a statement's back, from the network or from disk. Everything
  // we use (parquet, json, icu for TimeZone and TIMESTAMPTZ) is linked into @duckdb/node-bindings.
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  // Process-wide in DuckDB 1.5: an instance opened without it turns it off for every instance.
  // Without it the allocator kept the memory of an interrupted query: 875 MB of a 1 GiB limit
  // 12 s later on Node, 1,042 MB on Bun, while duckdb_memory() said 8 MB; with it RSS fell back
  // to ~100 MB within 2 s (issue 12).
  allocator_background_threads: 'true',
})

/** The options DuckDB is opened with: the shared settings, then the caller's limits. */
export function duckDbSettings(options: DuckDbOptions = {}): Record<string, string> {
  const settings: Record<string, string> = { ...SHARED_SETTINGS }
  if (options.threads !== undefined) settings.threads = String(options.threads)
  if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit
  if (options.tempDirectory !== undefined) settings.temp_directory = options.tempDirectory
  return settings
}

/**
 * An in-memory DuckDB with the shared settings. DuckDB's own error ("Failed to set config")
 * names no option, so a caller that takes limits from configuration says which ones it passed.
 */
export function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', duckDbSettings(options))
}
