import { createHash } from 'node:crypto'
import { grantErrors } from '@lakehouse/grants'
import type { ErrorRegistry } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import type { ObjectStore } from '@lakehouse/storage'
import { createMemoryObjectStore as createMemoryStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
// A consumed grant's audit failures pass through a restore; the catalog does not depend on the
// journal, so its registry is read from source.
import { journalErrors } from '../../journal/src/errors.ts'
import {
  type CatalogService,
  type ColumnSpec,
  catalogErrors,
  createCatalogService,
  datasetObjectKey,
  fingerprintSchema,
  type ReplaceAuthority,
} from '../src/index.ts'
import { FIXED_NOW, fakeInspector, PEOPLE, PEOPLE_V2, putObject, registration } from './helpers.ts'

const DATASETS = '/v1/catalog/datasets'
const REGISTRIES: readonly ErrorRegistry<string>[] = [catalogErrors, grantErrors, journalErrors]

/** Grants that accept one token and refuse any other the way the grants component does. */
function grants(valid: string): ReplaceAuthority {
  const check = async (token: string) => {
    if (token !== valid) throw grantErrors.problem('GRANT_TAMPERED', { detail: 'not signed with this key' })
  }
  return { verify: check, consume: check }
}

async function build(store: ObjectStore): Promise<CatalogService> {
  let clock = FIXED_NOW.getTime()
  return createCatalogService(
    {},
    {
      store,
      now: () => {
        clock += 1000
        return new Date(clock)
      },
      inspectObject: fakeInspector(store),
      indexSources: () => [{ index: 'people_idx', dataset: 'people', version: 1 }],
      grants: Object.assign(grants('good'), { grantOf: (req: Request) => req.headers.get('lakehouse-grant') ?? undefined }),
    },
  )
}

/** What ingest registers: a content-addressed key, with the object in the store. */
async function ingested(store: ObjectStore, name: string, content: string, rows: number, schema: readonly ColumnSpec[] = PEOPLE) {
  const fingerprint = fingerprintSchema(schema)
  const content_hash = createHash('sha256').update(content).digest('hex')
  const input = {
    name,
    fingerprint,
    schema: [...schema],
    object_key: datasetObjectKey(name, fingerprint, content_hash),
    row_count: rows,
    content_hash,
  }
  await putObject(store, input)
  return input
}

/** Sends every request in order and returns [status, code] of each, after checking each answer against the docs. */
async function replay(svc: CatalogService, requests: readonly Request[]): Promise<[number, string | undefined][]> {
  const check = documentedAnswers(svc.handler, REGISTRIES)
  const seen: [number, string | undefined][] = []
  for (const req of requests) {
    const res = await svc.handler(req)
    expect(await check(req, res)).toEqual([])
    const body = (await res.json()) as { code?: string }
    seen.push([res.status, body.code])
  }
  return seen
}

const post = (path: string, body?: unknown, headers: Record<string, string> = {}) => jsonRequest('POST', path, body, headers)
const get = (path: string) => jsonRequest('GET', path)

describe('catalog route docs', () => {
  it('documents every answer of listing, registering and reading datasets', async () => {
    const store = createMemoryStore()
    const svc = await build(store)
    const people = registration('people')
    await putObject(store, people)
    const unreadable = registration('broken')
    store.seed(unreadable.object_key, 'not parquet')
    const lying = registration('lying')
    await putObject(store, { ...lying, row_count: 99 })
    expect(
      await replay(svc, [
        get(DATASETS),
        post(DATASETS, people),
        post(DATASETS, people),
        post(DATASETS, registration('people', PEOPLE_V2)),
        post(DATASETS, { name: 'people' }),
        post(DATASETS, { ...registration('other'), fingerprint: '0'.repeat(64) }),
        post(DATASETS, { ...registration('other'), object_key: 'elsewhere/x.parquet' }),
        post(DATASETS, registration('missing')),
        post(DATASETS, unreadable),
        post(DATASETS, lying),
        get(DATASETS),
        get(`${DATASETS}/people`),
        get(`${DATASETS}/nobody`),
        get(`${DATASETS}/Bad-Name`),
        get(`${DATASETS}/people/versions`),
        get(`${DATASETS}/nobody/versions`),
        get(`${DATASETS}/Bad-Name/versions`),
      ]),
    ).toEqual([
      [200, undefined],
      [201, undefined],
      [200, undefined],
      [409, 'CATALOG_REPLACE_VIA_INGEST'],
      [400, 'HTTP_INVALID_REQUEST'],
      [422, 'CATALOG_FINGERPRINT_MISMATCH'],
      [422, 'CATALOG_OBJECT_KEY_MISMATCH'],
      [422, 'CATALOG_OBJECT_MISSING'],
      [422, 'CATALOG_OBJECT_UNREADABLE'],
      [422, 'CATALOG_OBJECT_MISMATCH'],
      [200, undefined],
      [200, undefined],
      [404, 'CATALOG_NOT_FOUND'],
      [400, 'CATALOG_INVALID_NAME'],
      [200, undefined],
      [404, 'CATALOG_NOT_FOUND'],
      [400, 'CATALOG_INVALID_NAME'],
    ])
  })

  it('documents every answer of a restore, grant refusals and a busy dataset included', async () => {
    const store = createMemoryStore()
    const svc = await build(store)
    await svc.register(await ingested(store, 'people', 'v1', 20))
    await svc.register(await ingested(store, 'people', 'v2', 5))
    await svc.register(await ingested(store, 'people', 'v3', 7, PEOPLE_V2), { replace: true })
    const restore = (version: string, headers: Record<string, string> = {}) =>
      post(`${DATASETS}/people/versions/${version}/restore`, undefined, headers)
    const before = await replay(svc, [
      get(`${DATASETS}/people`),
      restore('2'),
      restore('1', { 'lakehouse-grant': 'forged' }),
      restore('1', { 'lakehouse-grant': 'good' }),
      restore('1'),
      restore('9'),
      restore('01'),
      post(`${DATASETS}/nobody/versions/1/restore`),
      post(`${DATASETS}/Bad-Name/versions/1/restore`),
    ])
    const endWrite = svc.beginWrite('people')
    const busy = await replay(svc, [restore('2')])
    endWrite()
    expect([...before, ...busy]).toEqual([
      [200, undefined],
      [409, 'CATALOG_SCHEMA_CONFLICT'],
      [403, 'GRANT_TAMPERED'],
      [200, undefined],
      [200, undefined],
      [404, 'CATALOG_VERSION_NOT_FOUND'],
      [400, 'CATALOG_INVALID_VERSION'],
      [404, 'CATALOG_NOT_FOUND'],
      [400, 'CATALOG_INVALID_NAME'],
      [409, 'CATALOG_DATASET_BUSY'],
    ])
  })

  it('reports an answer the docs do not describe', async () => {
    const svc = await build(createMemoryStore())
    const check = documentedAnswers(svc.handler, REGISTRIES)
    const req = get(DATASETS)
    const undocumented = new Response(JSON.stringify({ datasets: [{ name: 'x' }] }), { headers: { 'content-type': 'application/json' } })
    expect(await check(req, undocumented)).not.toEqual([])
    // Listing never answers CATALOG_NOT_FOUND: a 404 there is a surprise.
    const res = new Response(
      JSON.stringify({
        type: 'urn:lakehouse:problem:CATALOG_NOT_FOUND',
        title: 'x',
        status: 404,
        detail: 'x',
        instance: DATASETS,
        code: 'CATALOG_NOT_FOUND',
      }),
      { status: 404, headers: { 'content-type': 'application/problem+json' } },
    )
    expect(await check(new Request(`${TEST_ORIGIN}${DATASETS}`), res)).not.toEqual([])
  })
})
