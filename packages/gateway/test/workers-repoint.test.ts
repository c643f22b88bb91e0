import { mkdtempSync, rmSync } from 'node:fs'
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { datasetObjectKey, fingerprintSchema, manifestKey } from '@lakehouse/catalog'
import { testFileLock } from '@lakehouse/journal/testing'
import { createLogger } from '@lakehouse/kit'
import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { provision } from '@lakehouse/provision'
import { createInMemoryWorkerLookup } from '@lakehouse/validator'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, type Gateway } from '../src/index.ts'

/**
 * Security issue 11, reproduced through the composed gateway on a real data directory: a caller
 * used to repoint `workers` with `POST /v1/catalog/datasets` (its public name, fingerprint and
 * schema plus any object_key: 200). At a missing key the view vanished (fill answered 400 with
 * the internal SQL in the detail, drafts 404); at another dataset's Parquet (`worker_id,ssn,note`)
 * that data was served as `workers` while the catalog still showed the old schema.
 */

const dirs: string[] = []
const open: Gateway[] = []
afterEach(async () => {
  for (const g of open.splice(0)) await g.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function dataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lakehouse-repoint-'))
  dirs.push(dir)
  await provision(dir)
  return dir
}

async function boot(dir: string, lines: Record<string, unknown>[] = []): Promise<Gateway> {
  const logger = createLogger({ level: 'info', sink: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) })
  const g = await createGateway(
    { gateway: { runtime: 'test' } },
    { dataDir: dir, logger, workers: createInMemoryWorkerLookup([]), lock: await testFileLock() },
  )
  open.push(g)
  return g
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
type Json = any

async function call(g: Gateway, req: Request): Promise<{ status: number; text: string; body: Json }> {
  const res = await g.handler(req)
  const text = await res.text()
  return { status: res.status, text, body: JSON.parse(text) }
}

const ingest = async (g: Gateway, name: string, csv: string) => {
  const r = await call(
    g,
    new Request(`${TEST_ORIGIN}/v1/ingest/${name}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }),
  )
  expect(r.status).toBe(201)
  return r.body
}
const register = (g: Gateway, body: unknown) => call(g, jsonRequest('POST', '/v1/catalog/datasets', body))
const sql = (g: Gateway, text: string) => call(g, jsonRequest('POST', '/v1/query/sql', { sql: text }))
const fill = (g: Gateway, ids: string[]) =>
  call(g, jsonRequest('POST', '/v1/validate', { kind: 'fill', payload: { headcount: ids.length, candidate_ids: ids } }))
const JOB = { title: 'Forklift Operator', site: 'Dayton Distribution Center', city: 'Dayton', start: '2026-12-14', pay_rate: 19.5 }
const draft = (g: Gateway, id: string) => call(g, jsonRequest('POST', '/v1/draft/email', { worker_id: id, job: JOB }))

const WORKERS_CSV = [
  'worker_id,name,email,phone,role,city,state,skills,certifications,years_experience',
  'W-001,Maria Garcia,maria.garcia1@example.com,312-555-1001,forklift operator,Dayton,OH,forklift; pallet jack,OSHA-10,4',
  'W-002,Wei Chen,wei.chen2@example.com,312-555-1002,forklift operator,Dayton,OH,forklift,OSHA-10,7',
  '',
].join('\n')
const SECRETS_CSV = 'worker_id,ssn,note\nW-001,123-45-6789,private\n'

const manifestOf = (m: Json) => ({
  name: m.name,
  fingerprint: m.fingerprint,
  schema: m.schema,
  object_key: m.object_key,
  row_count: m.row_count,
})

describe('issue 11: catalog repoint through the gateway', () => {
  it('refuses to repoint workers at a missing key (409); SQL, fill and drafts keep serving the original data', async () => {
    const g = await boot(await dataDir())
    const workers = await ingest(g, 'workers', WORKERS_CSV)
    const before = await sql(g, 'SELECT * FROM workers ORDER BY worker_id')
    const r = await register(g, { ...manifestOf(workers), object_key: 'datasets/workers/missing.parquet' })
    expect([r.status, r.body.code, r.body.changed]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST', ['object_key']])
    expect(r.body.detail).toContain('POST /v1/ingest/workers')
    expect((await call(g, new Request(`${TEST_ORIGIN}/v1/catalog/datasets/workers`))).body.object_key).toBe(workers.object_key)
    expect(await sql(g, 'SELECT * FROM workers ORDER BY worker_id')).toEqual(before)
    expect((await fill(g, ['W-001', 'W-002'])).status).toBe(200)
    expect((await draft(g, 'W-001')).status).toBe(200)
  })

  it('refuses to repoint workers at another ingested Parquet with another schema (409); SELECT * FROM workers still returns the original data', async () => {
    const g = await boot(await dataDir())
    const workers = await ingest(g, 'workers', WORKERS_CSV)
    const secrets = await ingest(g, 'secrets', SECRETS_CSV)
    const before = await sql(g, 'SELECT * FROM workers ORDER BY worker_id')
    expect(before.body.row_count).toBe(2)
    const keyOnly = await register(g, { ...manifestOf(workers), object_key: secrets.object_key })
    expect([keyOnly.status, keyOnly.body.code]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST'])
    const whole = await register(g, { ...manifestOf(secrets), name: 'workers' })
    expect([whole.status, whole.body.code]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST'])
    const after = await sql(g, 'SELECT * FROM workers ORDER BY worker_id')
    expect(after).toEqual(before)
    expect(after.text).not.toContain('ssn')
    expect((await call(g, new Request(`${TEST_ORIGIN}/v1/catalog/datasets/workers`))).body).toMatchObject(manifestOf(workers))
  })

  it('refuses a new dataset whose object is missing, or whose schema and row_count differ from the object (422)', async () => {
    const dir = await dataDir()
    const g = await boot(dir)
    const secrets = await ingest(g, 'secrets', SECRETS_CSV)
    const schema = [
      { name: 'worker_id', type: 'VARCHAR' },
      { name: 'shift', type: 'VARCHAR' },
    ]
    const fingerprint = fingerprintSchema(schema)
    const claimed = { name: 'shifts', fingerprint, schema, object_key: datasetObjectKey('shifts', fingerprint), row_count: 4 }
    const missing = await register(g, claimed)
    expect([missing.status, missing.body.code]).toEqual([422, 'CATALOG_OBJECT_MISSING'])
    // Another dataset's Parquet placed at the claimed key by hand (storage's HTTP API refuses datasets/).
    const placed = join(dir, 'objects', claimed.object_key)
    await mkdir(dirname(placed), { recursive: true })
    await copyFile(join(dir, 'objects', secrets.object_key), placed)
    const mismatch = await register(g, claimed)
    expect([mismatch.status, mismatch.body.code]).toEqual([422, 'CATALOG_OBJECT_MISMATCH'])
    expect(mismatch.body.errors.map((e: { field: string }) => e.field)).toEqual(['$.schema', '$.schema[1].name', '$.row_count'])
    expect(mismatch.text).not.toContain(dir)
    expect((await sql(g, 'SELECT * FROM shifts')).status).toBe(400)
    expect((await call(g, new Request(`${TEST_ORIGIN}/v1/catalog/datasets/shifts`))).status).toBe(404)
  })

  it('registers an ingested object whose manifest was lost: 201, then 200, and the data is queryable', async () => {
    const dir = await dataDir()
    const first = await boot(dir)
    const shifts = await ingest(first, 'shifts', 'worker_id,shift\nW-001,early\nW-002,late\n')
    await first.close()
    open.splice(0)
    await rm(join(dir, 'objects', manifestKey('shifts')))
    const g = await boot(dir)
    expect((await call(g, new Request(`${TEST_ORIGIN}/v1/catalog/datasets/shifts`))).status).toBe(404)
    const created = await register(g, manifestOf(shifts))
    expect([created.status, created.body.dataset_id]).toEqual([201, shifts.dataset_id])
    expect((await register(g, manifestOf(shifts))).status).toBe(200)
    expect((await sql(g, 'SELECT count(*) AS n FROM shifts')).body.rows).toEqual([[2]])
  })
})

describe('issue 11: a workers dataset that cannot be read', () => {
  const expectClean = (r: { status: number; text: string; body: Json }, dir: string) => {
    expect([r.status, r.body.code, r.body.dataset]).toEqual([503, 'CATALOG_DATASET_UNREADABLE', 'workers'])
    for (const leak of ['SELECT', 'LINE', 'Did you mean', 'Error:', dir]) expect(r.text).not.toContain(leak)
  }

  it('answers fill and drafts with 503 CATALOG_DATASET_UNREADABLE, the engine message logged and never echoed', async () => {
    const dir = await dataDir()
    const lines: Record<string, unknown>[] = []
    const g = await boot(dir, lines)
    const workers = await ingest(g, 'workers', WORKERS_CSV)
    await ingest(g, 'secrets', SECRETS_CSV)
    // The live object vanishes behind the catalog's back (disk trouble, an operator's rm).
    await rm(join(dir, 'objects', workers.object_key))
    expectClean(await fill(g, ['W-001']), dir)
    expectClean(await draft(g, 'W-001'), dir)
    const logged = lines.filter((l) => l.code === 'CATALOG_DATASET_UNREADABLE')
    expect(logged.map((l) => [l.msg, l.status])).toEqual([
      ['request failed', 503],
      ['request failed', 503],
    ])
    expect(JSON.stringify(logged[0]?.err)).toContain('workers')
    await g.close()
    open.splice(0)

    // After a restart the view is not even built: the same clean answer.
    const again = await boot(dir)
    expectClean(await fill(again, ['W-001']), dir)
    expectClean(await draft(again, 'W-002'), dir)
  })
})
