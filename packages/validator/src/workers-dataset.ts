import { quoteIdentifier } from '@lakehouse/duckdb/sql'
import { isProblem } from '@lakehouse/kit'
import type { WorkerLookup } from './worker-lookup.ts'

/**
 * The workers dataset and how a worker is found in it by id: the one contract shared by `fill`
 * (which ids exist, below), the drafter (one profile, @lakehouse/draft) and the gateway's cached
 * directory over both. It lives here, the lowest package all three import, and imports only
 * SQL quoting, so neither validator nor draft loads DuckDB for it.
 *
 * Every statement goes to the query service, one view per catalog dataset. `worker_id` is
 * compared as text, so a dataset whose ids ingest inferred as BIGINT still matches the string a
 * caller sent.
 */

/** The catalog dataset whose rows are the workers. */
export const WORKERS_DATASET = 'workers'

/** The id column every worker dataset has. */
export const WORKER_ID_COLUMN = 'worker_id'

const ID_AS_TEXT = `CAST(${WORKER_ID_COLUMN} AS VARCHAR)`

/** One worker's `columns` (names written in code, not data) for `$id`, at most one row. */
export function workerByIdSql(columns: readonly string[], dataset: string = WORKERS_DATASET): string {
  return `SELECT ${columns.join(', ')} FROM ${quoteIdentifier(dataset)} WHERE ${ID_AS_TEXT} = $id LIMIT 1`
}

/** Which of `$ids` (a list of text) name workers: one row `[id]` for each. */
export function existingWorkerIdsSql(dataset: string = WORKERS_DATASET): string {
  return `SELECT DISTINCT ${ID_AS_TEXT} AS id FROM ${quoteIdentifier(dataset)} WHERE ${ID_AS_TEXT} IN (SELECT unnest($ids))`
}

/** Every worker id as one row holding one list, so the ids do not count against the query service's maxRows. */
export function allWorkerIdsSql(dataset: string = WORKERS_DATASET): string {
  return `SELECT list(${ID_AS_TEXT}) AS ids FROM ${quoteIdentifier(dataset)}`
}

const DATASET_EXISTS_SQL =
  "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main' AND lower(table_name) = lower($name)"

/** The slice of the query service's `select` these lookups need, so this package does not depend on it. */
export interface WorkersQuery {
  select(
    sql: string,
    params: Readonly<Record<string, string | readonly string[]>>,
  ): Promise<{ readonly columns: readonly { readonly name: string }[]; readonly rows: readonly (readonly unknown[])[] }>
}

/**
 * True when `err`, thrown by a lookup, means the dataset has not been ingested yet, which the
 * lookups answer like unknown ids. The engine reports a missing view as QUERY_INVALID, the same
 * code as a missing column, so on that code (never on the message) one more query asks whether
 * the view exists; anything else, or a view that exists, is the caller's to rethrow.
 */
export async function isMissingDataset(query: WorkersQuery, dataset: string, err: unknown): Promise<boolean> {
  if (!isProblem(err) || err.code !== 'QUERY_INVALID') return false
  const result = await query.select(DATASET_EXISTS_SQL, { name: dataset })
  const n = result.rows[0]?.[0]
  return !((typeof n === 'bigint' || typeof n === 'number') && Number(n) > 0)
}

/** `fill`'s lookup over the query service: one query per call, none for no ids. */
export function createQueryWorkerLookup(query: WorkersQuery, dataset: string = WORKERS_DATASET): WorkerLookup {
  const sql = existingWorkerIdsSql(dataset)
  return {
    async existing(ids) {
      const found = new Set<string>()
      if (ids.length === 0) return found
      let rows: readonly (readonly unknown[])[]
      try {
        rows = (await query.select(sql, { ids })).rows
      } catch (err) {
        if (await isMissingDataset(query, dataset, err)) return found
        throw err
      }
      for (const row of rows) if (typeof row[0] === 'string') found.add(row[0])
      return found
    },
  }
}
