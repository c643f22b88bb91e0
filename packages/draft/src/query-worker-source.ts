import { isMissingDataset, WORKERS_DATASET, type WorkersQuery, workerByIdSql } from '@lakehouse/validator'
import type { WorkerSource } from './types.ts'
import { toWorkerProfile } from './worker-profile.ts'

/** The slice of `QueryService` this source needs, so tests can hand in a fake. */
export type WorkerQuery = WorkersQuery

/** Only what the drafts use: `resume_text` is by far the widest column and is never read. */
const COLUMNS = ['worker_id', 'name', 'email', 'phone', 'role', 'city', 'state', 'skills', 'certifications', 'years_experience']

/**
 * Workers from the query service's view of a dataset (default `workers`): one parameterised
 * SELECT per lookup, written by the workers-dataset contract (@lakehouse/validator), which
 * compares `worker_id` as text. A dataset that has not been ingested yet answers `undefined`
 * (→ 404), like an unknown id; any other problem is rethrown.
 */
export function createQueryWorkerSource(query: WorkerQuery, dataset: string = WORKERS_DATASET): WorkerSource {
  const lookup = workerByIdSql(COLUMNS, dataset)
  return {
    async get(workerId) {
      let result: Awaited<ReturnType<WorkerQuery['select']>>
      try {
        result = await query.select(lookup, { id: workerId })
      } catch (err) {
        if (await isMissingDataset(query, dataset, err)) return undefined
        throw err
      }
      const [row] = result.rows
      if (row === undefined) return undefined
      const record: Record<string, unknown> = {}
      result.columns.forEach((column, i) => {
        record[column.name] = row[i]
      })
      return toWorkerProfile(record)
    },
  }
}
