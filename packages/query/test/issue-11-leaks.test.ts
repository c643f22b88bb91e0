import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine } from '../src/engine.ts'
import { ALLOWED_SYSTEM_RELATIONS, DENIED_FUNCTIONS, type QueryService, queryDefaults } from '../src/index.ts'
import { refusedReference } from '../src/reference-policy.ts'
import { rows, type Sandbox, sandbox, sql } from './helpers.ts'

/**
 * Issue 11: an attacker test read the absolute data directory back through settings, Parquet
 * metadata, view SQL in the system catalog and engine messages, and the path scrubber turned
 * `/*` into `<path>`. Every probe goes through the HTTP handler; none may answer with the data
 * directory (nor the spill directory, which sits inside it here).
 */

let box: Sandbox
let svc: QueryService
let file: string

beforeAll(async () => {
  box = await sandbox()
  const workers = await box.addDataset('workers', "SELECT i AS worker_id, 'w' || i AS name FROM range(10) t(i)")
  file = join(box.objects, workers.object_key)
  await box.addDataset('pg_class', 'SELECT 1 AS x')
  await box.addDataset('gone', 'SELECT 1 AS x')
  await box.addDataset('garbage', 'SELECT 1 AS x')
  await box.writeParquet('datasets/a dir with spaces/x.parquet', 'SELECT 1 AS x')
  box.catalog.put({ name: 'spaced', fingerprint: 'f0', schema: [], object_key: 'datasets/a dir with spaces/x.parquet', row_count: 1 })
  svc = await box.service({ tempDirectory: join(box.root, 'spill') })
  await svc.query('SELECT 1')
  // Break three views after they were built: their next use fails inside the engine with the path.
  rmSync(join(box.objects, 'datasets/gone/f0.parquet'))
  writeFileSync(join(box.objects, 'datasets/garbage/f0.parquet'), 'this is not parquet at all, just text that is long enough')
  rmSync(join(box.objects, 'datasets/a dir with spaces/x.parquet'))
})
afterAll(() => box.cleanup())

type Probe = readonly [sql: string, status: number, codeOrReason: string]

