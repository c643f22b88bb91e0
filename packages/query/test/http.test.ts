import { join } from 'node:path'
import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueryService } from '../src/index.ts'
import { expectProblem, rows, type Sandbox, sandbox, sql } from './helpers.ts'

let box: Sandbox
let svc: QueryService

beforeAll(async () => {
  box = await sandbox()
  await box.addDataset('workers', "SELECT i AS worker_id, 'w' || i AS name FROM range(10) t(i)")
  svc = await box.service({ maxRows: 5000, defaultLimit: 100 })
})
afterAll(() => box.cleanup())

describe('POST /v1/query/sql row limits', () => {
  it('returns defaultLimit rows and truncated: true when more exist', async () => {
    const r = await sql(svc, 'SELECT * FROM range(250)')
    expect([r.body.row_count, r.body.rows.length, r.body.truncated]).toEqual([100, 100, true])
    expect(r.body.rows[99]).toEqual([99])
  })

  it.each([
    [10, 10, 10, false],
    [10, 11, 10, true],
    [0, 1, 0, true],
    [0, 0, 0, false],
    [5000, 5000, 5000, false],
    [5000, 5001, 5000, true],
    [2048, 2049, 2048, true],
    [2049, 4096, 2049, true],
  ])('limit %i over %i rows → %i rows, truncated %s', async (limit, total, count, truncated) => {
    const r = await sql(svc, { sql: `SELECT range FROM range(${total})`, limit })
    expect([r.status, r.body.row_count, r.body.truncated]).toEqual([200, count, truncated])
  })

  it('reads only limit+1 rows of a result that could never be materialised', async () => {
    const started = Date.now()
    const r = await sql(svc, { sql: "SELECT range, repeat('x', 100) AS pad FROM range(1000000000000)", limit: 5000 })
    expect([r.status, r.body.row_count, r.body.truncated]).toEqual([200, 5000, true])
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('answers 400 QUERY_INVALID_LIMIT, with max_rows, for a limit above the configured ceiling', async () => {
    const r = await expectProblem(svc, { sql: 'SELECT 1', limit: 5001 }, 400, 'QUERY_INVALID_LIMIT')
    expect(r.body.max_rows).toBe(5000)
    expect(r.body.errors[0].field).toBe('$.limit')
  })

  it.each([
    [-1, 'too_small'],
    [1.5, 'type'],
    ['10', 'type'],
    [null, 'type'],
    [true, 'type'],
  ])('answers 400 HTTP_INVALID_REQUEST for limit %j (%s)', async (limit, reason) => {
    const r = await expectProblem(svc, { sql: 'SELECT 1', limit }, 400, 'HTTP_INVALID_REQUEST')
    expect(r.body.errors).toEqual([expect.objectContaining({ field: '$.limit', reason })])
  })

  it('applies the same limits to query()', async () => {
    const result = await svc.query('SELECT * FROM range(20)', { limit: 3 })
    expect([result.row_count, result.truncated]).toEqual([3, true])
    await expect(svc.query('SELECT 1', { limit: 5001 })).rejects.toMatchObject({ code: 'QUERY_INVALID_LIMIT' })
    expect((await svc.query('SELECT * FROM range(150)')).row_count).toBe(100)
  })
})

describe('POST /v1/query/sql request handling', () => {
  it.each([
    ['a missing sql', { limit: 1 }, '$.sql', 'required'],
    ['a non-string sql', { sql: 42 }, '$.sql', 'type'],
    ['an unknown member', { sql: 'SELECT 1', limt: 5 }, '$.limt', 'additional_property'],
    ['an array body', [{ sql: 'SELECT 1' }], '$', 'type'],
    ['a null body', null, '$', 'type'],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (_label, body, field, reason) => {
    const r = await sql(svc, body)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(r.body.errors).toContainEqual(expect.objectContaining({ field, reason }))
  })

  it('answers 415, 413, malformed JSON, 404 and 405 through the kit', async () => {
    const text = await svc.handler(
      new Request(`${TEST_ORIGIN}/v1/query/sql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'SELECT 1' }),
    )
    expect(text.status).toBe(415)
    const big = await box.service({ maxBodyBytes: 1024 })
    expect((await sql(big, { sql: `SELECT '${'x'.repeat(2000)}'` })).body.code).toBe('HTTP_BODY_TOO_LARGE')
    const malformed = await svc.handler(jsonRequest('POST', '/v1/query/sql', '{"sql": '))
    expect((await malformed.json()).code).toBe('HTTP_MALFORMED_JSON')
    expect((await svc.handler(jsonRequest('POST', '/v1/query/nope', { sql: 'SELECT 1' }))).status).toBe(404)
    const wrong = await svc.handler(jsonRequest('GET', '/v1/query/sql'))
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST'])
  })
})

describe('POST /v1/query/sql statement errors', () => {
  it.each(['SELECT 1; SELECT 2', 'SELECT 1; DROP VIEW workers', 'SELECT 1;;SELECT 2'])(
    'answers 400 QUERY_MULTIPLE_STATEMENTS for %s',
    async (q) => {
      const r = await expectProblem(svc, { sql: q }, 400, 'QUERY_MULTIPLE_STATEMENTS')
      expect(r.body.statements).toBe(2)
      expect(await rows(svc, 'SELECT count(*) FROM workers')).toEqual([[10]])
    },
  )

  it('accepts one statement with a trailing semicolon', async () => {
    expect(await rows(svc, 'SELECT 1;')).toEqual([[1]])
  })

  it.each(['', '   ', ';', ' ; ; ', '-- just a comment', '/* nothing */'])('answers 400 QUERY_EMPTY for %j', async (q) => {
    await expectProblem(svc, { sql: q }, 400, 'QUERY_EMPTY')
  })

  it.each([
    ['a syntax error', 'SELEC 1', /^Parser Error: syntax error at or near "SELEC"/],
    ['an unknown column', 'SELECT nope FROM workers', /^Binder Error: Referenced column "nope" not found/],
    ['an unknown table', 'SELECT * FROM nowhere', /^Catalog Error: Table with name nowhere does not exist/],
    ['a bad cast', "SELECT 'abc'::INTEGER", /^Conversion Error/],
    ['an overflow', 'SELECT 9223372036854775807::BIGINT + 1', /^Out of Range Error/],
    ['an unbound parameter', 'SELECT $1', /^Invalid Input Error/],
    ['a function this engine lacks', 'SELECT st_point(1, 2)', /^Catalog Error/],
  ])('answers 400 QUERY_INVALID with the engine message for %s', async (_label, q, pattern) => {
    const r = await expectProblem(svc, { sql: q }, 400, 'QUERY_INVALID')
    expect(r.body.detail).toMatch(pattern)
  })

  it('never echoes an absolute path from the SQL (engine messages about broken views: issue-11-leaks.test.ts)', async () => {
    const key = box.catalog.get('workers')?.object_key ?? ''
    const file = join(box.objects, key)
    for (const q of [
      `SELECT nope FROM read_parquet('${file}')`,
      `SELECT * FROM read_parquet('${join(box.datasets, 'missing.parquet')}')`,
      `SELECT * FROM read_parquet('${box.secretKey}')`,
      `SELECT * FROM '${file}' WHERE nope = 1`,
      `SELECT * FROM read_parquet('${join(box.datasets, 'a dir with spaces', 'x.parquet')}')`,
      `SELECT '${file}' x y`,
      `SELECT nope FROM workers WHERE name = '${join(box.datasets, 'a dir with spaces', 'x.parquet')}'`,
    ]) {
      const r = await sql(svc, { sql: q })
      expect(r.status, r.text).toBeGreaterThanOrEqual(400)
      expect(r.text, q).not.toContain(box.root)
      expect(r.text, q).not.toContain('/tmp/')
      expect(r.text, q).not.toContain('spaces')
    }
  })
})

describe('statement timeout', () => {
  const SLOW = 'SELECT count(*) FROM range(100000000) a, range(1000000) b WHERE a.range + b.range < 0'

  it('interrupts a slow query with 504 QUERY_TIMEOUT and reuses the connection', async () => {
    const quick = await box.service({ timeoutMs: 150, connections: 1 })
    const started = Date.now()
    const r = await expectProblem(quick, { sql: SLOW }, 504, 'QUERY_TIMEOUT')
    expect(r.body.timeout_ms).toBe(150)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await rows(quick, 'SELECT 42')).toEqual([[42]])
  })

  it('times out a streaming read and callers waiting for the connection', async () => {
    const quick = await box.service({ timeoutMs: 200, connections: 1 })
    const started = Date.now()
    const streaming = `SELECT a.range FROM range(100000000) a, range(100000) b WHERE a.range + b.range < 0`
    const [first, second] = await Promise.all([sql(quick, { sql: streaming }), sql(quick, { sql: SLOW })])
    expect([first.status, first.body.code]).toEqual([504, 'QUERY_TIMEOUT'])
    expect([second.status, second.body.code]).toEqual([504, 'QUERY_TIMEOUT'])
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(await rows(quick, 'SELECT count(*) FROM workers')).toEqual([[10]])
  })
})

describe('memory limit', () => {
  it('answers 503 QUERY_OUT_OF_MEMORY with Retry-After and keeps serving', async () => {
    const small = await box.service({ memoryLimit: '20MB', threads: 1 })
    const r = await expectProblem(
      small,
      { sql: "SELECT count(*) FROM (SELECT DISTINCT range::VARCHAR || 'xxxxxxxxxxxxxxxxxxxxxxxx' FROM range(5000000))" },
      503,
      'QUERY_OUT_OF_MEMORY',
    )
    expect(r.headers.get('retry-after')).toBe('5')
    expect(await rows(small, 'SELECT count(*) FROM workers')).toEqual([[10]])
  })
})

describe('close()', () => {
  it('interrupts running queries, refuses new ones with 503 and is idempotent', async () => {
    const closing = await box.service()
    const running = sql(closing, 'SELECT count(*) FROM range(100000000) a, range(1000000) b WHERE a.range + b.range < 0')
    await new Promise((resolve) => setTimeout(resolve, 100))
    await Promise.all([closing.close(), closing.close()])
    expect((await running).body.code).toBe('QUERY_UNAVAILABLE')
    await expectProblem(closing, { sql: 'SELECT 1' }, 503, 'QUERY_UNAVAILABLE')
    await expect(closing.query('SELECT 1')).rejects.toMatchObject({ code: 'QUERY_UNAVAILABLE' })
  })
})
