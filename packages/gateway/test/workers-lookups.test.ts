import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testFileLock } from '@lakehouse/journal/testing'
import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { provision } from '@lakehouse/provision'
import { createInMemoryWorkerLookup } from '@lakehouse/validator'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, type Gateway, type GatewayConfig } from '../src/index.ts'

/**
 * Worker lookups through the composed gateway, over a real ingest, catalog and DuckDB: the
 * cached answers are the uncached ones byte for byte, and a changed dataset is seen at once.
 */

const dirs: string[] = []
const open: Gateway[] = []
afterEach(async () => {
  for (const g of open.splice(0)) await g.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function dataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lakehouse-workers-'))
  dirs.push(dir)
  await provision(dir)
  return dir
}

async function boot(dir: string, gateway: Partial<GatewayConfig> = {}, grants = false): Promise<Gateway> {
  const g = await createGateway(
    { gateway: { runtime: 'test', ...gateway }, ...(grants ? { grants: { httpMint: true } } : {}) },
    { dataDir: dir, workers: createInMemoryWorkerLookup(['L-1']), lock: await testFileLock() },
  )
  open.push(g)
  return g
}

const HEADER = 'worker_id,name,email,phone,role,city,state,skills,certifications,years_experience'
const row = (n: number, name: string, role = 'forklift operator') =>
  `W-${String(n).padStart(3, '0')},${name},${name.toLowerCase().replace(' ', '.')}${n}@example.com,312-555-${String(1000 + n)},${role},Dayton,OH,forklift; pallet jack; inventory,OSHA-10,${n % 12}`
const csv = (rows: string[], header = HEADER) => `${header}\n${rows.join('\n')}\n`

async function ingest(g: Gateway, body: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await g.handler(
    new Request(`${TEST_ORIGIN}/v1/ingest/workers`, { method: 'POST', headers: { 'content-type': 'text/csv', ...headers }, body }),
  )
  const json = (await res.json()) as Record<string, unknown>
  expect([res.status, json.code]).toSatisfy(([status]) => status === 200 || status === 201)
  return json
}

const JOB = { title: 'Forklift Operator', site: 'Dayton Distribution Center', city: 'Dayton', start: '2026-12-14', pay_rate: 19.5 }

/** Status and exact body bytes, so "equal" means byte-identical. */
async function call(g: Gateway, path: string, body: unknown): Promise<string> {
  const res = await g.handler(jsonRequest('POST', path, body))
  return `${res.status} ${await res.text()}`
}

const draft = (g: Gateway, id: string, kind: 'email' | 'sms' = 'email') => call(g, `/v1/draft/${kind}`, { worker_id: id, job: JOB })
const fill = (g: Gateway, ids: string[]) =>
  call(g, '/v1/validate', { kind: 'fill', payload: { headcount: ids.length, candidate_ids: ids } })
const status = (answer: string) => Number(answer.slice(0, 3))

/** Every request kind the directory serves: known and unknown, email and SMS, fill with listed ids. */
async function answers(g: Gateway): Promise<string[]> {
  const out: string[] = []
  for (const id of ['W-001', 'W-002', 'W-003', 'W-404', 'w-001', ' W-001']) {
    out.push(await draft(g, id, 'email'), await draft(g, id, 'sms'))
  }
  for (const ids of [['W-001', 'W-002'], ['W-001', 'L-1'], ['W-003', 'W-404'], ['L-1'], ['W-001', 'W-001']]) out.push(await fill(g, ids))
  return out
}

describe('worker lookups through the gateway', () => {
  it('answers byte-identically with every cache off, cold and warm', async () => {
    const dir = await dataDir()
    const uncached = await boot(dir, { workerProfileCacheSize: 0, workerMissCacheSize: 0, workerIdSetMaxRows: 0 })
    const before = await answers(uncached)
    await ingest(uncached, csv([row(1, 'Maria Garcia'), row(2, 'Wei Chen'), row(3, 'Dana Reyes')]))
    const expected = await answers(uncached)
    await uncached.close()
    open.splice(0)

    const cached = await boot(dir)
    expect(await answers(cached)).toEqual(expected)
    expect(await answers(cached)).toEqual(expected)
    expect(expected.map(status)).toEqual([200, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 200, 200, 422, 200, 422])
    // Before the dataset existed only the listed id was known, and the same holds for a fresh data dir.
    const empty = await boot(await dataDir())
    expect(await answers(empty)).toEqual(before)
  })

  it('sees a re-ingest of other rows with the same schema and row count (a new version under its own key)', async () => {
    const g = await boot(await dataDir())
    const first = await ingest(g, csv([row(1, 'Maria Garcia'), row(2, 'Wei Chen'), row(3, 'Dana Reyes')]))
    expect(await draft(g, 'W-001')).toContain('Hi Maria,')
    expect(status(await fill(g, ['W-003']))).toBe(200)
    expect(status(await draft(g, 'W-004'))).toBe(404)
    const manifest = async () => (await g.handler(new Request(`${TEST_ORIGIN}/v1/catalog/datasets/workers`))).text()
    const registered = await manifest()

    const second = await ingest(g, csv([row(1, 'Ana Cruz'), row(2, 'Wei Chen'), row(4, 'Sam Ortiz')]))
    // Issue 13: other content is a new version, never an in-place rewrite of the live object.
    expect([second.status, second.row_count, second.version]).toEqual(['replaced', 3, 2])
    expect(second.object_key).not.toBe(first.object_key)
    expect(await manifest()).not.toBe(registered)
    expect(await draft(g, 'W-001')).toContain('Hi Ana,')
    expect(status(await draft(g, 'W-003'))).toBe(404)
    expect(status(await draft(g, 'W-004'))).toBe(200)
    expect(status(await fill(g, ['W-003']))).toBe(422)
    expect(status(await fill(g, ['W-004']))).toBe(200)
  })

  it('sees a re-ingest with another row count', async () => {
    const g = await boot(await dataDir())
    await ingest(g, csv([row(1, 'Maria Garcia'), row(2, 'Wei Chen')]))
    expect(await draft(g, 'W-002')).toContain('Hi Wei,')
    expect(status(await fill(g, ['W-002']))).toBe(200)
    await ingest(g, csv([row(1, 'Maria Garcia')]))
    expect(status(await draft(g, 'W-002'))).toBe(404)
    expect(status(await fill(g, ['W-002']))).toBe(422)
  })

  it('sees a dataset replaced under an escape grant', async () => {
    const g = await boot(await dataDir(), {}, true)
    await ingest(g, csv([row(1, 'Maria Garcia'), row(2, 'Wei Chen')]))
    expect(await draft(g, 'W-001')).toContain('Hi Maria,')
    expect(status(await fill(g, ['W-002']))).toBe(200)
    const minted = await g.handler(jsonRequest('POST', '/v1/grants', { scope: 'dataset.replace:workers', ttl: '10m' }))
    const { token } = (await minted.json()) as { token: string }
    // Another schema (an extra column), other rows.
    const replaced = await ingest(g, csv([`${row(1, 'Lee Park')},yes`, `${row(7, 'Sam Ortiz')},no`], `${HEADER},bilingual`), {
      'lakehouse-grant': token,
    })
    expect(replaced.status).toBe('replaced')
    expect(await draft(g, 'W-001')).toContain('Hi Lee,')
    expect(status(await fill(g, ['W-002']))).toBe(422)
    expect(status(await fill(g, ['W-007']))).toBe(200)
  })
})
