import { defineErrors } from '@lakehouse/kit'

export const queryErrors = defineErrors('query', {
  QUERY_INVALID_LIMIT: {
    status: 400,
    title: 'Invalid Row Limit',
    description:
      '`limit` is above maxRows (default 100,000), or not an integer in 0..maxRows when `QueryService.query` is called in process; `max_rows` gives the ceiling.',
  },
  QUERY_EMPTY: {
    status: 400,
    title: 'Empty Query',
    description: 'The SQL holds no statement (only whitespace, semicolons or comments).',
  },
  QUERY_MULTIPLE_STATEMENTS: {
    status: 400,
    title: 'Multiple Statements',
    description: "The engine's parser found more than one statement; send exactly one SELECT per request.",
  },
  QUERY_INVALID: {
    status: 400,
    title: 'Invalid Query',
    description:
      'DuckDB rejected the query (syntax, unknown table or column, type or conversion error, missing parameter); `detail` carries the engine message with absolute paths replaced by `<path>`.',
  },
  QUERY_FORBIDDEN: {
    status: 403,
    title: 'Query Forbidden',
    description:
      'The statement is not a read-only query: not a SELECT (DDL, DML, COPY, ATTACH, INSTALL/LOAD, SET, PRAGMA, CALL, EXPLAIN, …), a table function outside the allow-list (file readers included: datasets are read through their views), a refused scalar function (`current_setting`, `pg_get_viewdef`, …), a system catalog relation that reveals view SQL or settings, or a file used as a table. `reason` says which.',
  },
  QUERY_TIMEOUT: {
    status: 504,
    title: 'Query Timeout',
    description:
      'The query (waiting for a connection, execution and reading the result) ran past `timeoutMs` (default 10 s) and was interrupted; the answer comes within `timeoutMs` + 1 s even when the engine is slow to stop.',
  },
  QUERY_BUSY: {
    status: 503,
    title: 'Query Service Busy',
    description:
      'Every query connection is running (default min(3, cores − 1)) and `maxQueued` (default 8) queries already wait for one; refused at once. Retry after `Retry-After` seconds.',
  },
  QUERY_RESULT_TOO_LARGE: {
    status: 413,
    title: 'Query Result Too Large',
    description:
      'Not even the first row of the result fits `maxResultBytes` (default 8 MiB of encoded JSON; `max_result_bytes` gives it). Larger results are cut at a row boundary and answered with `truncated: true`; select fewer or smaller columns.',
  },
  QUERY_OUT_OF_MEMORY: {
    status: 503,
    title: 'Query Out of Memory',
    description:
      'The engine hit its memory limit (shared by all running queries) while running the query; retry later (`Retry-After`) or ask for less.',
  },
  QUERY_UNAVAILABLE: {
    status: 503,
    title: 'Query Service Closed',
    description: 'The query service is shutting down and accepts no more queries.',
  },
})

export type QueryErrorCode = keyof typeof queryErrors.specs
