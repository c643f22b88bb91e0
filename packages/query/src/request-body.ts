import { type BodySchema, compileBodySchema } from '@lakehouse/kit'
import { checkLimit } from './query.ts'

export interface QueryRequest {
  readonly sql: string
  readonly limit: number
}

/** `POST /v1/query/sql`: the shape; the ceiling on `limit` is configuration, checked after it. */
export const QUERY_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['sql'],
  additionalProperties: false,
  properties: {
    sql: { type: 'string', description: 'One read-only SELECT (or WITH … SELECT).' },
    limit: { type: 'integer', minimum: 0, description: 'Rows to return at most; defaults to defaultLimit, at most maxRows.' },
  },
}

/** The body check `POST /v1/query/sql` runs (its schema is published in the OpenAPI document). */
export const checkQueryBody = compileBodySchema<{ sql: string; limit?: number }>(QUERY_REQUEST_SCHEMA)

/**
 * A body that does not fit the schema → 400 HTTP_INVALID_REQUEST listing every problem; a
 * `limit` above the configured maxRows → QUERY_INVALID_LIMIT (with `max_rows`), as for callers
 * of `QueryService.query`.
 */
export function parseQueryRequest(body: unknown, defaultLimit: number, maxRows: number): QueryRequest {
  const { sql, limit } = checkQueryBody(body)
  return { sql, limit: limit === undefined ? defaultLimit : checkLimit(limit, maxRows) }
}
