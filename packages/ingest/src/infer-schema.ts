import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import { type ColumnType, fitsSql, INFERRED_TYPES, internalColumn } from './csv-sql.ts'

/**
 * Type inference in two DuckDB passes whose cost is linear in the width (issue 12). The seed
 * built one aggregate per column and type, `count(cN) FILTER (WHERE …)` six times per column,
 * and that query's time and memory grew with the square of the aggregate count (250 columns of
 * one row: 12.8 s and 2.4 GB; 2,000 columns: no answer in 30 s, RSS past 13 GB). Here each
 * record's values go into one list, a lambda tests the list's elements (DuckDB evaluates it over
 * every element of the chunk at once), and only small results are grouped by column, so the SQL
 * has the same number of expressions whatever the width (the whole-file check of narrow files
 * keeps the seed's form, bounded at PER_COLUMN_CHECK_MAX aggregates). Figures: docs/ingest.md.
 */

/** Per column of the verified schema: the type, and how many values outside the sample forced VARCHAR. */
export interface VerifiedSchema {
  readonly types: readonly ColumnType[]
  readonly rowCount: number
  /** Columns demoted to VARCHAR by the whole-file check, with the number of misfit values. */
  readonly demoted: readonly { readonly index: number; readonly sampled: ColumnType; readonly misfits: number }[]
}

type TypedColumn = { readonly index: number; readonly type: Exclude<ColumnType, 'VARCHAR'> }

async function allRows(conn: DuckDBConnection, sql: string): Promise<(number | null)[][]> {
  const reader = await conn.runAndReadAll(sql)
  // Counts come back as BIGINT (JS bigint); every number here is bounded by the row count or the width.
  return reader.getRows().map((row) => row.map((v: DuckDBValue) => (v === null ? null : Number(v))))
}

/** `[c0, c1, …]` for the given column indexes: one record's values as a list. */
function valuesList(indexes: readonly number[]): string {
  return `[${indexes.map(internalColumn).join(', ')}]`
}

/** A value's fit mask: bit t is set when the non-NULL `v` fits INFERRED_TYPES[t]; NULL for NULL. */
function fitMaskSql(v: string): string {
  const bits = INFERRED_TYPES.map((type, t) => `(CASE WHEN ${fitsSql(v, type)} THEN ${1 << t} ELSE 0 END)`)
  return `CASE WHEN ${v} IS NULL THEN NULL ELSE ${bits.join(' + ')} END`
}

/**
 * Votes a type per column over the first `sampleRows` records. Each non-NULL value votes for
 * every type it fits; the first type in INFERRED_TYPES that all of them fit wins. NULL (an
 * empty field) does not vote, and a column with no value in the sample is VARCHAR.
 *
 * Per record, `list_transform` turns the values into fit masks; `unnest` then yields one
 * (column, mask) row per value, and `bit_and` per column keeps the types every value fits.
 * Cost: sampleRows × width values, one query of fixed size.
 */
export async function inferSampleTypes(
  conn: DuckDBConnection,
  relation: string,
  columnCount: number,
  sampleRows: number,
): Promise<ColumnType[]> {
  const types: ColumnType[] = Array.from({ length: columnCount }, () => 'VARCHAR')
  if (columnCount === 0) return types
  const indexes = Array.from({ length: columnCount }, (_, i) => i)
  // Two unnests in one SELECT run side by side (DuckDB zips them), so k and m stay paired.
  // LIMIT on a scan keeps file order because insertion order is preserved (DuckDB's default).
  const rows = await allRows(
    conn,
    `SELECT k, count(m), bit_and(m) FROM (` +
      `SELECT unnest([${indexes.join(', ')}]) AS k, unnest(list_transform(${valuesList(indexes)}, lambda v: ${fitMaskSql('v')})) AS m ` +
      `FROM (SELECT * FROM ${relation} LIMIT ${sampleRows})) GROUP BY k`,
  )
  for (const [k, present, mask] of rows) {
    if (k === null || k === undefined || !present || mask === null || mask === undefined) continue
    const winner = INFERRED_TYPES.findIndex((_, t) => (mask & (1 << t)) !== 0)
    types[k] = INFERRED_TYPES[winner] ?? 'VARCHAR'
  }
  return types
}

