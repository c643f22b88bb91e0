import type { DuckDBResult } from '@duckdb/node-api'
import type { QueryColumn, QueryResult, QueryValue } from './types.ts'
import { type Convert, converterFor } from './value-converter.ts'

/**
 * Reads at most `limit` rows of a streaming result, plus just enough to know whether more
 * exist. DuckDB produces a streaming result chunk by chunk (2,048 rows each), so a query over
 * billions of rows costs `limit` rows and one chunk, never the whole result. Rows past the limit
 * are left unread; the next statement on the connection closes the stream.
 *
 * `stopped()` is checked after every fetch: after `interrupt()` a pending fetch does not fail,
 * it returns an empty chunk (verified on 1.5.6), which would otherwise read as a complete result.
 */
export async function readLimited(result: DuckDBResult, limit: number, stopped: () => boolean): Promise<QueryResult | undefined> {
  const columns: QueryColumn[] = []
  const convert: Convert[] = []
  for (let i = 0; i < result.columnCount; i++) {
    const type = result.columnType(i)
    // toString() drops aliases; the alias is the name DuckDB itself reports (typeof('{}'::JSON) = 'JSON').
    columns.push({ name: result.columnName(i), type: type.alias ?? type.toString() })
    convert.push(converterFor(type))
  }
  const rows: QueryValue[][] = []
  let truncated = false
  for (;;) {
    const chunk = await result.fetchChunk()
    if (stopped()) return undefined
    if (chunk === null || chunk.rowCount === 0) break
    const wanted = limit - rows.length
    if (wanted <= 0 || chunk.rowCount > wanted) truncated = true
    const take = Math.min(wanted, chunk.rowCount)
    for (let r = 0; r < take; r++) {
      const raw = chunk.getRowValues(r)
      const row: QueryValue[] = new Array(raw.length)
      for (let c = 0; c < raw.length; c++) row[c] = (convert[c] as Convert)(raw[c] ?? null)
      rows.push(row)
    }
    if (truncated) break
  }
  return { columns, rows, row_count: rows.length, truncated }
}