const PROBES: readonly Probe[] = [
  // settings
  ["SELECT current_setting('allowed_directories')", 403, 'function'],
  ["SELECT current_setting('temp_directory')", 403, 'function'],
  ["SELECT current_setting('secret_directory')", 403, 'function'],
  ['SELECT "CURRENT_SETTING"(\'allowed_directories\')', 403, 'function'],
  ["SELECT system.main.current_setting('allowed_directories')", 403, 'function'],
  ["SELECT list_transform([1], x -> current_setting('allowed_directories'))", 403, 'function'],
  ["SELECT * FROM workers WHERE name = current_setting('temp_directory')", 403, 'function'],
  ['SELECT * FROM duckdb_settings()', 403, 'table_function'],
  ['SELECT * FROM duckdb_profiling_settings()', 403, 'table_function'],
  ['SELECT * FROM pg_settings', 403, 'system_catalog'],
  ["SELECT setting FROM system.pg_catalog.pg_settings WHERE name = 'allowed_directories'", 403, 'system_catalog'],
  ['PRAGMA database_list', 403, 'statement_type'],
  ['CALL duckdb_settings()', 403, 'statement_type'],
  // Parquet readers and their file-name columns
  ["SELECT * FROM parquet_file_metadata('FILE')", 403, 'table_function'],
  ["SELECT * FROM parquet_metadata('FILE')", 403, 'table_function'],
  ["SELECT * FROM parquet_schema('FILE')", 403, 'table_function'],
  ["SELECT * FROM parquet_kv_metadata('FILE')", 403, 'table_function'],
  ["SELECT * FROM parquet_full_metadata('FILE')", 403, 'table_function'],
  ["SELECT * FROM read_parquet('FILE', filename = true)", 403, 'table_function'],
  ["SELECT filename FROM read_parquet('DATASETS/*/*.parquet')", 403, 'table_function'],
  ["SELECT filename FROM 'FILE'", 403, 'file_access'],
  ['SELECT filename FROM workers', 400, 'QUERY_INVALID'],
  ["SELECT * FROM glob('DATASETS/*')", 403, 'table_function'],
  // catalog functions and views that show view SQL (read_parquet('<absolute path>')) or paths
  ['SELECT * FROM duckdb_views()', 403, 'table_function'],
  ['SELECT * FROM duckdb_databases()', 403, 'table_function'],
  ['SELECT * FROM duckdb_extensions()', 403, 'table_function'],
  ['SELECT * FROM duckdb_temporary_files()', 403, 'table_function'],
  ['SELECT * FROM duckdb_secrets()', 403, 'table_function'],
  ["SELECT * FROM which_secret('s3://bucket/x', 's3')", 403, 'table_function'],
  ['SELECT * FROM duckdb_dependencies()', 403, 'table_function'],
  ['SELECT * FROM pragma_database_list()', 403, 'table_function'],
  ['SELECT sql FROM duckdb_views', 403, 'system_catalog'],
  ['SELECT * FROM main.duckdb_databases', 403, 'system_catalog'],
  ['SELECT sql FROM sqlite_master', 403, 'system_catalog'],
  ['SELECT view_definition FROM information_schema.views', 403, 'system_catalog'],
  ['SELECT definition FROM pg_catalog.pg_views', 403, 'system_catalog'],
  ['SELECT definition FROM pg_views', 403, 'system_catalog'],
  ['SELECT (SELECT max(definition) FROM system.pg_views)', 403, 'system_catalog'],
  ['WITH v AS (SELECT * FROM duckdb_views) SELECT sql FROM v', 403, 'system_catalog'],
  ['WITH pg_views AS (SELECT 1 AS x) SELECT * FROM pg_views', 403, 'system_catalog'],
  ['SUMMARIZE pg_views', 403, 'system_catalog'],
  ['DESCRIBE sqlite_master', 403, 'system_catalog'],
  ["SELECT pg_get_viewdef(table_oid) FROM duckdb_columns() WHERE table_name = 'workers'", 403, 'function'],
  ['SELECT * FROM pg_class', 403, 'system_catalog'],
  // statements that read files or explain plans
  ["IMPORT DATABASE 'DATASETS'", 403, 'statement_type'],
  ["IMPORT DATABASE '/tmp'", 403, 'statement_type'],
  ['EXPLAIN SELECT * FROM workers', 403, 'statement_type'],
  ["SELECT * FROM read_csv('/etc/passwd')", 403, 'table_function'],
  // engine messages that name files: broken views, echoed SQL
  ['SELECT * FROM gone', 400, 'QUERY_INVALID'],
  ['SELECT * FROM garbage', 400, 'QUERY_INVALID'],
  ['SELECT * FROM spaced', 400, 'QUERY_INVALID'],
  ["SELECT 'FILE' x y", 400, 'QUERY_INVALID'],
  ["SELECT nope FROM workers WHERE name = 'DATASETS/'", 400, 'QUERY_INVALID'],
  // what stays allowed answers without paths
  ['SHOW ALL TABLES', 200, ''],
  ['SELECT * FROM duckdb_columns()', 200, ''],
  ['SELECT * FROM duckdb_tables()', 200, ''],
  ['SELECT * FROM information_schema.tables', 200, ''],
  ['SELECT * FROM duckdb_functions()', 200, ''],
  ['SUMMARIZE workers', 200, ''],
]

const fill = (query: string) => query.replaceAll('FILE', file).replaceAll('DATASETS', box.datasets)

