import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine } from '../src/engine.ts'
import { type QueryService, queryDefaults } from '../src/index.ts'
import { expectProblem, rows, type Sandbox, sandbox, sql } from './helpers.ts'

let box: Sandbox
let svc: QueryService

beforeAll(async () => {
  box = await sandbox()
  await box.addDataset('workers', "SELECT i AS worker_id, 'w' || i AS name FROM range(10) t(i)")
  svc = await box.service()
})
afterAll(() => box.cleanup())

const forbidden = async (query: string, reason?: string) => {
  const r = await expectProblem(svc, { sql: query }, 403, 'QUERY_FORBIDDEN')
  if (reason !== undefined) expect(r.body.reason, query).toBe(reason)
  expect(r.text).not.toContain(box.root)
  expect(r.text).not.toContain('TOP-SECRET')
  return r
}

describe('read-only enforcement: statements that are not a SELECT → 403', () => {
  const groups: Record<string, string[]> = {
    DDL: [
      'CREATE TABLE t (a INTEGER)',
      'CREATE TABLE t AS SELECT * FROM workers',
      'CREATE TEMP TABLE t AS SELECT 1',
      'CREATE VIEW v AS SELECT 1',
      'CREATE OR REPLACE VIEW workers AS SELECT 1 AS x',
      'DROP VIEW workers',
      'DROP TABLE IF EXISTS nothing',
      'ALTER VIEW workers RENAME TO w2',
      'CREATE MACRO m(a) AS a',
      'CREATE SEQUENCE s',
      "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')",
      'CREATE SCHEMA s',
    ],
    DML: [
      'INSERT INTO workers VALUES (1, 2)',
      "UPDATE workers SET name = 'x'",
      'DELETE FROM workers',
      'TRUNCATE workers',
      'INSERT INTO nothing SELECT 1',
    ],
    COPY: [
      "COPY workers TO '/tmp/lakehouse-query-leak.csv'",
      "COPY (SELECT 1) TO 'out.parquet' (FORMAT parquet)",
      "COPY workers FROM '/etc/passwd'",
      "EXPORT DATABASE '/tmp/lakehouse-query-export'",
    ],
    'ATTACH/DETACH/USE': ["ATTACH ':memory:' AS m", "ATTACH '/tmp/lakehouse-query.db'", 'DETACH memory', 'USE memory'],
    'INSTALL/LOAD': ['INSTALL httpfs', 'LOAD httpfs', 'LOAD parquet', 'FORCE INSTALL json', 'UPDATE EXTENSIONS'],
    'SET/RESET': [
      'SET threads = 1',
      'RESET threads',
      'SET enable_external_access = true',
      "SET allowed_directories = ['/']",
      'SET VARIABLE x = 1',
    ],
    PRAGMA: ['PRAGMA version', "PRAGMA table_info('workers')", 'PRAGMA enable_profiling', 'PRAGMA threads = 1', 'PRAGMA show_tables'],
    'CALL and utility': [
      'CALL pragma_version()',
      'CHECKPOINT',
      'VACUUM',
      'BEGIN TRANSACTION',
      'COMMIT',
      'PREPARE p AS SELECT 1',
      'EXECUTE p',
    ],
    EXPLAIN: ['EXPLAIN SELECT 1', 'EXPLAIN ANALYZE SELECT 1', "EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.csv'"],
  }
  for (const [group, statements] of Object.entries(groups)) {
    it.each(statements)(`refuses ${group}: %s`, async (statement) => {
      await forbidden(statement, 'statement_type')
    })
  }

  it('refuses IMPORT DATABASE while the engine expands it (it reads schema.sql at parse time)', async () => {
    // Inside the allowed directory the engine says IO Error, outside Permission Error; both get
    // the same answer so the refusal does not tell where the allowed directory is (issue 11).
    const outside = await forbidden("IMPORT DATABASE '/tmp/lakehouse-query-export'", 'statement_type')
    const inside = await forbidden(`IMPORT DATABASE '${box.datasets}'`, 'statement_type')
    expect(inside.body.detail).toBe(outside.body.detail)
  })

  it('never executed any of them: the view is intact and nothing was written', async () => {
    expect(await rows(svc, 'SELECT count(*) FROM workers')).toEqual([[10]])
    expect(existsSync('/tmp/lakehouse-query-leak.csv')).toBe(false)
    expect(existsSync('/tmp/lakehouse-query-export')).toBe(false)
    expect(existsSync('/tmp/lakehouse-query.db')).toBe(false)
    expect(existsSync(join(box.datasets, 'x.csv'))).toBe(false)
  })
})

