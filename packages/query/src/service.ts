import type { Catalog } from '@lakehouse/catalog'
import { type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { type QueryConfig, resolveQueryConfig } from './config.ts'
import { createPool } from './connection-pool.ts'
import { type Engine, openEngine } from './engine.ts'
import { queryErrors } from './errors.ts'
import { checkLimit, createQueryRunner } from './query.ts'
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
  /** One read-only SELECT; at most `limit` (default `defaultLimit`, max `maxRows`) rows. Throws Problems. */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>
  /** For internal callers: the same read-only rules, bound parameters, up to `maxRows` rows. */
  select(sql: string, params?: QueryParams): Promise<QueryResult>
  stats(): QueryStats
  /** Refuses new queries, interrupts running ones, closes every connection and the instance. */
  close(): Promise<void>
}

const SERIALIZE_SQL = 'SELECT json_serialize_sql($1::VARCHAR)'

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
    const pool = createPool(guards, () => queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'the query service is closed' }))
    const viewSet = createViews(engine.ddl, deps.catalog, deps.store, logger)
    views = viewSet
    await viewSet.start()
    const runner = createQueryRunner(
      resolved,
      pool,
      () => viewSet.settled(),
      () => closed,
    )
    logger.info('query service ready', { config: resolved, ...viewSet.stats() })
    let closing: Promise<void> | undefined
    return {
      handler: createQueryHandler(runner, resolved),
      query: async (sql, options) => runner.run(sql, checkLimit(options?.limit ?? resolved.defaultLimit, resolved.maxRows)),
      select: async (sql, params) => runner.run(sql, resolved.maxRows, params),
      stats: () => viewSet.stats(),
      close() {
        closing ??= (async () => {
          closed = true
          await viewSet.close()
          for (const busy of pool.busy()) busy.connection.interrupt()
          await pool.close()
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
