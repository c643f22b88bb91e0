import { type DuckDBConnection, type DuckDBPreparedStatement, StatementType } from '@duckdb/node-api'
import { engineErrorType, forbidden, invalid } from './engine-errors.ts'
import { queryErrors } from './errors.ts'
import { refusedReference } from './reference-policy.ts'

/**
 * Decides, with DuckDB's own parser and planner, whether a text is exactly one read-only query,
 * and returns it prepared. No regex looks at the SQL:
 *
 * 1. `extractStatements` splits the text as the engine will run it: 0 → QUERY_EMPTY, > 1 →
 *    QUERY_MULTIPLE_STATEMENTS, a parse error → QUERY_INVALID.
 * 2. `json_serialize_sql` serialises SELECT statements only, from the raw parse: anything else
 *    (DDL, DML, COPY, ATTACH, SET, PRAGMA, CALL, EXPLAIN, …) → 403. Its tree also lists every
 *    table function, scalar function and named relation, which must pass the reference policy
 *    (reference-policy.ts: allow-listed table functions, no setting readers, no system
 *    catalog, no file names as tables) → else 403.
 * 3. The prepared statement's `statementType` must be SELECT (defence in depth; it is also where
 *    the engine binds files, so a path outside `allowed_directories` fails here with 403).
 *
 * EXPLAIN is refused: `EXPLAIN ANALYZE` executes its statement (verified on 1.5.6: `EXPLAIN
 * ANALYZE CREATE TABLE t …` creates t) and the statement type does not say which form it is.
 */

export interface GuardConnection {
  readonly connection: DuckDBConnection
  /** `SELECT json_serialize_sql($1::VARCHAR)`, prepared once per connection at create time. */
  readonly serialize: DuckDBPreparedStatement
  /** `schema.name` of every relation in DuckDB's system catalog, read at boot (`Engine.systemRelations`). */
  readonly systemRelations: ReadonlySet<string>
}

const EXTRACT_PREFIX = 'Failed to extract statements: '

async function countStatements(connection: DuckDBConnection, sql: string) {
  try {
    return await connection.extractStatements(sql)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (message.startsWith(EXTRACT_PREFIX)) {
      // Extraction can read files: DuckDB expands IMPORT DATABASE into the statements of its schema.sql here.
      // A file error here comes from IMPORT DATABASE, which no SELECT is. The engine's answer
      // differs inside the allowed directories (IO Error) and outside (Permission Error), which
      // would tell a caller where they are (issue 11), so both get one refusal naming no file.
      const inner = message.slice(EXTRACT_PREFIX.length)
      const type = engineErrorType(new Error(inner))
      if (type === 'Permission' || type === 'IO') {
        throw forbidden('statement_type', 'only a single SELECT query is allowed; the engine parsed another kind of statement', err)
      }
      throw invalid(inner, err)
    }
    // With zero statements and no parser error @duckdb/node-api has no error text to report and
    // the binding throws on the missing string instead ("Error in native callback").
    throw queryErrors.problem('QUERY_EMPTY', { detail: 'the SQL holds no statement' })
  }
}

interface SerializedSql {
  readonly error?: boolean
  readonly error_type?: string
  readonly error_message?: string
  readonly statements?: readonly unknown[]
}

const NON_FINITE = ['-Infinity', 'Infinity', 'NaN']

/**
 * DuckDB's `json_serialize_sql` writes a DOUBLE constant out of range (`SELECT 1e309`) as a bare
 * `Infinity`, `-Infinity` or `NaN`, which is not JSON (found by the fuzz suite: a 500 on both
 * runtimes). Those tokens outside strings become `null`; the guard never reads constant values.
 */
export function jsonWithoutNonFinite(text: string): string {
  if (!text.includes('Infinity') && !text.includes('NaN')) return text
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') {
      inString = true
      out += c
      continue
    }
    const token = NON_FINITE.find((t) => text.startsWith(t, i))
    if (token !== undefined) {
      out += 'null'
      i += token.length - 1
      continue
    }
    out += c
  }
  return out
}

async function checkParseTree(guard: GuardConnection, sql: string): Promise<void> {
  guard.serialize.bindVarchar(1, sql)
  const reader = await guard.serialize.runAndReadAll()
  const text = reader.getRows()[0]?.[0]
  const tree = JSON.parse(typeof text === 'string' ? jsonWithoutNonFinite(text) : '{"error":true}') as SerializedSql
  if (tree.error === true) {
    if (tree.error_type === 'parser') throw invalid(`Parser Error: ${tree.error_message ?? 'syntax error'}`)
    // "Only SELECT statements can be serialized to json!" — and any other refusal: fail closed.
    throw forbidden('statement_type', 'only a single SELECT query is allowed; the engine parsed another kind of statement')
  }
  const refusal = refusedReference(tree.statements, guard.systemRelations)
  if (refusal !== undefined) throw forbidden(refusal.reason, refusal.detail)
}

/** The one statement of `sql`, prepared and proven read-only; the caller destroys it. */
export async function prepareReadOnly(guard: GuardConnection, sql: string): Promise<DuckDBPreparedStatement> {
  const extracted = await countStatements(guard.connection, sql)
  if (extracted.count > 1) {
    throw queryErrors.problem('QUERY_MULTIPLE_STATEMENTS', {
      detail: `the SQL holds ${extracted.count} statements; send exactly one`,
      extensions: { statements: extracted.count },
    })
  }
  await checkParseTree(guard, sql)
  // Binding errors (unknown column, file outside allowed_directories) propagate as engine errors.
  const prepared = await extracted.prepare(0)
  if (prepared.statementType !== StatementType.SELECT) {
    const kind = StatementType[prepared.statementType] ?? String(prepared.statementType)
    prepared.destroySync()
    throw forbidden('statement_type', `statement type ${kind} is not allowed; only a single SELECT query`)
  }
  return prepared
}
