import type { DuckDBPreparedStatement } from '@duckdb/node-api'
import { isProblem } from '@lakehouse/kit'
import type { QueryConfig } from './config.ts'
import type { Pool } from './connection-pool.ts'
import { engineProblem, invalid, timeout } from './engine-errors.ts'
import { queryErrors } from './errors.ts'
import { toDuckDBParams } from './params.ts'
import { type ReadResult, readResult } from './result-reader.ts'
import { type GuardConnection, prepareReadOnly } from './statement-guard.ts'
import type { QueryParams } from './types.ts'

/**
 * The query path, no HTTP: admit, wait for pending view changes, take a connection, prove the SQL
 * read-only (statement-guard.ts), bind, stream and read within the row and byte caps
 * (result-reader.ts). One budget of `timeoutMs` covers all of it (issue 12):
 *
 * - At the deadline the connection is interrupted (`duckdb_interrupt`), and again every 100 ms
 *   until the engine call returns: an interrupt that lands before the call has started running
 *   is lost (DuckDB clears the flag when a statement starts), and on Bun, whose worker pool has
 *   one thread per core, a call can sit queued for seconds (verified on 1.5.6: two of four runaway
 *   queries ran on to Out of Memory after one interrupt, none after repeated ones).
 * - The JavaScript side (reading and encoding rows) checks the deadline every time slice.
 * - If the engine has not returned `INTERRUPT_GRACE_MS` after the deadline, the request answers
 *   504 anyway; the connection stays out of the pool until the call settles, so it counts against
 *   `connections` and the next query on it never meets a stray interrupt.
 *
 * Past `connections` running and `maxQueued` waiting, a query is refused at once with 503
 * QUERY_BUSY (internal `select()` callers have their own connection and are never refused).
 */
export interface RunOptions {
  readonly limit: number
  readonly params?: QueryParams
  /** Convert rows to values too (select()/query()); the handler only needs their JSON. */
  readonly values: boolean
}

export interface QueryRunner {
  run(sql: string, options: RunOptions): Promise<ReadResult>
  /** Interrupts every running query, repeatedly, until each has returned (for close()). */
  interruptAll(): void
}

/** How long past the deadline a request waits for the engine to stop before answering 504 anyway. */
export const INTERRUPT_GRACE_MS = 1000
const INTERRUPT_REPEAT_MS = 100

export function checkLimit(limit: unknown, maxRows: number): number {
  if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 && limit <= maxRows) return limit
  const message = `$.limit must be an integer in 0..${maxRows}, got ${JSON.stringify(limit) ?? String(limit)}`
  throw queryErrors.problem('QUERY_INVALID_LIMIT', {
    detail: message,
    errors: [{ kind: 'schema', field: '$.limit', reason: typeof limit === 'number' ? 'out_of_range' : 'type', message }],
    extensions: { max_rows: maxRows },
  })
}

/** Binding failures ("Failed to retrieve bind parameter index", too many values) are the caller's: 400. */
function bindParams(prepared: DuckDBPreparedStatement, params: QueryParams): void {
  try {
    prepared.bind(toDuckDBParams(params))
  } catch (err) {
    throw invalid(`parameters do not match the statement: ${err instanceof Error ? err.message : String(err)}`, err)
  }
}

/** Resolves with the promise's value, or with `undefined` once `ms` pass. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms))
    timer.unref?.()
  })
  try {
    return await Promise.race([promise, expired])
  } finally {
    clearTimeout(timer)
  }
}

const ABANDONED: unique symbol = Symbol('abandoned')

export interface RunnerOptions {
  /** Refuse with 503 QUERY_BUSY when every connection runs and `maxQueued` wait (public callers). */
  readonly admit: boolean
}

