/**
 * SQL quoting for the statements built from data (view DDL, dataset names, paths, settings).
 * Imported as `@lakehouse/duckdb/sql` by packages that build SQL text but never open DuckDB
 * (draft, validator): this file imports nothing, so the native addon is not loaded for them.
 */

/**
 * A double-quoted identifier: `"` doubled inside. DuckDB matches identifiers case-insensitively,
 * quoted or not. The empty name becomes `""`, which DuckDB itself refuses ("zero-length
 * delimited identifier"): callers validate names before they get here.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A single-quoted string literal: `'` doubled inside (DuckDB has no backslash escapes in '…'). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
