/**
 * Table functions a query may call. A SELECT can call table functions with side effects that
 * no setting stops: on DuckDB 1.5.6 `SELECT * FROM enable_logging(storage := 'file', …)` is
 * accepted despite `lock_configuration`, then every later query fails and the process aborts
 * (verified). `checkpoint()`, `enable_profiling()`, `disable_logging()`, `enable_peg_parser()`
 * and `query('…')` (SQL text the guard cannot see) are of the same kind. So the guard reads the
 * engine's own parse tree (`json_serialize_sql`) and admits only the functions listed here:
 * readers confined to the allowed directories, generators, and catalog introspection that
 * reveals neither paths nor settings (`duckdb_views` would show the Parquet paths in view SQL,
 * `duckdb_settings` the allowed directories).
 */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'read_parquet',
  'parquet_scan',
  'parquet_metadata',
  'parquet_schema',
  'parquet_file_metadata',
  'parquet_kv_metadata',
  'range',
  'generate_series',
  'unnest',
  'repeat',
  'repeat_row',
  'json_each',
  'json_tree',
  'duckdb_columns',
  'duckdb_constraints',
  'duckdb_functions',
  'duckdb_keywords',
  'duckdb_schemas',
  'duckdb_tables',
  'duckdb_types',
])

/**
 * The first table function in a `json_serialize_sql` tree that is not allowed, or undefined.
 * Table function references are nodes `{type: "TABLE_FUNCTION", function: {function_name}}`
 * wherever they sit (CTEs, subqueries, LATERAL joins, set operations). A node of that type
 * without a readable name is refused too: the walk fails closed.
 */
export function disallowedTableFunction(tree: unknown): string | undefined {
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
      if (name === undefined || !ALLOWED_TABLE_FUNCTIONS.has(name)) return name ?? '(unnamed)'
    }
    for (const child of Object.values(record)) stack.push(child)
  }
  return undefined
}
