import type { Catalog } from '@lakehouse/catalog'
import { type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { type QueryConfig, resolveQueryConfig } from './config.ts'
import { createPool } from './connection-pool.ts'
import { type Engine, openEngine } from './engine.ts'
import { queryErrors } from './errors.ts'
import { checkLimit, createQueryRunner, type QueryRunner } from './query.ts'
import type { ReadResult } from './result-reader.ts'
import { createQueryHandler } from './routes.ts'
import type { GuardConnection } from './statement-guard.ts'
import type { QueryOptions, QueryParams, QueryResult, QueryStats } from './types.ts'
import { createViews, type Views } from './views.ts'

export interface QueryDeps {
  readonly catalog: Catalog
  readonly store: ObjectStore
  /**
   * The only directories queries may read (DuckDB `allowed_directories`): the Parquet objects
   * and nothing else — never the whole data directory, which holds the secret key.
   */
  readonly allowedDirectories: readonly string[]
  readonly logger?: Logger
}

export interface QueryService {
  /** Serves `POST /v1/query/sql` on its full path. */
  readonly handler: Handler
  /** One read-only SELECT; at most `limit` (default `defaultLimit`, max `maxRows`) rows and `maxResultBytes`. Throws Problems. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>
  /** For internal callers: the same read-only rules and caps, bound parameters, up to `maxRows` rows, on a connection of their own. */
  select(sql: string, params?: QueryParams): Promise<QueryResult>
  stats(): QueryStats
  /** Refuses new queries, interrupts running ones, closes every connection and the instance. */
  close(): Promise<void>
}

const SERIALIZE_SQL = 'SELECT json_serialize_sql($1::VARCHAR)'

const toQueryResult = (read: ReadResult): QueryResult => ({
  columns: read.columns,
  rows: read.rows,
  row_count: read.rows.length,
  truncated: read.truncated,
})

/** Builds the engine, the views over the catalog and the route table; all of it before the first request. */
export async function createQueryService(config: Partial<QueryConfig> | undefined, deps: QueryDeps): Promise<QueryService> {
  const resolved = resolveQueryConfig(config)
  const logger = deps.logger ?? SILENT_LOGGER
  const engine: Engine = await openEngine(resolved, deps.allowedDirectories)
  let views: Views | undefined
  let closed = false
  try {
    const guards: GuardConnection[] = []
    for (const connection of engine.queries) {
      guards.push({ connection, serialize: await connection.prepare(SERIALIZE_SQL), systemRelations: engine.systemRelations })
    }
    const closedError = () => queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service is closed' })
    // Internal callers (the gateway's worker lookups) get a connection of their own, so a flood of
    // POST /v1/query/sql can make them wait for nothing but each other (issue 12).
    const internal = guards.splice(resolved.connections)
    const pools = [createPool(guards, closedError), createPool(internal, closedError)] as const
    const viewSet = createViews(engine.ddl, deps.catalog, deps.store, logger)
    views = viewSet
    await viewSet.start()
    const runners = pools.map((pool, i) =>
      createQueryRunner(
        resolved,
        pool,
        () => viewSet.settled(),
        () => closed,
        { admit: i === 0 },
      ),
    )
    const [runner, internalRunner] = runners as [QueryRunner, QueryRunner]
    logger.info('query service ready', { config: resolved, ...viewSet.stats() })
    let closing: Promise<void> | undefined
    return {
      handler: createQueryHandler(runner, resolved),
      query: async (sql, options) =>
        toQueryResult(
          await runner.run(sql, { limit: checkLimit(options?.limit ?? resolved.defaultLimit, resolved.maxRows), values: true }),
        ),
      select: async (sql, params) =>
        toQueryResult(
          await internalRunner.run(sql, { limit: resolved.maxRows, values: true, ...(params === undefined ? {} : { params }) }),
        ),
      stats: () => viewSet.stats(),
      close() {
        closing ??= (async () => {
          closed = true
          await viewSet.close()
          for (const r of runners) r.interruptAll()
          await Promise.all(pools.map((p) => p.close()))
          // Closing a connection also destroys the statements prepared on it (the serializers).
          engine.close()
        })()
        return closing
      },
    }
  } catch (err) {
    await views?.close().catch(() => undefined)
    engine.close()
    throw err
  }
}