describe('read-only enforcement: files outside the allowed directory → 403', () => {
  it.each([
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_json('/etc/passwd')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM read_text('SECRET')",
    "SELECT * FROM read_blob('SECRET')",
  ])('refuses a file-reading table function: %s', async (query) => {
    await forbidden(query.replace('SECRET', box.secretKey), 'table_function')
  })

  it.each([
    "SELECT * FROM read_parquet('SECRET')",
    "SELECT * FROM parquet_metadata('SECRET')",
    "SELECT * FROM read_parquet('DATASETS/../../keys/secret.key')",
    "SELECT * FROM read_parquet('/etc/passwd')",
    "SELECT * FROM parquet_scan('DATASETS/workers/f0.parquet')",
  ])('refuses the Parquet readers wherever they point: %s', async (query) => {
    await forbidden(query.replace('SECRET', box.secretKey).replace('DATASETS', box.datasets), 'table_function')
  })

  it.each([
    "SELECT * FROM 'relative.parquet'",
    "SELECT * FROM 'DATASETS/../../keys/secret.key.csv'",
    "SELECT * FROM 'DATASETS/workers/f0.parquet'",
    "SELECT * FROM 'SECRET'",
  ])('refuses a file name used as a table (a replacement scan): %s', async (query) => {
    await forbidden(query.replace('SECRET', box.secretKey).replace('DATASETS', box.datasets), 'file_access')
  })

  it('does not read Parquet directly even inside the allowed directory (datasets are views)', async () => {
    const manifest = box.catalog.get('workers')
    await forbidden(`SELECT count(*) FROM read_parquet('${join(box.objects, manifest?.object_key ?? '')}')`, 'table_function')
    expect(await rows(svc, 'SELECT count(*) FROM workers')).toEqual([[10]])
  })

  it('answers getenv() without the environment', async () => {
    const probe = await DuckDBInstance.create(':memory:')
    const conn = await probe.connect()
    const found = (await conn.runAndReadAll("SELECT count(*) FROM duckdb_functions() WHERE function_name = 'getenv'")).getRows()[0]?.[0]
    conn.closeSync()
    probe.closeSync()
    const r = await sql(svc, "SELECT getenv('HOME')")
    // The CLI registers getenv; the embedded engine does not. Either way no value comes back.
    expect([r.status, r.body.code]).toEqual(found === 0n ? [400, 'QUERY_INVALID'] : [403, 'QUERY_FORBIDDEN'])
  })
})

describe('read-only enforcement: table functions with side effects → 403', () => {
  it.each([
    "SELECT * FROM enable_logging(storage := 'file', storage_path := '/tmp/lakehouse-query-logs')",
    'SELECT * FROM system.main.enable_logging()',
    'SELECT * FROM disable_logging()',
    'SELECT * FROM enable_profiling()',
    'SELECT * FROM checkpoint()',
    'SELECT * FROM force_checkpoint()',
    'SELECT * FROM enable_peg_parser()',
    'SELECT * FROM truncate_duckdb_logs()',
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM query_table('workers')",
    'SELECT * FROM duckdb_settings()',
    'SELECT * FROM duckdb_views()',
    'WITH x AS (SELECT * FROM checkpoint()) SELECT 1',
    'SELECT 1 WHERE EXISTS (SELECT 1 FROM (SELECT * FROM enable_logging()) s)',
    'SELECT * FROM workers, LATERAL (SELECT * FROM disable_logging())',
    'SELECT 1 UNION ALL SELECT count(*) FROM enable_profiling()',
  ])('refuses %s', async (query) => {
    await forbidden(query, 'table_function')
  })

  it('leaves the engine healthy afterwards', async () => {
    expect(await rows(svc, 'SELECT count(*) FROM workers')).toEqual([[10]])
  })
})

describe('read-only enforcement: what stays allowed', () => {
  it.each([
    ['FROM workers LIMIT 1', [[0, 'w0']]],
    ['WITH w AS (SELECT * FROM workers) SELECT count(*) FROM w', [[10]]],
    ['VALUES (1), (2)', [[1], [2]]],
    ['SELECT sum(range) FROM range(5)', [[10]]],
    ['SELECT count(*) FROM generate_series(1, 3)', [[3]]],
    ['SELECT unnest([1, 2])', [[1], [2]]],
    ["SELECT count(*) FROM duckdb_columns() WHERE table_name = 'workers'", [[2]]],
    ['SHOW TABLES', [['workers']]],
    ["SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'workers'", [[1]]],
    ["SELECT count(*) FROM information_schema.columns WHERE table_name = 'workers'", [[2]]],
    ["SELECT count(*) FROM duckdb_tables WHERE table_name = 'workers'", [[0]]],
    ['SELECT count(*) FROM memory.main.workers', [[10]]],
    ['SELECT count(*) FROM main.workers', [[10]]],
  ])('runs %s', async (query, expected) => {
    expect(await rows(svc, query)).toEqual(expected)
  })

  it('runs DESCRIBE and SUMMARIZE (SELECTs to the parser)', async () => {
    expect((await rows(svc, 'DESCRIBE workers')).map((r) => r.slice(0, 2))).toEqual([
      ['worker_id', 'BIGINT'],
      ['name', 'VARCHAR'],
    ])
    expect(await rows(svc, 'SUMMARIZE workers')).toHaveLength(2)
  })
})

describe('engine lockdown without the statement guard (defence in depth)', () => {
  it('refuses file access, extensions and settings on a raw connection', async () => {
    const engine = await openEngine({ ...queryDefaults, connections: 1 }, [box.datasets])
    const conn = engine.queries[0]
    if (conn === undefined) throw new Error('no connection')
    const refusal = async (statement: string) => {
      const err = await conn.run(statement).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err, statement).toBeInstanceOf(Error)
      return (err as Error).message
    }
    try {
      for (const statement of [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        `SELECT * FROM read_blob('${box.secretKey}')`,
        "SELECT * FROM glob('/*')",
        "COPY (SELECT 1) TO '/tmp/lakehouse-query-raw.csv'",
        "ATTACH '/tmp/lakehouse-query-raw.db'",
        'INSTALL httpfs',
        'LOAD httpfs',
      ]) {
        expect(await refusal(statement), statement).toMatch(/^Permission Error/)
      }
      for (const statement of [
        'SET enable_external_access = true',
        "SET allowed_directories = ['/']",
        'RESET lock_configuration',
        'SET threads = 1',
      ]) {
        expect(await refusal(statement), statement).toMatch(/configuration has been locked/)
      }
      expect(existsSync('/tmp/lakehouse-query-raw.csv')).toBe(false)
    } finally {
      engine.close()
    }
  })

  it('refuses allowed directories that are relative, the root, or none', async () => {
    for (const dirs of [['relative/dir'], ['/'], []]) {
      await expect(openEngine(queryDefaults, dirs)).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    }
  })
})
