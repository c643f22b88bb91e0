/** SQL quoting for the few statements built from data (view DDL, engine settings). */

/** A double-quoted identifier: `"` doubled inside. DuckDB matches identifiers case-insensitively. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A single-quoted string literal: `'` doubled inside. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
