import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SILENT_LOGGER } from '@lakehouse/kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine } from '../src/engine.ts'
import { type QueryService, queryDefaults } from '../src/index.ts'
import { createViews } from '../src/views.ts'
import { rows, type Sandbox, sandbox, sql } from './helpers.ts'

const WORKERS = `SELECT 'w-' || lpad(i::VARCHAR, 3, '0') AS worker_id, ['welder', 'driver', 'nurse'][1 + i % 3] AS role,
  ['Austin', 'Dallas'][1 + i % 2] AS city, (i % 10)::BIGINT AS years_experience, round(0.5 + (i % 5) / 10, 2)::DOUBLE AS reliability_score
  FROM range(30) t(i)`

let box: Sandbox
let svc: QueryService

beforeAll(async () => {
  box = await sandbox()
  await box.addDataset('workers', WORKERS)
  await box.addDataset('jobs', "SELECT i AS job_id, 'job ' || i AS title FROM range(5) t(i)")
  // One bad manifest of each kind: object missing, object not Parquet, object outside allowed_directories.
  box.catalog.put({ name: 'missing', fingerprint: 'f', schema: [], object_key: 'datasets/missing/f.parquet', row_count: 0 })
  await box.writeParquet('datasets/corrupt/f.parquet', 'SELECT 1 AS x')
  writeFileSync(join(box.datasets, 'corrupt', 'f.parquet'), 'this is not parquet')
  box.catalog.put({ name: 'corrupt', fingerprint: 'f', schema: [], object_key: 'datasets/corrupt/f.parquet', row_count: 0 })
  await box.writeParquet('elsewhere/f.parquet', 'SELECT 1 AS x')
  box.catalog.put({ name: 'outside', fingerprint: 'f', schema: [], object_key: 'elsewhere/f.parquet', row_count: 0 })
  // A generous engine timeout: the slow query below must outlive refreshes on a loaded CI box.
  // Two connections: a query runs while another sees the refreshed views; room for a burst of 20.
  svc = await box.service({ timeoutMs: 60_000, connections: 2, maxQueued: 32 })
})
afterAll(() => box.cleanup())

