import type { DuckDBPreparedStatement } from '@duckdb/node-api'
import { isProblem } from '@lakehouse/kit'
import type { QueryConfig } from './config.ts'
import type { Pool } from './connection-pool.ts'
import { engineProblem, invalid, timeout } from './engine-errors.ts'
import { queryErrors } from './errors.ts'
import { toDuckDBParams } from './params.ts'
import { readLimited } from './result-reader.ts'
import { type GuardConnection, prepareReadOnly } from './statement-guard.ts'
import type { QueryParams, QueryResult } from './types.ts'

/**
 * The query path, no HTTP: wait for pending view changes, take a connection, prove the SQL
 * read-only (statement-guard.ts), bind, stream at most limit+1 rows, convert. One budget of
 * `timeoutMs` covers all of it; when it runs out during execution the connection is
 * interrupted (`duckdb_interrupt`), which DuckDB honours between vectors, and the caller gets
 * 504. The timer is cleared before the connection goes back to the pool, so an interrupt can
 * only ever hit the query it was armed for.
 */
export interface QueryRunner {
  run(sql: string, limit: number, params?: QueryParams): Promise<QueryResult>
}

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

export function createQueryRunner(
  config: Readonly<QueryConfig>,
  pool: Pool<GuardConnection>,
  settled: () => Promise<void>,
  isClosed: () => boolean,
): QueryRunner {
  const { timeoutMs } = config
  return {
    async run(sql, limit, params) {
      if (isClosed()) throw queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service is closed' })
      if (typeof sql !== 'string') throw invalid('sql must be a string')
      const deadline = Date.now() + timeoutMs
      await within(settled(), timeoutMs)
      const guard = await pool.acquire(deadline - Date.now())
      if (guard === undefined) throw timeout(timeoutMs)
      let timedOut = false
      const timer = setTimeout(
        () => {
          timedOut = true
          guard.connection.interrupt()
        },
        Math.max(0, deadline - Date.now()),
      )
      timer.unref?.()
      // An interrupt that lands between two engine calls is a no-op (DuckDB clears the flag when
      // the next statement starts), so the flag is checked after every step as well.
      const step = async <T>(work: Promise<T>): Promise<T> => {
        const value = await work
        if (timedOut) throw timeout(timeoutMs)
        return value
      }
      let prepared: DuckDBPreparedStatement | undefined
      try {
        prepared = await prepareReadOnly(guard, sql)
        if (timedOut) throw timeout(timeoutMs)
        if (params !== undefined) bindParams(prepared, params)
        const result = await step(prepared.stream())
        const rows = await step(readLimited(result, limit, () => timedOut))
        if (rows === undefined) throw timeout(timeoutMs)
        return rows
      } catch (err) {
        if (isProblem(err) && !timedOut) throw err
        // close() interrupts running queries; say so rather than report an unexplained interrupt.
        if (isClosed() && !timedOut)
          throw queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service closed while the query ran' })
        throw engineProblem(err, timedOut, timeoutMs)
      } finally {
        clearTimeout(timer)
        prepared?.destroySync()
        pool.release(guard)
      }
    },
  }
}
