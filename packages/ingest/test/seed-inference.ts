import type { DuckDBConnection } from '@duckdb/node-api'
import { type ColumnType, fitsSql, INFERRED_TYPES, internalColumn } from '../src/csv-sql.ts'

/**
 * The seed's type inference (before issue 12), kept verbatim as the reference the new passes
 * must agree with (test/inference-scaling.test.ts) and as the `wide` variant of
 * bench/inference-options.ts. One aggregate per column and candidate type: quadratic in the
 * width, so only ever run it on narrow files.
 */

async function firstRow(conn: DuckDBConnection, sql: string): Promise<number[]> {
  const reader = await conn.runAndReadAll(sql)
  const row = reader.getRows()[0] ?? []
  return row.map((v) => Number(v))
}

export async function seedInferSampleTypes(
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
  const counts = await firstRow(conn, `SELECT ${selects.join(', ')} FROM (SELECT * FROM ${relation} LIMIT ${sampleRows})`)
  const width = INFERRED_TYPES.length + 1
  return Array.from({ length: columnCount }, (_, i) => {
    const present = counts[i * width] ?? 0
    if (present === 0) return 'VARCHAR'
    const winner = INFERRED_TYPES.findIndex((_, t) => counts[i * width + 1 + t] === present)
    return winner < 0 ? 'VARCHAR' : (INFERRED_TYPES[winner] ?? 'VARCHAR')
  })
}

export async function seedVerifyTypes(conn: DuckDBConnection, relation: string, sampled: readonly ColumnType[]) {
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
