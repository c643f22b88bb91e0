import type { DuckDBConnection } from '@duckdb/node-api'
import { type ColumnType, fitsSql, INFERRED_TYPES, internalColumn } from './csv-sql.ts'

/** Per column of the verified schema: the type, and how many values outside the sample forced VARCHAR. */
export interface VerifiedSchema {
  readonly types: readonly ColumnType[]
  readonly rowCount: number
  /** Columns demoted to VARCHAR by the whole-file check, with the number of misfit values. */
  readonly demoted: readonly { readonly index: number; readonly sampled: ColumnType; readonly misfits: number }[]
}

async function firstRow(conn: DuckDBConnection, sql: string): Promise<number[]> {
  const reader = await conn.runAndReadAll(sql)
  const row = reader.getRows()[0] ?? []
  // Counts come back as BIGINT (JS bigint); every count here is bounded by the row count.
  return row.map((v) => Number(v))
}

/**
 * Votes a type per column over the first `sampleRows` records. Each non-NULL value votes for
 * every type it fits; the first type in INFERRED_TYPES that all of them fit wins. NULL (an
 * empty field) does not vote, and a column with no value in the sample is VARCHAR.
 */
export async function inferSampleTypes(
  conn: DuckDBConnection,
  relation: string,
  columnCount: number,
  sampleRows: number,
): Promise<ColumnType[]> {
  const selects: string[] = []
  for (let i = 0; i < columnCount; i++) {
    const col = internalColumn(i)
    selects.push(`count(${col})`)
    for (const type of INFERRED_TYPES) selects.push(`count(${col}) FILTER (WHERE ${fitsSql(col, type)})`)
  }
  // LIMIT on a scan keeps file order because insertion order is preserved (DuckDB's default).
  const counts = await firstRow(conn, `SELECT ${selects.join(', ')} FROM (SELECT * FROM ${relation} LIMIT ${sampleRows})`)
  const width = INFERRED_TYPES.length + 1
  return Array.from({ length: columnCount }, (_, i) => {
    const present = counts[i * width] ?? 0
    if (present === 0) return 'VARCHAR'
    const winner = INFERRED_TYPES.findIndex((_, t) => counts[i * width + 1 + t] === present)
    return winner < 0 ? 'VARCHAR' : (INFERRED_TYPES[winner] ?? 'VARCHAR')
  })
}

/**
 * Checks the sampled types against the whole file in one aggregate pass: a non-NULL value a
 * column's type does not fit demotes the column to VARCHAR. A value outside the sample can
 * therefore neither fail the load (DuckDB's sniffer did, docs/runtime-facts.md) nor be nulled by a TRY_CAST.
 * The same pass counts the rows and proves DuckDB can parse every record before anything is
 * written.
 */
export async function verifyTypes(conn: DuckDBConnection, relation: string, sampled: readonly ColumnType[]): Promise<VerifiedSchema> {
  const checked = sampled.flatMap((type, index) => (type === 'VARCHAR' ? [] : [{ index, type }]))
  const selects = ['count(*)']
  for (const { index, type } of checked) {
    const col = internalColumn(index)
    selects.push(`count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT ${fitsSql(col, type)})`)
  }
  const [rowCount = 0, ...misfits] = await firstRow(conn, `SELECT ${selects.join(', ')} FROM ${relation}`)
  const types = [...sampled]
  const demoted: { index: number; sampled: ColumnType; misfits: number }[] = []
  checked.forEach(({ index, type }, k) => {
    const count = misfits[k] ?? 0
    if (count > 0) {
      types[index] = 'VARCHAR'
      demoted.push({ index, sampled: type, misfits: count })
    }
  })
  return { types, rowCount, demoted }
}