describe('issue 11: leaks', () => {
  it(`answers ${PROBES.length} probes without the data directory`, async () => {
    const seen: string[] = []
    for (const [probe, status] of PROBES) {
      const query = fill(probe)
      const r = await sql(svc, { sql: query })
      expect(r.text, probe).not.toContain(box.root)
      expect(r.text, probe).not.toContain('/objects/datasets')
      const got = status === 200 ? '' : status === 403 ? r.body.reason : r.body.code
      seen.push(`${r.status} ${got} ${probe}`)
    }
    expect(seen).toEqual(PROBES.map(([probe, status, expected]) => `${status} ${expected} ${probe}`))
  })

  it('refuses with QUERY_FORBIDDEN and a detail naming what was refused', async () => {
    const named = async (query: string, name: string) => {
      const r = await sql(svc, { sql: fill(query) })
      expect([r.status, r.body.code], r.text).toEqual([403, 'QUERY_FORBIDDEN'])
      expect(r.body.detail).toContain(name)
    }
    await named("SELECT current_setting('allowed_directories')", 'current_setting()')
    await named("SELECT * FROM parquet_file_metadata('FILE')", 'parquet_file_metadata()')
    await named('SELECT * FROM information_schema.views', 'information_schema.views')
    await named("SELECT * FROM 'FILE'", '<path>')
  })

  it('reports engine messages about broken views with <path> in place of the file', async () => {
    for (const view of ['gone', 'garbage', 'spaced']) {
      const r = await sql(svc, `SELECT * FROM ${view}`)
      expect(r.body.detail, view).toContain('<path>')
      expect(r.text, view).not.toContain('spaces')
    }
  })

  it('answers SELECT 1 /* with the parser message intact', async () => {
    const r = await sql(svc, 'SELECT 1 /*')
    expect([r.status, r.body.code]).toEqual([400, 'QUERY_INVALID'])
    expect(r.body.detail).toMatch(/^Parser Error: unterminated \/\* comment at or near "\/\*"/)
    expect(r.body.detail).not.toContain('<path>')
  })

  it('keeps a dataset named like a system relation reachable as memory.main.<name>', async () => {
    expect(await rows(svc, 'SELECT x FROM memory.main.pg_class')).toEqual([[1]])
    expect(await rows(svc, 'SELECT count(*) FROM memory.workers')).toEqual([[10]])
  })

  it('refuses every system macro whose body reads what a query may not', async () => {
    const engine = await openEngine({ ...queryDefaults, connections: 1 }, [box.datasets])
    const probe = await DuckDBInstance.create(':memory:')
    const conn = await probe.connect()
    try {
      for (const name of [
        'main.duckdb_views',
        'main.sqlite_master',
        'pg_catalog.pg_views',
        'pg_catalog.pg_settings',
        'information_schema.views',
      ]) {
        expect(engine.systemRelations.has(name), name).toBe(true)
        expect(ALLOWED_SYSTEM_RELATIONS.has(name), name).toBe(false)
      }
      for (const name of ALLOWED_SYSTEM_RELATIONS) expect(engine.systemRelations.has(name), name).toBe(true)
      const macros = (
        await conn.runAndReadAll(
          "SELECT DISTINCT function_name, macro_definition FROM duckdb_functions() WHERE function_type = 'macro' AND macro_definition IS NOT NULL",
        )
      ).getRows()
      expect(macros.length).toBeGreaterThan(50)
      const reading: string[] = []
      for (const [name, body] of macros) {
        const serialized = (
          await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [`SELECT ${String(body)}`])
        ).getRows()[0]?.[0]
        const tree = JSON.parse(String(serialized)) as { error?: boolean; statements?: unknown }
        expect(tree.error, String(name)).not.toBe(true)
        if (refusedReference(tree.statements, engine.systemRelations) !== undefined) reading.push(String(name))
      }
      const unguarded = reading.filter((name) => !DENIED_FUNCTIONS.has(name) && name !== 'current_setting')
      expect(unguarded).toEqual([])
      expect(reading).toContain('pg_get_viewdef')
      // Scalar functions that read settings or secrets by name.
      const readers = (
        await conn.runAndReadAll(
          "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'scalar' AND regexp_matches(function_name, 'setting|secret|getenv')",
        )
      ).getRows()
      for (const [name] of readers) expect(DENIED_FUNCTIONS.has(String(name)), String(name)).toBe(true)
    } finally {
      conn.closeSync()
      probe.closeSync()
      engine.close()
    }
  })
})
