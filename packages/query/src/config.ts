import { availableParallelism, totalmem } from 'node:os'
import { configError, HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, RETRY_AFTER_CHECK, resolveWith } from '@lakehouse/kit'

export interface QueryConfig extends HttpLimits {
  /** Rows returned when a request has no `limit`. */
  readonly defaultLimit: number
  /** Largest `limit` a request may ask for; above it → 400 QUERY_INVALID_LIMIT. */
  readonly maxRows: number
  /**
   * Budget per query, from arrival to last byte of the answer: waits for view refreshes and a
   * connection, execution and reading. Past it the query is interrupted and the request answers
   * 504 within `timeoutMs` + 1 s, whether or not the engine has stopped yet.
   */
  readonly timeoutMs: number
  /**
   * Queries running at once (HTTP and `query()`), each on a connection of its own. Each running
   * engine call holds a thread of the runtime's worker pool, which file reads share (Node: libuv,
   * 4 threads; Bun: one per core), so the default, min(3, cores − 1) and at least 1, leaves one free
   * on both. `select()` has one more connection of its own, view DDL another.
   */
  readonly connections: number
  /** Queries waiting for a connection beyond those running; past it → 503 QUERY_BUSY with `Retry-After`. */
  readonly maxQueued: number
  /** `Retry-After` seconds on 503 QUERY_BUSY. */
  readonly retryAfterSeconds: number
  /** Bytes of the encoded response body (`select()`/`query()`: of the same rows encoded); past it the rows are cut (`truncated`), or 413 QUERY_RESULT_TOO_LARGE when not even the first row fits. */
  readonly maxResultBytes: number
  /**
   * DuckDB `threads` of the instance, shared by all queries. Default min(4, cores − 1) and at least 1,
   * which leaves a core to the event loop; null keeps DuckDB's own default (one per core).
   */
  readonly threads: number | null
  /**
   * DuckDB `memory_limit`, e.g. "512MB" or "2GiB", shared by all queries. Default: 25% of the
   * machine's memory, at most 2 GiB. null keeps DuckDB's own default, 80% of RAM (issue 12: no limit
   * let four runaway queries take Bun to 13 GB).
   */
  readonly memoryLimit: string | null
  /**
   * DuckDB `temp_directory` for spilling. '' (the default) disables spilling. DuckDB adds the
   * temp directory to `allowed_directories` by itself (verified on 1.5.6), so queries could read
   * spill files: give it a dedicated directory, never one holding anything else.
   */
  readonly tempDirectory: string
}

const MiB = 1024 * 1024
const cores = availableParallelism()

/** 25% of the machine's memory, at most 2 GiB, in whole MiB ("2048MiB"). */
export function defaultMemoryLimit(total = totalmem()): string {
  return `${Math.max(64, Math.floor(Math.min(total / 4, 2048 * MiB) / MiB))}MiB`
}

export const queryDefaults: QueryConfig = Object.freeze({
  defaultLimit: 1000,
  maxRows: 100_000,
  timeoutMs: 10_000,
  connections: Math.max(1, Math.min(3, cores - 1)),
  maxQueued: 8,
  retryAfterSeconds: 1,
  maxResultBytes: 8 * MiB,
  threads: Math.max(1, Math.min(4, cores - 1)),
  memoryLimit: defaultMemoryLimit(),
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
      maxQueued: intBetween(0, 10_000),
      retryAfterSeconds: RETRY_AFTER_CHECK,
      maxResultBytes: intBetween(1024, 1024 * MiB),
      threads: (v) => (v === null ? undefined : intBetween(1, 1024)(v)),
      memoryLimit: (v) =>
        v === null || MEMORY_LIMIT.test(v) ? undefined : `expected a size such as 512MB or 2GiB, got ${JSON.stringify(v)}`,
      tempDirectory: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
      ...HTTP_LIMIT_CHECKS,
    },
    'query.',
  )
  if (config.defaultLimit <= config.maxRows) return config
  // A smaller maxRows alone pulls the default down with it; an explicit default above it is a mistake.
  if (input?.defaultLimit !== undefined) configError('query.defaultLimit', `must not exceed maxRows (${config.maxRows})`)
  return Object.freeze({ ...config, defaultLimit: config.maxRows })
}
