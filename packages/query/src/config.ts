import { configError, intBetween, resolveWith } from '@lakehouse/kit'

export interface QueryConfig {
  /** Rows returned when a request has no `limit`. */
  readonly defaultLimit: number
  /** Largest `limit` a request may ask for; above it → 400 QUERY_INVALID_LIMIT. */
  readonly maxRows: number
  /** Budget per query, from arrival to last row, including waits for view refreshes and a connection. */
  readonly timeoutMs: number
  /** Query connections opened on the one DuckDB instance (view DDL has its own connection on top). */
  readonly connections: number
  /** DuckDB `threads` (worker threads of the instance); null keeps DuckDB's default, one per core. */
  readonly threads: number | null
  /** DuckDB `memory_limit`, e.g. "512MB" or "2GiB"; null keeps DuckDB's default, 80% of RAM. */
  readonly memoryLimit: string | null
  /**
   * DuckDB `temp_directory` for spilling. '' (the default) disables spilling. DuckDB adds the
   * temp directory to `allowed_directories` by itself (verified on 1.5.6), so queries could read
   * spill files: give it a dedicated directory, never one holding anything else.
   */
  readonly tempDirectory: string
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number
  /** Deepest array/object nesting accepted in a request body. */
  readonly maxJsonDepth: number
}

export const queryDefaults: QueryConfig = Object.freeze({
  defaultLimit: 1000,
  maxRows: 100_000,
  timeoutMs: 10_000,
  connections: 4,
  threads: null,
  memoryLimit: null,
  tempDirectory: '',
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 64,
})

// DuckDB 1.5.6 refuses a bare byte count and percentages through the config API (verified), so
// only "<number><unit>" is accepted here and the error surfaces at boot with the key name.
const MEMORY_LIMIT = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i

export function resolveQueryConfig(input?: Partial<QueryConfig>): Readonly<QueryConfig> {
  const config = resolveWith(
    queryDefaults,
    input,
    {
      defaultLimit: intBetween(0, 10_000_000),
      maxRows: intBetween(1, 10_000_000),
      timeoutMs: intBetween(10, 3_600_000),
      connections: intBetween(1, 64),
      threads: (v) => (v === null ? undefined : intBetween(1, 1024)(v)),
      memoryLimit: (v) =>
        v === null || MEMORY_LIMIT.test(v) ? undefined : `expected a size such as 512MB or 2GiB, got ${JSON.stringify(v)}`,
      tempDirectory: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
      maxBodyBytes: intBetween(1024, 64 * 1024 * 1024),
      maxJsonDepth: intBetween(2, 1024),
    },
    'query.',
  )
  if (config.defaultLimit <= config.maxRows) return config
  // A smaller maxRows alone pulls the default down with it; an explicit default above it is a mistake.
  if (input?.defaultLimit !== undefined) configError('query.defaultLimit', `must not exceed maxRows (${config.maxRows})`)
  return Object.freeze({ ...config, defaultLimit: config.maxRows })
}