export function createQueryRunner(
  config: Readonly<QueryConfig>,
  pool: Pool<GuardConnection>,
  settled: () => Promise<void>,
  isClosed: () => boolean,
  options: RunnerOptions,
): QueryRunner {
  const { timeoutMs } = config
  const running = new Set<() => void>()
  let admitted = 0
  return {
    interruptAll() {
      for (const stop of running) stop()
    },
    async run(sql, { limit, params, values }) {
      if (isClosed()) throw queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service is closed' })
      if (typeof sql !== 'string') throw invalid('sql must be a string')
      // Admitted requests hold their place until their connection is back (after a late engine stop too).
      if (options.admit && admitted >= config.connections + config.maxQueued) {
        throw queryErrors.problem('QUERY_BUSY', {
          detail: `${config.connections} queries are running and ${config.maxQueued} are waiting; retry later`,
          headers: { 'retry-after': String(config.retryAfterSeconds) },
        })
      }
      admitted++
      let guard: GuardConnection | undefined
      const deadline = Date.now() + timeoutMs
      try {
        await within(settled(), timeoutMs)
        guard = await pool.acquire(deadline - Date.now())
      } finally {
        if (guard === undefined) admitted--
      }
      if (guard === undefined) throw timeout(timeoutMs)
      const connection = guard

      let timedOut = false
      let repeat: ReturnType<typeof setInterval> | undefined
      const stop = () => {
        if (repeat !== undefined) return
        connection.connection.interrupt()
        repeat = setInterval(() => connection.connection.interrupt(), INTERRUPT_REPEAT_MS)
        repeat.unref?.()
      }
      running.add(stop)
      const timer = setTimeout(
        () => {
          timedOut = true
          stop()
        },
        Math.max(0, deadline - Date.now()),
      )
      timer.unref?.()
      let abandon: (() => void) | undefined
      const abandoned = new Promise<typeof ABANDONED>((resolve) => {
        abandon = () => resolve(ABANDONED)
      })
      const hard = setTimeout(() => abandon?.(), Math.max(0, deadline + INTERRUPT_GRACE_MS - Date.now()))
      hard.unref?.()

      // The engine call in flight; if the request gives up on it, the connection waits for it.
      let pending: Promise<unknown> | undefined
      let prepared: DuckDBPreparedStatement | undefined
      const engine = async <T>(work: Promise<T>): Promise<T> => {
        pending = work.then(
          () => undefined,
          () => undefined,
        )
        let value: T | typeof ABANDONED
        try {
          value = await Promise.race([work, abandoned])
        } catch (err) {
          pending = undefined
          throw err
        }
        if (value === ABANDONED) throw timeout(timeoutMs)
        pending = undefined
        // An interrupt that lands between two engine calls is a no-op (DuckDB clears the flag when
        // the next statement starts), so the flag is checked after every step as well.
        if (timedOut) throw timeout(timeoutMs)
        return value
      }
      try {
        const statement = prepareReadOnly(connection, sql)
        // Recorded even if it arrives after the request gave up, so the release below destroys it.
        statement.then(
          (p) => {
            prepared = p
          },
          () => undefined,
        )
        await engine(statement)
        if (prepared === undefined) throw new Error('prepared statement missing')
        if (params !== undefined) bindParams(prepared, params)
        const result = await engine(prepared.stream())
        const read = await readResult(result, {
          limit,
          maxBytes: config.maxResultBytes,
          values,
          stopped: () => timedOut || isClosed(),
          engine,
        })
        if (read === undefined) {
          if (isClosed() && !timedOut)
            throw queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service closed while the query ran' })
          throw timeout(timeoutMs)
        }
        if (read.tooLarge) {
          throw queryErrors.problem('QUERY_RESULT_TOO_LARGE', {
            detail: `the first row of the result does not fit in ${config.maxResultBytes} bytes of JSON`,
            extensions: { max_result_bytes: config.maxResultBytes },
          })
        }
        return read
      } catch (err) {
        if (isProblem(err) && (!timedOut || err.code === 'QUERY_TIMEOUT')) throw err
        // close() interrupts running queries; say so rather than report an unexplained interrupt.
        if (isClosed() && !timedOut)
          throw queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service closed while the query ran' })
        throw engineProblem(err, timedOut, timeoutMs)
      } finally {
        clearTimeout(timer)
        clearTimeout(hard)
        const release = () => {
          clearInterval(repeat)
          running.delete(stop)
          prepared?.destroySync()
          pool.release(connection)
          admitted--
        }
        if (pending === undefined) release()
        else void pending.then(release)
      }
    },
  }
}
