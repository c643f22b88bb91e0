import { type Problem, toProblem } from '@lakehouse/kit'
import { queryErrors } from './errors.ts'
import { safeMessage } from './scrub-paths.ts'

/**
 * @duckdb/node-api raises plain Errors whose only structure is the message prefix DuckDB gives
 * every exception: "<ExceptionType> Error: …" (ExceptionTypeToString in DuckDB's
 * common/exception.cpp). That prefix is the engine's own classification, so it is what we map;
 * the rest of the message is for people.
 */

const ENGINE_PREFIX = /^([A-Za-z][A-Za-z _-]{0,40}?) Error: /

/**
 * Exception types a statement causes by what it says: the caller can fix them. Kept as
 * snake_case keys (see `typeKey`) so matching ignores DuckDB's inconsistent capitalisation
 * ("Invalid Input" vs "Invalid type").
 */
const CALLER_TYPES: ReadonlySet<string> = new Set([
  'parser',
  'syntax',
  'binder',
  'catalog',
  'conversion',
  'invalid_input',
  'out_of_range',
  'mismatch_type',
  'invalid_type',
  'unknown_type',
  'decimal',
  'divide_by_zero',
  'not_implemented',
  'parameter_not_resolved',
  'parameter_not_allowed',
  'constraint',
  'dependency',
  'sequence',
  'missing_extension',
  'auto_load',
  'expression',
  // A file the statement names (or a view's object) cannot be read: missing, truncated, not
  // Parquet. The caller's input or a broken dataset, not a fault of this server; 400 says so and
  // the scrubbed message says which.
  'io',
])

/** "Out of Range" → "out_of_range". */
function typeKey(type: string): string {
  return type.toLowerCase().replace(/[ -]/g, '_')
}

/** The DuckDB exception type of an error ("Binder", "Permission", …), if it carries one. */
export function engineErrorType(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined
  return ENGINE_PREFIX.exec(err.message)?.[1]
}

export function forbidden(reason: string, detail: string, cause?: unknown): Problem {
  return queryErrors.problem('QUERY_FORBIDDEN', { detail: safeMessage(detail), extensions: { reason }, cause })
}

export function invalid(detail: string, cause?: unknown): Problem {
  return queryErrors.problem('QUERY_INVALID', { detail: safeMessage(detail), cause })
}

export function timeout(timeoutMs: number): Problem {
  return queryErrors.problem('QUERY_TIMEOUT', {
    detail: `the query ran past the ${timeoutMs} ms budget and was interrupted`,
    extensions: { timeout_ms: timeoutMs },
  })
}

/**
 * Engine error → Problem. `timedOut` says whether our own timer interrupted the connection;
 * an INTERRUPT nobody asked for is unexpected and stays INTERNAL.
 */
export function engineProblem(err: unknown, timedOut: boolean, timeoutMs: number): Problem {
  if (timedOut) return timeout(timeoutMs)
  const type = engineErrorType(err)
  if (type === undefined || !(err instanceof Error)) return toProblem(err)
  if (type === 'Permission') return forbidden('file_access', err.message, err)
  if (type === 'Out of Memory') {
    return queryErrors.problem('QUERY_OUT_OF_MEMORY', {
      detail: 'the engine ran out of memory for this query (memory is shared by all running queries)',
      headers: { 'retry-after': '5' },
      cause: err,
    })
  }
  if (CALLER_TYPES.has(typeKey(type))) return invalid(err.message, err)
  // INTERNAL, FATAL, INTERRUPT without our timer, …: the server's problem, logged at the edge.
  return toProblem(err)
}
