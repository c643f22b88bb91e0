import { ALLOWED_TABLE_FUNCTIONS } from './table-functions.ts'

/**
 * What a query may name, decided on the engine's own parse tree (`json_serialize_sql`), before
 * anything binds. Three kinds of reference reach data the API must not hand out (issue 11):
 *
 * 1. Table functions: only `ALLOWED_TABLE_FUNCTIONS` (table-functions.ts).
 * 2. Scalar functions that reveal settings or view SQL: `current_setting('allowed_directories')`
 *    returns the data directory; the system macro `pg_get_viewdef(oid)` returns a view's SQL,
 *    which names the Parquet file (verified on 1.5.6). `DENIED_FUNCTIONS` lists them; a test
 *    re-derives the macros from every system macro's body, so a DuckDB upgrade that adds one
 *    fails the test rather than opens a hole.
 * 3. Relations of DuckDB's system catalog: `duckdb_views`, `sqlite_master`, `pg_catalog.pg_views`
 *    and `information_schema.views` show view SQL, `pg_catalog.pg_settings` the settings, and
 *    `SUMMARIZE` of any of them their min/max. They are plain views, so a check of table
 *    functions never sees them. The names come from the engine at boot (`systemRelations`, as
 *    `schema.name`); only `ALLOWED_SYSTEM_RELATIONS` may be named. A name that could resolve
 *    to a refused one is refused whatever it stands for in the query (a CTE, a dataset called
 *    `pg_class`): name resolution is the engine's, and this check only sees names. A dataset
 *    with such a name stays reachable as `memory.main.<name>`, which never falls back to the
 *    system catalog (verified).
 *
 * Table names that are file paths (`FROM 'x.parquet'`, a replacement scan) are refused too:
 * datasets are read through their views, and a direct read would tell an attacker, by 400 or
 * 403, whether a guessed path lies inside the allowed directories.
 */

/**
 * Scalar functions and macros refused anywhere in a query (lower case): the setting reader and
 * every system macro whose body calls a refused table function (`get_block_size` reads
 * `pragma_database_size()`; harmless today, but its body is not ours to vet on each upgrade).
 */
export const DENIED_FUNCTIONS: ReadonlySet<string> = new Set(['current_setting', 'pg_get_viewdef', 'get_block_size'])

/** System relations a query may name, as `schema.name`: the same introspection as the allowed table functions. */
export const ALLOWED_SYSTEM_RELATIONS: ReadonlySet<string> = new Set([
  'main.duckdb_columns',
  'main.duckdb_constraints',
  'main.duckdb_schemas',
  'main.duckdb_tables',
  'main.duckdb_types',
  'information_schema.columns',
  'information_schema.schemata',
  'information_schema.tables',
])

/** Reads `schema.name` of every relation in the `system` and `temp` catalogs; run once at boot. */
export const SYSTEM_RELATIONS_SQL = `
  SELECT lower(schema_name || '.' || view_name) FROM duckdb_views() WHERE database_name IN ('system', 'temp')
  UNION
  SELECT lower(schema_name || '.' || table_name) FROM duckdb_tables() WHERE database_name IN ('system', 'temp')`

export interface Refusal {
  /** The `reason` of the 403 QUERY_FORBIDDEN. */
  readonly reason: 'table_function' | 'function' | 'system_catalog' | 'file_access'
  readonly detail: string
}

// Unqualified names resolve through temp.main, memory.main, system.main, system.pg_catalog
// (DuckDB's default search path; `current_schemas(true)` on 1.5.6).
const SEARCH_PATH_SCHEMAS = ['main', 'pg_catalog']
const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['main', 'pg_catalog', 'information_schema'])
// A replacement scan turns a table name with a file extension or a directory into a file read.
const FILE_LIKE = /[./\\:]/

const lower = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '')

function refusedTable(node: Record<string, unknown>, systemRelations: ReadonlySet<string>): Refusal | undefined {
  const catalog = lower(node.catalog_name)
  const schema = lower(node.schema_name)
  const name = lower(node.table_name)
  const shown = [node.catalog_name, node.schema_name, node.table_name].filter((p) => typeof p === 'string' && p !== '').join('.')
  if (typeof node.table_name !== 'string' || name === '') {
    return { reason: 'system_catalog', detail: 'a table reference without a name is not allowed in queries' }
  }
  if (catalog === '' && schema === '' && FILE_LIKE.test(name)) {
    return {
      reason: 'file_access',
      detail: `table name ${JSON.stringify(node.table_name)} looks like a file; files are not read directly, query the dataset views (SHOW TABLES)`,
    }
  }
  // `memory.x` and `memory.main.x` resolve in the catalog of the datasets only.
  if (catalog === 'memory' || (catalog === '' && schema === 'memory')) return undefined
  // Unqualified: the search path. `main.x` falls back to system.main; `system.x`, `temp.x` or an
  // unknown qualifier: any schema (fail closed).
  const schemas = schema === '' ? SEARCH_PATH_SCHEMAS : catalog === '' && !SYSTEM_SCHEMAS.has(schema) ? undefined : [schema]
  for (const candidate of systemRelations) {
    const dot = candidate.indexOf('.')
    if (candidate.slice(dot + 1) !== name) continue
    if (schemas !== undefined && !schemas.includes(candidate.slice(0, dot))) continue
    if (ALLOWED_SYSTEM_RELATIONS.has(candidate)) continue
    return {
      reason: 'system_catalog',
      detail: `${shown} is not allowed in queries: it resolves to DuckDB's system catalog (${candidate}); query the dataset views (SHOW TABLES)`,
    }
  }
  return undefined
}

/**
 * The first reference in a `json_serialize_sql` tree a query may not make, or undefined. Table
 * functions are nodes `{type: "TABLE_FUNCTION", function: {function_name}}`, scalar functions,
 * macros and aggregates `{class: "FUNCTION", function_name}`, named relations (tables, views,
 * CTEs, quoted file names) `{type: "BASE_TABLE", catalog_name, schema_name, table_name}`,
 * wherever they sit (CTEs, subqueries, LATERAL, set operations, lambdas, DESCRIBE/SUMMARIZE).
 * A node of one of these kinds without a readable name is refused: the walk fails closed.
 */
export function refusedReference(tree: unknown, systemRelations: ReadonlySet<string>): Refusal | undefined {
  const stack: unknown[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child)
      continue
    }
    const record = node as Record<string, unknown>
    if (record.type === 'TABLE_FUNCTION') {
      const fn = record.function as { function_name?: unknown } | undefined
      const name = typeof fn?.function_name === 'string' ? fn.function_name.toLowerCase() : undefined
      if (name === undefined || !ALLOWED_TABLE_FUNCTIONS.has(name)) {
        return { reason: 'table_function', detail: `table function ${name ?? '(unnamed)'}() is not allowed in queries` }
      }
    } else if (record.class === 'FUNCTION' || typeof record.function_name === 'string') {
      const name = typeof record.function_name === 'string' ? record.function_name.toLowerCase() : undefined
      if (name === undefined || DENIED_FUNCTIONS.has(name)) {
        return {
          reason: 'function',
          detail: `function ${name ?? '(unnamed)'}() is not allowed in queries: it reads server settings or the system catalog`,
        }
      }
    } else if (record.type === 'BASE_TABLE') {
      const refusal = refusedTable(record, systemRelations)
      if (refusal !== undefined) return refusal
    }
    for (const child of Object.values(record)) stack.push(child)
  }
  return undefined
}