/**
 * Up to this many typed columns the whole-file check uses one `count(*) FILTER (…)` per column,
 * the seed's form: on narrow files it is the cheapest (760k corpus rows, 2 typed columns: 0.55 s
 * against 0.7–0.85 s for the list form; 64 columns × 100k rows: 0.87 s against 1.26 s). Its
 * cost grows faster than the count (above), so the list form, which wins from about 100 typed
 * columns, takes over above this; 64 such aggregates stay cheap.
 */
export const PER_COLUMN_CHECK_MAX = 64

/**
 * Checks the sampled types against the whole file in one pass: a non-NULL value a column's type
 * does not fit demotes the column to VARCHAR. A value outside the sample can therefore neither
 * fail the load (DuckDB's sniffer did, docs/runtime-facts.md) nor be nulled by a TRY_CAST. The
 * same pass counts the rows and proves DuckDB can parse every record before anything is written.
 *
 * Above `perColumnMax` typed columns, the typed columns of each record form one list, ordered
 * by type so that an element's type follows from its 1-based position `i` by range (no
 * per-element lookup); `list_filter` keeps the positions of misfits. Each record then unnests
 * to a `0` (which counts the records) plus its misfit positions — usually none — and those are
 * grouped.
 */
export async function verifyTypes(
  conn: DuckDBConnection,
  relation: string,
  sampled: readonly ColumnType[],
  perColumnMax = PER_COLUMN_CHECK_MAX,
): Promise<VerifiedSchema> {
  const checked: TypedColumn[] = INFERRED_TYPES.flatMap((type) => sampled.flatMap((t, index) => (t === type ? [{ index, type }] : [])))
  const { rowCount, misfits } =
    checked.length <= perColumnMax ? await countPerColumn(conn, relation, checked) : await countByList(conn, relation, checked)
  const types = [...sampled]
  const demoted: { index: number; sampled: ColumnType; misfits: number }[] = []
  checked.forEach(({ index, type }, k) => {
    const count = misfits[k] ?? 0
    if (count > 0) {
      types[index] = 'VARCHAR'
      demoted.push({ index, sampled: type, misfits: count })
    }
  })
  // In header order: the log line lists demoted columns left to right.
  demoted.sort((a, b) => a.index - b.index)
  return { types, rowCount, demoted }
}

/** Row count, and per checked column the number of misfit values (aligned with `checked`). */
interface MisfitCounts {
  readonly rowCount: number
  readonly misfits: readonly number[]
}

async function countPerColumn(conn: DuckDBConnection, relation: string, checked: readonly TypedColumn[]): Promise<MisfitCounts> {
  const selects = ['count(*)']
  for (const { index, type } of checked) {
    const col = internalColumn(index)
    selects.push(`count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT ${fitsSql(col, type)})`)
  }
  const [row = []] = await allRows(conn, `SELECT ${selects.join(', ')} FROM ${relation}`)
  const [rowCount, ...misfits] = row
  return { rowCount: rowCount ?? 0, misfits: misfits.map((m) => m ?? 0) }
}

async function countByList(conn: DuckDBConnection, relation: string, checked: readonly TypedColumn[]): Promise<MisfitCounts> {
  const branches: string[] = []
  let end = 0
  for (const type of INFERRED_TYPES) {
    const count = checked.filter((c) => c.type === type).length
    if (count === 0) continue
    end += count
    branches.push(`WHEN i <= ${end} THEN ${fitsSql('v', type)}`)
  }
  const misfitAt = `lambda v, i: CASE WHEN v IS NOT NULL AND NOT (CASE ${branches.join(' ')} END) THEN i END`
  const positions = `list_filter(list_transform(${valuesList(checked.map((c) => c.index))}, ${misfitAt}), lambda p: p IS NOT NULL)`
  const rows = await allRows(
    conn,
    `SELECT p, count(*) FROM (SELECT unnest(list_prepend(0, ${positions})) AS p FROM ${relation}) GROUP BY p`,
  )
  let rowCount = 0
  const misfits = checked.map(() => 0)
  for (const [p, count] of rows) {
    if (p === null || p === undefined || count === null || count === undefined) continue
    if (p === 0) rowCount = count
    else misfits[p - 1] = count
  }
  return { rowCount, misfits }
}
