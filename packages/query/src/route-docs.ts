import type { BodySchema, RouteDoc } from '@lakehouse/kit'
import { checkQueryBody } from './request-body.ts'

/** A result as `resultBody` writes it: each row is an array in column order. */
export const QUERY_RESULT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['columns', 'rows', 'row_count', 'truncated'],
  additionalProperties: false,
  properties: {
    columns: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'type'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, type: { type: 'string', description: 'DuckDB type, e.g. BIGINT, DECIMAL(18,3).' } },
      },
    },
    rows: { type: 'array', items: { type: 'array' } },
    row_count: { type: 'integer', minimum: 0 },
    truncated: { type: 'boolean', description: 'More rows existed than `limit`, or the byte cap stopped the read.' },
  },
}

export const RUN_SQL_DOC: RouteDoc = {
  summary: 'Run one read-only SQL query over the catalog’s datasets',
  description: 'One SELECT (or WITH … SELECT); DECIMAL and BIGINT beyond 2^53 arrive as exact JSON numbers (docs/query.md).',
  body: checkQueryBody,
  responses: { 200: { description: 'The rows, capped by `limit` and the byte budget.', schema: QUERY_RESULT_SCHEMA } },
  errors: [
    'QUERY_INVALID_LIMIT',
    'QUERY_EMPTY',
    'QUERY_MULTIPLE_STATEMENTS',
    'QUERY_INVALID',
    'QUERY_FORBIDDEN',
    'QUERY_TIMEOUT',
    'QUERY_BUSY',
    'QUERY_RESULT_TOO_LARGE',
    'QUERY_OUT_OF_MEMORY',
    'QUERY_UNAVAILABLE',
  ],
}
