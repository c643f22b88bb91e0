import { createHash } from 'node:crypto'
import { jsonRequest } from '@lakehouse/kit/testing'
import type { ObjectStore } from '@lakehouse/storage'
import { createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import {
  type CatalogConfig,
  type ColumnSpec,
  createCatalogService,
  datasetObjectKey,
  fingerprintSchema,
  type IndexSource,
  manifestKey,
  parseVersionId,
  type ReplaceAuthority,
} from '../src/index.ts'
import { FIXED_NOW, fakeInspector, get, PEOPLE, PEOPLE_V2, putObject, rejectionOf, send } from './helpers.ts'

const DATASETS = '/v1/catalog/datasets'

/** What ingest registers: a content-addressed key, with the object in the store. */
async function ingested(store: ObjectStore, name: string, content: string, rows: number, schema: readonly ColumnSpec[] = PEOPLE) {
  const fingerprint = fingerprintSchema(schema)
  const content_hash = createHash('sha256').update(content).digest('hex')
  const input = {
    name,
    fingerprint,
    schema: schema.map((c) => ({ ...c })),
    object_key: datasetObjectKey(name, fingerprint, content_hash),
    row_count: rows,
    content_hash,
  }
  await putObject(store, input)
  return input
}

function build(
  store: ObjectStore,
  config: Partial<CatalogConfig> = {},
  extra: { sources?: IndexSource[]; grants?: ReplaceAuthority & { calls: string[] } } = {},
) {
  let clock = FIXED_NOW.getTime()
  return createCatalogService(config, {
    store,
    now: () => {
      clock += 1000
      return new Date(clock)
    },
    inspectObject: fakeInspector(store),
    ...(extra.sources === undefined ? {} : { indexSources: () => extra.sources ?? [] }),
    ...(extra.grants === undefined
      ? {}
      : { grants: Object.assign(extra.grants, { grantOf: (req: Request) => req.headers.get('lakehouse-grant') ?? undefined }) }),
  })
}

function fakeGrants(valid: string): ReplaceAuthority & { calls: string[] } {
  const calls: string[] = []
  const check = (what: string) => async (token: string, scope: string) => {
    calls.push(`${what} ${token} ${scope}`)
    if (token !== valid) throw Object.assign(new Error('bad grant'), { status: 403 })
  }
  return { calls, verify: check('verify'), consume: check('consume') }
}

const restore = (svc: { handler: (r: Request) => Promise<Response> }, path: string, headers: Record<string, string> = {}) =>
  send(svc as never, new Request(`http://localhost${path}`, { method: 'POST', headers }))

describe('dataset versions', () => {
  it('keeps identical content as existing (nothing written) and other content as a new live version', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store)
    const v1 = await ingested(store, 'people', 'twenty rows', 20)
    const created = await svc.register(v1)
    expect([created.status, created.manifest.version, created.manifest.content_hash]).toEqual(['created', 1, v1.content_hash])
    const stored = store.text(manifestKey('people'))
    const same = await svc.register(v1)
    expect(same.status).toBe('existing')
    expect(store.text(manifestKey('people'))).toBe(stored)

    const v2 = await ingested(store, 'people', 'five rows', 5)
    const replaced = await svc.register(v2)
    expect(replaced.status).toBe('replaced')
    expect(replaced.previous).toEqual({ version: 1, content_hash: v1.content_hash, fingerprint: v1.fingerprint, row_count: 20 })
    expect(replaced.manifest).toMatchObject({ version: 2, row_count: 5, object_key: v2.object_key, content_hash: v2.content_hash })
    // The previous object is untouched: still readable until it leaves the history.
    expect(store.keys()).toContain(v1.object_key)
    expect(svc.versions('people')?.map((v) => [v.version, v.row_count])).toEqual([
      [2, 5],
      [1, 20],
    ])
  })

  it('bounds the history, deleting objects no kept version names (shared content-addressed keys stay)', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store, { maxVersions: 3 })
    const a = await ingested(store, 'people', 'A', 1)
    const b = await ingested(store, 'people', 'B', 2)
    const c = await ingested(store, 'people', 'C', 3)
    for (const input of [a, b, c]) await svc.register(input)
    // A again: v4 shares v1's key, so dropping v1 must not delete the object.
    await svc.register(a)
    expect(svc.versions('people')?.map((v) => v.version)).toEqual([4, 3, 2])
    expect(store.keys()).toContain(a.object_key)
    const d = await ingested(store, 'people', 'D', 4)
    await svc.register(d)
    expect(svc.versions('people')?.map((v) => v.version)).toEqual([5, 4, 3])
    expect(store.keys()).not.toContain(b.object_key)
    expect(store.keys()).toContain(c.object_key)
  })

  it('restores a kept version (the live flag moves, the history stays), and survives a restart', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store)
    const v1 = await ingested(store, 'people', 'twenty', 20)
    const v2 = await ingested(store, 'people', 'five', 5)
    await svc.register(v1)
    await svc.register(v2)
    const events: number[] = []
    svc.onChange((e) => events.push(e.manifest.version))
    const r = await restore(svc, `${DATASETS}/people/versions/1/restore`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'restored', version: 1, row_count: 20, object_key: v1.object_key, stale_indexes: [] })
    expect(r.body.previous).toMatchObject({ version: 2, row_count: 5 })
    expect(events).toEqual([1])
    const again = await restore(svc, `${DATASETS}/people/versions/1/restore`)
    expect([again.status, again.body.status]).toEqual([200, 'existing'])

    const listed = await get(svc, `${DATASETS}/people/versions`)
    expect(listed.status).toBe(200)
    expect(listed.body.live_version).toBe(1)
    expect(listed.body.versions.map((v: { version: number; live: boolean }) => [v.version, v.live])).toEqual([
      [2, false],
      [1, true],
    ])
    expect(Object.keys(listed.body.versions[0])).toEqual([
      'version',
      'content_hash',
      'fingerprint',
      'row_count',
      'object_key',
      'created_at',
      'live',
    ])

    const restarted = await build(store)
    expect(restarted.get('people')).toEqual(svc.get('people'))
    expect(restarted.versions('people')).toEqual(svc.versions('people'))
    // The next ingest numbers on from the highest kept id.
    const v3 = await ingested(store, 'people', 'three', 3)
    expect((await restarted.register(v3)).manifest.version).toBe(3)
  })

  it('answers bad restores with 4xx problems and changes nothing', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store)
    await svc.register(await ingested(store, 'people', 'one', 1))
    const cases: [string, number, string][] = [
      [`${DATASETS}/people/versions/9/restore`, 404, 'CATALOG_VERSION_NOT_FOUND'],
      [`${DATASETS}/nobody/versions/1/restore`, 404, 'CATALOG_NOT_FOUND'],
      [`${DATASETS}/people/versions/0/restore`, 400, 'CATALOG_INVALID_VERSION'],
      [`${DATASETS}/people/versions/01/restore`, 400, 'CATALOG_INVALID_VERSION'],
      [`${DATASETS}/people/versions/abc/restore`, 400, 'CATALOG_INVALID_VERSION'],
      [`${DATASETS}/people/versions/99999999999999999/restore`, 400, 'CATALOG_INVALID_VERSION'],
      [`${DATASETS}/Bad/versions/1/restore`, 400, 'CATALOG_INVALID_NAME'],
    ]
    for (const [path, status, code] of cases) {
      const r = await restore(svc, path)
      expect([path, r.status, r.body.code, r.headers.get('content-type')]).toEqual([path, status, code, 'application/problem+json'])
    }
    const missing = await get(svc, `${DATASETS}/nobody/versions`)
    expect([missing.status, missing.body.code]).toEqual([404, 'CATALOG_NOT_FOUND'])
    expect(svc.get('people')?.version).toBe(1)
  })

  it('refuses a restore while an ingest of the name runs (409 CATALOG_DATASET_BUSY with Retry-After)', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store)
    await svc.register(await ingested(store, 'people', 'one', 1))
    await svc.register(await ingested(store, 'people', 'two', 2))
    const done = svc.beginWrite('people')
    const r = await restore(svc, `${DATASETS}/people/versions/1/restore`)
    expect([r.status, r.body.code, r.headers.get('retry-after')]).toEqual([409, 'CATALOG_DATASET_BUSY', '1'])
    done()
    done()
    expect((await restore(svc, `${DATASETS}/people/versions/1/restore`)).status).toBe(200)
  })

  it('needs a dataset.replace grant to restore another schema, consumed only when the restore happens', async () => {
    const store = createMemoryObjectStore()
    const grants = fakeGrants('good')
    const svc = await build(store, {}, { grants })
    const v1 = await ingested(store, 'people', 'one', 1)
    await svc.register(v1)
    await svc.register(await ingested(store, 'people', 'two', 2, PEOPLE_V2), { replace: true })
    const refused = await restore(svc, `${DATASETS}/people/versions/1/restore`)
    expect([refused.status, refused.body.code]).toEqual([409, 'CATALOG_SCHEMA_CONFLICT'])
    expect(refused.body.detail).toContain('dataset.replace:people')
    const bad = await rejectionOf(svc.restore('people', 1, { grant: 'bad' }))
    expect(bad.status).toBe(403)
    expect(grants.calls).toEqual(['verify bad dataset.replace:people'])
    const ok = await restore(svc, `${DATASETS}/people/versions/1/restore`, { 'lakehouse-grant': 'good' })
    expect([ok.status, ok.body.status, ok.body.replaced_fingerprint]).toEqual([200, 'restored', fingerprintSchema(PEOPLE_V2)])
    expect(grants.calls.slice(1)).toEqual(['verify good dataset.replace:people', 'consume good dataset.replace:people'])
    expect(svc.get('people')?.fingerprint).toBe(v1.fingerprint)
  })

  it('refuses a version whose object is gone with 409 CATALOG_VERSION_UNAVAILABLE', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store)
    const v1 = await ingested(store, 'people', 'one', 1)
    await svc.register(v1)
    await svc.register(await ingested(store, 'people', 'two', 2))
    await store.delete(v1.object_key)
    const r = await restore(svc, `${DATASETS}/people/versions/1/restore`)
    expect([r.status, r.body.code]).toEqual([409, 'CATALOG_VERSION_UNAVAILABLE'])
    expect(svc.get('people')?.version).toBe(2)
  })

  it('reports indexes built from a version that is not live as stale, in the dataset view', async () => {
    const store = createMemoryObjectStore()
    const sources: IndexSource[] = []
    const svc = await build(store, {}, { sources })
    const a = await ingested(store, 'people', 'A', 1)
    await svc.register(a)
    sources.push({ index: 'people_idx', dataset: 'people', version: 1 }, { index: 'other', dataset: 'elsewhere', version: 7 })
    expect(svc.staleIndexes('people')).toEqual([])
    await svc.register(await ingested(store, 'people', 'B', 2))
    expect(svc.staleIndexes('people')).toEqual([{ index: 'people_idx', version: 1 }])
    expect((await get(svc, `${DATASETS}/people`)).body.stale_indexes).toEqual([{ index: 'people_idx', version: 1 }])
    // A again (v3): same content as the index's source, so it is not stale.
    await svc.register(a)
    expect(svc.staleIndexes('people')).toEqual([])
    expect(svc.staleIndexes('nobody')).toEqual([])
  })

  it('reads a manifest written before versions existed as version 1 with no content hash', async () => {
    const store = createMemoryObjectStore()
    const fingerprint = fingerprintSchema(PEOPLE)
    const legacy = {
      dataset_id: '54eb9062-488a-5c80-9ade-2bd63f8dc68c',
      name: 'people',
      fingerprint,
      schema: PEOPLE,
      object_key: datasetObjectKey('people', fingerprint),
      row_count: 3,
      created_at: FIXED_NOW.toISOString(),
      updated_at: FIXED_NOW.toISOString(),
    }
    store.seed(manifestKey('people'), JSON.stringify(legacy))
    const svc = await build(store)
    expect(svc.get('people')).toEqual({ ...legacy, version: 1, content_hash: null })
    const next = await svc.register(await ingested(store, 'people', 'new', 4))
    expect([next.status, next.manifest.version]).toEqual(['replaced', 2])
    expect(svc.versions('people')?.map((v) => v.object_key)).toEqual([next.manifest.object_key, legacy.object_key])
  })

  it('parses version ids strictly', () => {
    expect(['1', '42', '9007199254740991'].map(parseVersionId)).toEqual([1, 42, 9007199254740991])
    expect(['0', '-1', '+1', '01', '1.0', '1e3', '', '9007199254740992'].map(parseVersionId)).toEqual(Array(8).fill(undefined))
  })

  it('answers the POST of a registered manifest at a versioned key with 200 over HTTP', async () => {
    const store = createMemoryObjectStore()
    const svc = await build(store)
    const v1 = await ingested(store, 'people', 'one', 1)
    const { content_hash: _hash, ...body } = v1
    const created = await send(svc, jsonRequest('POST', DATASETS, body))
    expect([created.status, created.body.content_hash]).toEqual([201, v1.content_hash])
    expect((await send(svc, jsonRequest('POST', DATASETS, body))).status).toBe(200)
  })
})
