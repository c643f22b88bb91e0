import type { Catalog } from '@lakehouse/catalog'
import type { QueryService } from '@lakehouse/query'
import type { WorkerLookup } from '@lakehouse/validator'

export const WORKERS_DATASET = 'workers'

/**
 * `fill` candidates are checked against the `workers` dataset (one query per request, ids
 * bound as a list parameter), plus any ids the operator listed with --worker-ids. Before
 * the dataset is ingested only the listed ids exist.
 */
export function createDatasetWorkerLookup(catalog: Catalog, query: QueryService, listed: WorkerLookup): WorkerLookup {
  return {
    async existing(ids) {
      const found = new Set(await listed.existing(ids))
      const missing = ids.filter((id) => !found.has(id))
      if (missing.length === 0 || catalog.get(WORKERS_DATASET) === undefined) return found
      const result = await query.select(
        `SELECT DISTINCT CAST(worker_id AS VARCHAR) AS id FROM ${WORKERS_DATASET} WHERE CAST(worker_id AS VARCHAR) IN (SELECT unnest($ids))`,
        {
          ids: [...missing],
        },
      )
      for (const row of result.rows) if (typeof row[0] === 'string') found.add(row[0])
      return found
    },
  }
}
