/**
 * Issue 12: compares ways of running type inference (sample vote + whole-file check) on wide
 * CSVs. One variant × one shape per process, so peak RSS belongs to that run. Reports, does not
 * assert. Bundle for Node like ingest-measure.ts, or run in Bun directly:
 *
 *   ../../node_modules/.bin/bun bench/inference-options.ts <variant> <columns> <rows> [csvPath]
 *
 * variants: `wide` (the seed's single aggregate query, test/seed-inference.ts), `batched:K`
 * (K columns per query, sample materialised as a temp table, the whole file re-read per batch),
 * `unnest` (each record becomes one (column, value) row per column, grouped by column, in both
 * passes), `hybrid` (sample as `unnest`; whole file: one filter whose predicate ORs every typed
 * column's misfit test) and `current` (src/infer-schema.ts: list lambdas inside each record,
 * then only small results are unnested). Optional csvPath: ingest that file (give its width). A watchdog exits with `killed` once RSS passes LIMIT_MIB (default 3072) or the
 * run passes LIMIT_S (default 30 s).
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { type ColumnType, fitsSql, INFERRED_TYPES, internalColumn, readCsvSql } from '../src/csv-sql.ts'
import { inferSampleTypes, verifyTypes } from '../src/infer-schema.ts'
import { seedInferSampleTypes, seedVerifyTypes } from '../test/seed-inference.ts'
import { writeWideCsv } from './wide-csv.ts'

// Settings are flags, not environment variables: only apps/* read the environment.
const { values: flags, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    'limit-mib': { type: 'string', default: '3072' },
    'limit-s': { type: 'string', default: '30' },
    'memory-limit': { type: 'string', default: '2GB' },
    misfit: { type: 'boolean', default: false },
  },
})
const [variant = 'current', colsArg = '50', rowsArg = '1', csvArg] = positionals
const LIMIT_MIB = Number(flags['limit-mib'])
const LIMIT_S = Number(flags['limit-s'])
/** DuckDB memory_limit for the run (the service default unless set). */
const MEMORY_LIMIT = flags['memory-limit']
/** --misfit: every value after the sample is `x` (bench/wide-csv.ts). */
const MISFIT = flags.misfit
const SAMPLE_ROWS = 1000

function status(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))
  return Math.round(Number(m?.[1] ?? 0) / 1024)
}

const started = performance.now()
const runtime = typeof process.versions.bun === 'string' ? `bun ${process.versions.bun}` : `node ${process.versions.node}`
const report = (extra: Record<string, unknown>) =>
  console.log(JSON.stringify({ runtime, variant, columns: Number(colsArg), rows: Number(rowsArg), ...extra }))
const watchdog = setInterval(() => {
  const rss = status('VmRSS')
  const s = (performance.now() - started) / 1000
  if (rss > LIMIT_MIB || s > LIMIT_S) {
    report({ killed: true, after_s: Math.round(s * 10) / 10, rss_mib: rss })
    process.exit(3)
  }
}, 50)

async function rowsOf(conn: DuckDBConnection, sql: string): Promise<number[][]> {
  const reader = await conn.runAndReadAll(sql)
  return reader.getRows().map((row) => row.map((v) => (v === null ? -1 : Number(v))))
}

function vote(present: number, fits: readonly number[]): ColumnType {
  if (present === 0) return 'VARCHAR'
  const winner = INFERRED_TYPES.findIndex((_, t) => fits[t] === present)
  return winner < 0 ? 'VARCHAR' : (INFERRED_TYPES[winner] ?? 'VARCHAR')
}

async function batched(conn: DuckDBConnection, relation: string, cols: number, k: number) {
  await conn.run(`CREATE TEMP TABLE sample AS SELECT * FROM ${relation} LIMIT ${SAMPLE_ROWS}`)
  const types: ColumnType[] = []
  for (let from = 0; from < cols; from += k) {
    const selects: string[] = []
    for (let i = from; i < Math.min(cols, from + k); i++) {
      const col = internalColumn(i)
      selects.push(`count(${col})`, ...INFERRED_TYPES.map((t) => `count(${col}) FILTER (WHERE ${fitsSql(col, t)})`))
    }
    const [counts = []] = await rowsOf(conn, `SELECT ${selects.join(', ')} FROM sample`)
    for (let j = 0; j * 6 < counts.length; j++) types.push(vote(counts[j * 6] ?? 0, counts.slice(j * 6 + 1, j * 6 + 6)))
  }
  await conn.run('DROP TABLE sample')
  const checked = types.flatMap((type, index) => (type === 'VARCHAR' ? [] : [{ index, type: type as Exclude<ColumnType, 'VARCHAR'> }]))
  let rowCount = 0
  const misfits: number[] = []
  for (let from = 0; from === 0 || from < checked.length; from += k) {
    const selects = ['count(*)']
    for (const { index, type } of checked.slice(from, from + k)) {
      const col = internalColumn(index)
      selects.push(`count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT ${fitsSql(col, type)})`)
    }
    const [[n = 0, ...m] = []] = await rowsOf(conn, `SELECT ${selects.join(', ')} FROM ${relation}`)
    rowCount = n
    misfits.push(...m)
  }
  return { types, rowCount, misfits: misfits.filter((m) => m > 0).length }
}

const caseOf = (v: string, t: string) => `CASE ${t} ${INFERRED_TYPES.map((type, i) => `WHEN ${i} THEN ${fitsSql(v, type)}`).join(' ')} END`

