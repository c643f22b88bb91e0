/**
 * Table functions a query may call. A SELECT can call table functions with side effects that
 * no setting stops: on DuckDB 1.5.6 `SELECT * FROM enable_logging(storage := 'file', …)` is
 * accepted despite `lock_configuration`, then every later query fails and the process aborts
 * (verified). `checkpoint()`, `enable_profiling()`, `disable_logging()`, `enable_peg_parser()`
 * and `query('…')` (SQL the guard cannot see) are of the same kind. So the guard reads the
 * engine's own parse tree (reference-policy.ts) and admits only the functions listed here:
 * generators, and catalog introspection that reveals neither paths nor settings
 * (`duckdb_views` would show the Parquet paths in view SQL, `duckdb_settings` the allowed
 * directories).
 *
 * No file reader is listed (issue 11). Datasets are read through their views, which the engine
 * expands after this check; a client never knows an object's path. `read_parquet(…,
 * filename := true)`, its `filename` virtual column and `parquet_metadata`/`parquet_schema`/
 * `parquet_file_metadata`/`parquet_kv_metadata` all return the absolute path, and any direct
 * reader answers 400 inside the allowed directories and 403 outside: an oracle for the layout.
 */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set([
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
