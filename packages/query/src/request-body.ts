import type { ProblemEntry } from '@lakehouse/kit'
import { queryErrors } from './errors.ts'
import { checkLimit } from './query.ts'

export interface QueryRequest {
  readonly sql: string
  readonly limit: number
}

const MEMBERS: ReadonlySet<string> = new Set(['sql', 'limit'])

const entry = (field: string, reason: string, message: string): ProblemEntry => ({ kind: 'schema', field, reason, message })

/**
 * `{sql: string, limit?: integer}` and nothing else. Only a bad `limit` → QUERY_INVALID_LIMIT
 * (with `max_rows`); any other problem → QUERY_INVALID_REQUEST listing every problem found.
 */
export function parseQueryRequest(body: unknown, defaultLimit: number, maxRows: number): QueryRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const message = '$ must be an object {sql, limit?}'
    throw queryErrors.problem('QUERY_INVALID_REQUEST', { detail: message, errors: [entry('$', 'type', message)] })
  }
  const record = body as Record<string, unknown>
  const errors: ProblemEntry[] = []
  if (!('sql' in record)) errors.push(entry('$.sql', 'required', '$.sql is required'))
  else if (typeof record.sql !== 'string') errors.push(entry('$.sql', 'type', '$.sql must be a string'))
  for (const key of Object.keys(record)) {
    if (!MEMBERS.has(key)) errors.push(entry(`$.${key}`, 'additionalProperties', `$.${key} is not a known member (expected sql, limit)`))
  }
  let limit = defaultLimit
  try {
    if (record.limit !== undefined) limit = checkLimit(record.limit, maxRows)
  } catch (problem) {
    if (errors.length === 0) throw problem
    errors.push(entry('$.limit', 'out_of_range', `$.limit must be an integer in 0..${maxRows}`))
  }
  const [first] = errors
  if (first !== undefined)
    throw queryErrors.problem('QUERY_INVALID_REQUEST', { detail: `the body must be {sql, limit?}; ${first.message}`, errors })
  return { sql: record.sql as string, limit }
}
