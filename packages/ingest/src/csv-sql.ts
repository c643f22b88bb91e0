/**
 * The SQL text ingest sends to DuckDB. The CSV is read with every column as VARCHAR under
 * internal names c0…cN (so header names never need quoting until the final COPY), and every
 * type decision is a predicate over that text, used identically for the sample vote and the
 * whole-file check.
 */

import { quoteLiteral } from '@lakehouse/duckdb'

export type ColumnType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'VARCHAR'

/** Candidates in the order they are tried; the first that every sampled value fits wins. */
export const INFERRED_TYPES: readonly Exclude<ColumnType, 'VARCHAR'>[] = ['BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP']

export function internalColumn(index: number): string {
  return `c${index}`
}

/**
 * The CSV as an all-VARCHAR relation. `auto_detect=false` with every dialect option spelled out:
 * DuckDB's sniffer typed a column from a sample and then failed the load on a later value
 * (docs/runtime-facts.md), and it also refused some CRLF files with field-count errors outright. Explicit
 * `columns` keep DuckDB from renaming or de-duplicating header names; `header=true` skips the
 * header record. Empty fields, quoted or not, read as NULL.
 */
export function readCsvSql(path: string, columnCount: number, bufferBytes: number): string {
  const columns = Array.from({ length: columnCount }, (_, i) => `${quoteLiteral(internalColumn(i))}: 'VARCHAR'`).join(', ')
  return [
    `read_csv(${quoteLiteral(path)}`,
    'header = true',
    'auto_detect = false',
    "delim = ','",
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    'null_padding = false',
    'ignore_errors = false',
    "compression = 'none'",
    `buffer_size = ${bufferBytes}`,
    `columns = {${columns}})`,
  ].join(', ')
}

// Textual shapes, anchored by regexp_full_match. DuckDB's casts alone are too lenient: they
// round '12.5' to BIGINT 13, accept ' 12', '+5', '0x10', '1_000', and drop a time-zone offset.
// Integers must round-trip as text (no leading zeros, so ZIP codes stay VARCHAR).
const INTEGER = '-?(0|[1-9][0-9]*)'
const DECIMAL = String.raw`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
const DATE = '[0-9]{4}-[0-9]{2}-[0-9]{2}'
const TIMESTAMP = String.raw`[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[-+][0-9]{2}(:?[0-9]{2})?)?`

/** SQL that is true when the non-NULL VARCHAR `col` converts to `type` exactly. */
export function fitsSql(col: string, type: Exclude<ColumnType, 'VARCHAR'>): string {
  switch (type) {
    case 'BIGINT':
      return `(regexp_full_match(${col}, '${INTEGER}') AND TRY_CAST(${col} AS BIGINT) IS NOT NULL)`
    case 'DOUBLE':
      // An integer beyond int64 would silently lose digits as a DOUBLE, so it does not fit.
      return `(regexp_full_match(${col}, '${DECIMAL}') AND isfinite(TRY_CAST(${col} AS DOUBLE)) AND (NOT regexp_full_match(${col}, '${INTEGER}') OR TRY_CAST(${col} AS BIGINT) IS NOT NULL))`
    case 'BOOLEAN':
      return `(lower(${col}) IN ('true', 'false'))`
    case 'DATE':
      return `(regexp_full_match(${col}, '${DATE}') AND TRY_CAST(${col} AS DATE) IS NOT NULL)`
    case 'TIMESTAMP':
      return `(regexp_full_match(${col}, '${TIMESTAMP}') AND TRY_CAST(${col} AS TIMESTAMPTZ) IS NOT NULL)`
  }
}

/**
 * The expression that converts the VARCHAR column to its final type. TIMESTAMP goes through
 * TIMESTAMPTZ so an offset (`+02:00`, `Z`) is applied rather than dropped; the connection runs
 * with `TimeZone = 'UTC'`, so values without an offset are taken as UTC on every machine.
 */
export function castSql(col: string, type: ColumnType): string {
  switch (type) {
    case 'VARCHAR':
      return col
    case 'TIMESTAMP':
      return `CAST(CAST(${col} AS TIMESTAMPTZ) AS TIMESTAMP)`
    default:
      return `CAST(${col} AS ${type})`
  }
}

/**
 * Cells (rows × columns) the Parquet writer may hold in one row group. The writer keeps a whole
 * row group in memory, so a fixed row count costs memory in proportion to the width: at the
 * default 16,384 rows a 4,096-column, 10k-row file peaked at 1 GB (issue 12). Up to 64 columns
 * the configured row count applies unchanged.
 */
export const ROW_GROUP_CELLS = 1 << 20

/** DuckDB's vector size: its smallest effective ROW_GROUP_SIZE (row groups are cut between chunks). */
const MIN_ROW_GROUP_ROWS = 2048

/** Rows per Parquet row group for a file of `columns` columns: `configured`, cut to ROW_GROUP_CELLS, never below 2,048. */
export function rowGroupRows(configured: number, columns: number): number {
  return Math.min(configured, Math.max(MIN_ROW_GROUP_ROWS, Math.floor(ROW_GROUP_CELLS / Math.max(1, columns))))
}
