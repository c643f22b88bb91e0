import { type DuckDBConnection, type DuckDBPreparedStatement, StatementType } from '@duckdb/node-api'
import { engineErrorType, forbidden, invalid } from './engine-errors.ts'
import { queryErrors } from './errors.ts'
import { disallowedTableFunction } from './table-functions.ts'

/**
 * Decides, with DuckDB's own parser and planner, whether a text is exactly one read-only query,
 * and returns it prepared. No regex looks at the SQL:
 *
 * 1. `extractStatements` splits the text as the engine will run it: 0 → QUERY_EMPTY, > 1 →
 *    QUERY_MULTIPLE_STATEMENTS, a parse error → QUERY_INVALID.
 * 2. `json_serialize_sql` serialises SELECT statements only, from the raw parse: anything else
 *    (DDL, DML, COPY, ATTACH, SET, PRAGMA, CALL, EXPLAIN, …) → 403. Its tree also lists every
 *    table function, which must be on the allow-list (table-functions.ts) → else 403.
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
}

const EXTRACT_PREFIX = 'Failed to extract statements: '

async function countStatements(connection: DuckDBConnection, sql: string) {
  try {
    return await connection.extractStatements(sql)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (message.startsWith(EXTRACT_PREFIX)) {
      // Extraction can read files: DuckDB expands IMPORT DATABASE into the statements of its schema.sql here.
      const inner = message.slice(EXTRACT_PREFIX.length)
      if (engineErrorType(new Error(inner)) === 'Permission') throw forbidden('file_access', inner, err)
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

async function checkParseTree(guard: GuardConnection, sql: string): Promise<void> {
  guard.serialize.bindVarchar(1, sql)
  const reader = await guard.serialize.runAndReadAll()
  const text = reader.getRows()[0]?.[0]
  const tree = JSON.parse(typeof text === 'string' ? text : '{"error":true}') as SerializedSql
  if (tree.error === true) {
    if (tree.error_type === 'parser') throw invalid(`Parser Error: ${tree.error_message ?? 'syntax error'}`)
    // "Only SELECT statements can be serialized to json!" — and any other refusal: fail closed.
    throw forbidden('statement_type', 'only a single SELECT query is allowed; the engine parsed another kind of statement')
  }
  const fn = disallowedTableFunction(tree.statements)
  if (fn !== undefined) throw forbidden('table_function', `table function ${fn}() is not allowed in queries`)
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
