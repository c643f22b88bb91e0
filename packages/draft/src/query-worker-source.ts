import { isProblem } from '@lakehouse/kit'
import type { WorkerSource } from './types.ts'
import { toWorkerProfile } from './worker-profile.ts'

/** The slice of `QueryService` this source needs, so tests can hand in a fake. */
export interface WorkerQuery {
  select(
    sql: string,
    params: Readonly<Record<string, string>>,
  ): Promise<{ readonly columns: readonly { readonly name: string }[]; readonly rows: readonly (readonly unknown[])[] }>
}

/** Only what the drafts use: `resume_text` is by far the widest column and is never read. */
const COLUMNS = ['worker_id', 'name', 'email', 'phone', 'role', 'city', 'state', 'skills', 'certifications', 'years_experience']

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`

/**
 * Workers from the query service's view of a dataset (default `workers`, one view per catalog
 * dataset): one parameterised SELECT per lookup. `worker_id` is compared as text, so a dataset
 * whose ids were inferred as BIGINT still matches the string the caller sent.
 *
 * A dataset that has not been ingested yet answers `undefined` (→ 404), like an unknown id. The
 * engine reports a missing view as QUERY_INVALID, the same code as a missing column, so on that
 * code (never on the message) one more query asks the catalog whether the view exists; if it
 * does, the original problem is rethrown.
 */
export function createQueryWorkerSource(query: WorkerQuery, dataset = 'workers'): WorkerSource {
  const lookup = `SELECT ${COLUMNS.join(', ')} FROM ${quoteIdentifier(dataset)} WHERE CAST(worker_id AS VARCHAR) = $id LIMIT 1`
  const exists = "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main' AND lower(table_name) = lower($name)"
  const viewExists = async (): Promise<boolean> => {
    const result = await query.select(exists, { name: dataset })
    const n = result.rows[0]?.[0]
    return (typeof n === 'bigint' || typeof n === 'number') && Number(n) > 0
  }
  return {
    async get(workerId) {
      let result: Awaited<ReturnType<WorkerQuery['select']>>
      try {
        result = await query.select(lookup, { id: workerId })
      } catch (err) {
        if (isProblem(err) && err.code === 'QUERY_INVALID' && !(await viewExists())) return undefined
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