describe('views over catalog datasets', () => {
  it('creates one view per dataset at start, named after it', async () => {
    expect(await rows(svc, 'SELECT count(*) FROM workers')).toEqual([[30]])
    expect(await rows(svc, 'SELECT count(*) AS n FROM "jobs"')).toEqual([[5]])
  })

  it('answers group by / count / avg over a view', async () => {
    const r = await sql(svc, {
      sql: 'SELECT role, count(*) AS n, avg(years_experience) AS avg_years FROM workers GROUP BY role ORDER BY role',
    })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      columns: [
        { name: 'role', type: 'VARCHAR' },
        { name: 'n', type: 'BIGINT' },
        { name: 'avg_years', type: 'DOUBLE' },
      ],
      rows: [
        ['driver', 10, 4.5],
        ['nurse', 10, 4.5],
        ['welder', 10, 4.5],
      ],
      row_count: 3,
      truncated: false,
    })
  })

  it('joins views and filters', async () => {
    expect(await rows(svc, "SELECT count(*) FROM workers w JOIN jobs j ON j.job_id = w.years_experience WHERE w.city = 'Austin'")).toEqual([
      [9],
    ])
  })

  it('records each bad manifest in stats and keeps the good views', async () => {
    const stats = svc.stats()
    expect(stats.views).toBe(2)
    expect(stats.viewErrors.map((e) => e.name)).toEqual(['corrupt', 'missing', 'outside'])
    for (const e of stats.viewErrors) expect(e.error).not.toContain(box.root)
    expect(stats.viewErrors.find((e) => e.name === 'outside')?.error).toMatch(/Permission Error/)
    expect(stats.viewErrors.find((e) => e.name === 'missing')?.error).toMatch(/not in storage/)
    const r = await sql(svc, 'SELECT * FROM missing')
    expect([r.status, r.body.code]).toEqual([400, 'QUERY_INVALID'])
  })

  it('makes a newly registered dataset queryable without a restart', async () => {
    await box.addDataset('shifts', 'SELECT i AS shift_id FROM range(7) t(i)')
    // No wait: a query waits for pending view changes, so ingest → query sees the dataset.
    expect(await rows(svc, 'SELECT count(*) FROM shifts')).toEqual([[7]])
    expect(svc.stats().views).toBe(3)
  })

  it('replaces a view when its dataset moves to a new object', async () => {
    await box.addDataset('shifts', "SELECT i AS shift_id, 'night' AS kind FROM range(3) t(i)", 'f1')
    expect(await rows(svc, 'SELECT count(*), min(kind) FROM shifts')).toEqual([[3, 'night']])
  })

  it('clears the error of a dataset once a good object is registered', async () => {
    await box.addDataset('missing', 'SELECT 42 AS answer', 'f2')
    expect(await rows(svc, 'SELECT answer FROM missing')).toEqual([[42]])
    expect(svc.stats().viewErrors.map((e) => e.name)).toEqual(['corrupt', 'outside'])
  })

  it('drops the old view when a dataset’s new object is broken', async () => {
    await box.addDataset('brief', 'SELECT 1 AS x')
    expect(await rows(svc, 'SELECT x FROM brief')).toEqual([[1]])
    box.catalog.put({ name: 'brief', fingerprint: 'gone', schema: [], object_key: 'datasets/brief/gone.parquet', row_count: 0 })
    expect((await sql(svc, 'SELECT x FROM brief')).body.code).toBe('QUERY_INVALID')
    expect(svc.stats().viewErrors.map((e) => e.name)).toContain('brief')
  })

  it('lets a query that is running during a refresh finish', async () => {
    const slow = sql(svc, {
      sql: 'SELECT count(*) FROM workers, range(40000000) r WHERE r.range % 7 = worker_id[3:]::INT % 7',
    })
    let slowDone = false
    void slow.then(() => {
      slowDone = true
    })
    await new Promise((resolve) => setTimeout(resolve, 30))
    for (let i = 0; i < 5; i++) await box.addDataset('workers', WORKERS, `v${i}`)
    // The refreshes are committed (a new query sees them) while the old query is still running.
    expect(await rows(svc, 'SELECT count(*) FROM workers')).toEqual([[30]])
    expect(slowDone).toBe(false)
    const r = await slow
    expect(r.status, r.text).toBe(200)
    expect(r.body.rows[0][0]).toBeGreaterThan(0)
  }, 90_000)

  it('serves many concurrent queries across the connection pool', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => rows(svc, `SELECT count(*) + ${i} FROM workers`)))
    expect(results.map((r) => r[0]?.[0])).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i))
  })
})

describe('view rebuild at start', () => {
  it('builds views for the datasets a fresh service finds and skips none for one bad manifest', async () => {
    const again = await box.service({ connections: 1 })
    expect(again.stats().views).toBe(svc.stats().views)
    expect(again.stats().viewErrors.map((e) => e.name)).toEqual(svc.stats().viewErrors.map((e) => e.name))
    expect(await rows(again, 'SELECT count(*) FROM jobs')).toEqual([[5]])
  })
})

describe('createViews start-up sync', () => {
  it('drops views whose dataset is gone before building the others', async () => {
    const engine = await openEngine({ ...queryDefaults, connections: 1 }, [box.datasets])
    try {
      await engine.ddl.run('CREATE VIEW stale AS SELECT 1 AS x')
      await engine.ddl.run('CREATE VIEW jobs AS SELECT 0 AS old')
      const views = createViews(engine.ddl, box.catalog, box.store, SILENT_LOGGER)
      await views.start()
      const names = (await engine.ddl.runAndReadAll('SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1')).getRows().flat()
      expect(names).not.toContain('stale')
      expect(names).toEqual(expect.arrayContaining(['jobs', 'workers', 'shifts']))
      expect((await engine.ddl.runAndReadAll('SELECT count(*) FROM jobs')).getRows()).toEqual([[5n]])
      expect(views.stats().views).toBe(names.length)
      await views.close()
    } finally {
      engine.close()
    }
  })
})