/** The sample vote both unnest strategies share: one row per (column, value), grouped by column. */
async function unnestVote(conn: DuckDBConnection, relation: string, cols: number): Promise<ColumnType[]> {
  const idx = Array.from({ length: cols }, (_, i) => i)
  const counts = await rowsOf(
    conn,
    `SELECT k, count(v), ${INFERRED_TYPES.map((t) => `count(v) FILTER (WHERE ${fitsSql('v', t)})`).join(', ')}
     FROM (SELECT unnest([${idx.join(', ')}]) AS k, unnest([${idx.map(internalColumn).join(', ')}]) AS v
           FROM (SELECT * FROM ${relation} LIMIT ${SAMPLE_ROWS}))
     GROUP BY k`,
  )
  const types: ColumnType[] = Array.from({ length: cols }, () => 'VARCHAR')
  for (const [k = 0, present = 0, ...fits] of counts) types[k] = vote(present, fits)
  return types
}

async function unnest(conn: DuckDBConnection, relation: string, cols: number) {
  const types = await unnestVote(conn, relation, cols)
  const checked = types.flatMap((type, index) => (type === 'VARCHAR' ? [] : [index]))
  // k = -1 is a sentinel with one row per record: its count is the row count.
  const misfitRows = await rowsOf(
    conn,
    `SELECT k, count(*), count(*) FILTER (WHERE v IS NOT NULL AND NOT ${caseOf('v', 't')})
     FROM (SELECT unnest([-1, ${checked.join(', ')}]) AS k, unnest([NULL, ${checked.map(internalColumn).join(', ')}]) AS v,
                  unnest([-1, ${checked.map((i) => INFERRED_TYPES.indexOf(types[i] as Exclude<ColumnType, 'VARCHAR'>)).join(', ')}]) AS t
           FROM ${relation})
     GROUP BY k`,
  )
  let rowCount = 0
  let misfits = 0
  for (const [k = 0, n = 0, bad = 0] of misfitRows) {
    if (k === -1) rowCount = n
    else if (bad > 0) misfits++
  }
  return { types, rowCount, misfits }
}

/** Sample as `unnest`; whole file: one filter aggregate whose predicate ORs every typed column's misfit test, then per-column counts only over misfit rows. */
async function hybrid(conn: DuckDBConnection, relation: string, cols: number) {
  const types = await unnestVote(conn, relation, cols)
  const checked = types.flatMap((type, index) => (type === 'VARCHAR' ? [] : [index]))
  const misfit = checked.map((i) => {
    const col = internalColumn(i)
    return `(${col} IS NOT NULL AND NOT ${fitsSql(col, types[i] as Exclude<ColumnType, 'VARCHAR'>)})`
  })
  const any = misfit.length === 0 ? 'false' : misfit.join(' OR ')
  const [[rowCount = 0, bad = 0] = []] = await rowsOf(conn, `SELECT count(*), count(*) FILTER (WHERE ${any}) FROM ${relation}`)
  let misfits = 0
  if (bad > 0) {
    const detail = await rowsOf(
      conn,
      `SELECT k, count(*) FROM (SELECT unnest([${checked.join(', ')}]) AS k, unnest([${checked.map(internalColumn).join(', ')}]) AS v,
                  unnest([${checked.map((i) => INFERRED_TYPES.indexOf(types[i] as Exclude<ColumnType, 'VARCHAR'>)).join(', ')}]) AS t
           FROM ${relation} WHERE ${any}) WHERE v IS NOT NULL AND NOT ${caseOf('v', 't')} GROUP BY k`,
    )
    misfits = detail.length
  }
  return { types, rowCount, misfits }
}

const phases: Record<string, number> = {}

const dir = await mkdtemp(join(tmpdir(), 'inference-options-'))
try {
  const cols = Number(colsArg)
  const rows = Number(rowsArg)
  const csvPath = csvArg ?? join(dir, 'wide.csv')
  if (csvArg === undefined) await writeWideCsv(csvPath, cols, rows, MISFIT)
  const db = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: MEMORY_LIMIT, temp_directory: join(dir, 'spill') })
  const conn = await db.connect()
  await conn.run("SET TimeZone = 'UTC'")
  const relation = readCsvSql(csvPath, cols, 8 * 1024 * 1024)
  const rssBefore = status('VmRSS')
  const t0 = performance.now()
  let result: { types: readonly ColumnType[]; rowCount: number; misfits: number }
  if (variant === 'wide' || variant === 'current') {
    const [infer, verify] = variant === 'wide' ? [seedInferSampleTypes, seedVerifyTypes] : [inferSampleTypes, verifyTypes]
    const sampled = await infer(conn, relation, cols, SAMPLE_ROWS)
    phases.sample_ms = Math.round(performance.now() - t0)
    const v = await verify(conn, relation, sampled)
    result = { types: v.types, rowCount: v.rowCount, misfits: v.demoted.length }
  } else if (variant.startsWith('batched:')) result = await batched(conn, relation, cols, Number(variant.slice(8)))
  else if (variant === 'unnest') result = await unnest(conn, relation, cols)
  else if (variant === 'hybrid') result = await hybrid(conn, relation, cols)
  else throw new Error(`unknown variant ${variant}`)
  const wallMs = performance.now() - t0
  conn.closeSync()
  db.closeSync()
  const tally: Record<string, number> = {}
  for (const t of result.types) tally[t] = (tally[t] ?? 0) + 1
  report({
    memory_limit: MEMORY_LIMIT,
    ...phases,
    misfit_rows: MISFIT,
    wall_ms: Math.round(wallMs),
    rss_before_mib: rssBefore,
    peak_rss_mib: status('VmHWM'),
    row_count: result.rowCount,
    types: tally,
    demoted: result.misfits,
  })
} finally {
  clearInterval(watchdog)
  await rm(dir, { recursive: true, force: true })
}
