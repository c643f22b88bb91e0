import { createLogger } from '@lakehouse/kit'
import { createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { type ColumnSpec, createCatalogService, datasetIdFor, datasetObjectKey, manifestKey } from '../src/index.ts'
import { FIXED_NOW, fakeInspector, post, putObject, registration, rejectionOf, service } from './helpers.ts'

/**
 * Security issue 11: `POST /v1/catalog/datasets` with a registered dataset's public name,
 * fingerprint and schema and any `object_key` used to answer 200 and repoint it (at a missing
 * key, or at another dataset's Parquet, served under the trusted name around the drift check
 * and the grant). Catalog writes are the system's (ingest), not the caller's.
 */

const SECRETS: readonly ColumnSpec[] = [
  { name: 'worker_id', type: 'VARCHAR' },
  { name: 'ssn', type: 'VARCHAR' },
  { name: 'note', type: 'VARCHAR' },
]

/** A catalog with `people` and `secrets` ingested (objects written, then registered by the system path). */
async function ingested() {
  const store = createMemoryObjectStore()
  const inspect = fakeInspector(store)
  const svc = await service(store, {}, inspect)
  for (const body of [registration('people'), registration('secrets', SECRETS, 1)]) {
    await putObject(store, body)
    await svc.register(body)
  }
  let events = 0
  svc.onChange(() => {
    events++
  })
  const stored = store.text(manifestKey('people'))
  return { store, svc, inspect, events: () => events, stored }
}

describe('issue 11: catalog repoint', () => {
  it('refuses to repoint a registered dataset at a missing key with 409 CATALOG_REPLACE_VIA_INGEST and changes nothing', async () => {
    const t = await ingested()
    const before = t.svc.get('people')
    const r = await post(t.svc, { ...registration('people'), object_key: 'datasets/people/missing.parquet' })
    expect([r.status, r.body.code]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST'])
    expect(r.headers.get('content-type')).toBe('application/problem+json')
    expect(r.body).toMatchObject({ name: 'people', changed: ['object_key'], existing_fingerprint: before?.fingerprint })
    expect(r.body.detail).toContain('POST /v1/ingest/people')
    expect(r.body.detail).toContain('lakehouse ingest')
    expect(t.svc.get('people')).toEqual(before)
    expect(t.store.text(manifestKey('people'))).toBe(t.stored)
    expect([t.events(), t.inspect.inspected]).toEqual([0, []])
  })

  it("refuses to repoint a registered dataset at another dataset's object, with its schema or without", async () => {
    const t = await ingested()
    const secrets = registration('secrets', SECRETS, 1)
    const keyOnly = await post(t.svc, { ...registration('people'), object_key: secrets.object_key })
    expect([keyOnly.status, keyOnly.body.code, keyOnly.body.changed]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST', ['object_key']])
    const whole = await post(t.svc, { ...secrets, name: 'people' })
    expect([whole.status, whole.body.code, whole.body.changed]).toEqual([
      409,
      'CATALOG_REPLACE_VIA_INGEST',
      ['fingerprint', 'schema', 'object_key', 'row_count'],
    ])
    expect(t.svc.get('people')?.object_key).toBe(registration('people').object_key)
    expect(t.store.text(manifestKey('people'))).toBe(t.stored)
    expect(t.events()).toBe(0)
  })

  it('refuses a new row_count or a schema behind the same fingerprint over HTTP', async () => {
    const t = await ingested()
    const rows = await post(t.svc, { ...registration('people'), row_count: 99 })
    expect([rows.status, rows.body.code, rows.body.changed]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST', ['row_count']])
    const renamed = await post(t.svc, {
      ...registration('people'),
      schema: [
        { name: 'id', type: 'BIGINT' },
        { name: 'ssn', type: 'VARCHAR' },
      ],
    })
    expect([renamed.status, renamed.body.code, renamed.body.changed]).toEqual([409, 'CATALOG_REPLACE_VIA_INGEST', ['schema']])
    expect(t.store.text(manifestKey('people'))).toBe(t.stored)
  })

  it('answers 200 with the stored manifest for the identical manifest, writing and reading nothing', async () => {
    const t = await ingested()
    const r = await post(t.svc, registration('people'))
    expect(r.status).toBe(200)
    expect(r.body).toEqual(t.svc.get('people'))
    expect(t.store.text(manifestKey('people'))).toBe(t.stored)
    expect([t.events(), t.inspect.inspected]).toEqual([0, []])
  })
})

describe('issue 11: registering over HTTP', () => {
  it('registers an object ingest wrote but the catalog lacks (201), then answers 200', async () => {
    const store = createMemoryObjectStore()
    const inspect = fakeInspector(store)
    const svc = await service(store, {}, inspect)
    const body = registration('people')
    await putObject(store, body)
    const created = await post(svc, body)
    expect([created.status, created.headers.get('location')]).toEqual([201, '/v1/catalog/datasets/people'])
    expect(created.body).toMatchObject({ ...body, created_at: FIXED_NOW.toISOString() })
    const again = await post(svc, body)
    expect([again.status, again.text]).toEqual([200, created.text])
    expect(inspect.inspected).toEqual([body.object_key])
  })

  it('refuses a manifest naming a missing object with 422 CATALOG_OBJECT_MISSING', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    const r = await post(svc, registration('people'))
    expect([r.status, r.body.code]).toEqual([422, 'CATALOG_OBJECT_MISSING'])
    expect(r.body.errors).toEqual([expect.objectContaining({ field: '$.object_key', reason: 'object_missing' })])
    expect(r.body.detail).toContain(registration('people').object_key)
    expect([svc.list(), store.keys()]).toEqual([[], []])
  })

  it.each([
    ['another dataset', (fp: string) => `datasets/secrets/${fp}.parquet`],
    ['another file of the dataset', () => 'datasets/people/x.parquet'],
    ['an upload', (fp: string) => `uploads/people/${fp}.parquet`],
    ['a differently cased prefix', (fp: string) => `Datasets/people/${fp}.parquet`],
  ])(
    'refuses an object_key outside datasets/<name>/<fingerprint>.parquet (%s) with 422 CATALOG_OBJECT_KEY_MISMATCH, unread',
    async (_, key) => {
      const store = createMemoryObjectStore()
      const inspect = fakeInspector(store)
      const svc = await service(store, {}, inspect)
      const body = { ...registration('people'), object_key: key(registration('people').fingerprint) }
      await putObject(store, body)
      const r = await post(svc, body)
      expect([r.status, r.body.code]).toEqual([422, 'CATALOG_OBJECT_KEY_MISMATCH'])
      expect(r.body.expected_object_key).toBe(datasetObjectKey('people', body.fingerprint, '<content_hash>'))
      expect([svc.list(), inspect.inspected]).toEqual([[], []])
    },
  )

  it('refuses a fingerprint that is not the schema’s with 422 CATALOG_FINGERPRINT_MISMATCH', async () => {
    const svc = await service(createMemoryObjectStore())
    const fingerprint = '1'.repeat(64)
    const r = await post(svc, { ...registration('people'), fingerprint, object_key: datasetObjectKey('people', fingerprint) })
    expect([r.status, r.body.code, r.body.errors[0].field]).toEqual([422, 'CATALOG_FINGERPRINT_MISMATCH', '$.fingerprint'])
    expect(svc.list()).toEqual([])
  })

  it('refuses a schema or row_count that differs from the object with 422 CATALOG_OBJECT_MISMATCH, saying which', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    const body = registration('people')
    // Something other than ingest put an object at the key (by hand, or around storage's prefix check).
    await store.put(body.object_key, new TextEncoder().encode(JSON.stringify({ schema: SECRETS, row_count: 1 })))
    const r = await post(svc, body)
    expect([r.status, r.body.code]).toEqual([422, 'CATALOG_OBJECT_MISMATCH'])
    expect(r.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toEqual([
      ['$.schema', 'column_count_mismatch'],
      ['$.schema[0].name', 'column_name_mismatch'],
      ['$.schema[0].type', 'column_type_mismatch'],
      ['$.schema[1].name', 'column_name_mismatch'],
      ['$.row_count', 'row_count_mismatch'],
    ])
    expect(r.body.detail).toContain('$.schema lists 2 columns; the object has 3')
    // The object's column names are not echoed (the caller may not be allowed to read it).
    expect(r.text).not.toContain('ssn')
    await putObject(store, { ...body, row_count: 7 })
    const rows = await post(svc, body)
    expect([rows.status, rows.body.code, rows.body.detail]).toEqual([
      422,
      'CATALOG_OBJECT_MISMATCH',
      expect.stringContaining('$.row_count is 3; the object holds 7 rows'),
    ])
    expect(svc.list()).toEqual([])
  })

  it('refuses an object that is not Parquet with 422 CATALOG_OBJECT_UNREADABLE, logging the reason and never echoing it', async () => {
    const store = createMemoryObjectStore()
    const lines: string[] = []
    const svc = await createCatalogService(
      {},
      { store, logger: createLogger({ sink: (l) => lines.push(l) }), inspectObject: fakeInspector(store) },
    )
    const body = registration('people')
    store.seed(body.object_key, 'not parquet')
    const r = await post(svc, body)
    expect([r.status, r.body.code]).toEqual([422, 'CATALOG_OBJECT_UNREADABLE'])
    expect(r.text).not.toContain('/srv/secret')
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'catalog register refused')
    expect(logged).toMatchObject({ name: 'people', key: body.object_key, reason: expect.stringContaining('/srv/secret') })
  })

  it('answers 503 CATALOG_PERSIST_FAILED with Retry-After when the object cannot be inspected', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(
      store,
      {},
      Object.assign(async () => Promise.reject(new Error('engine closed')), { inspected: [] }),
    )
    await putObject(store, registration('people'))
    const r = await post(svc, registration('people'))
    expect([r.status, r.body.code, r.headers.get('retry-after')]).toEqual([503, 'CATALOG_PERSIST_FAILED', '1'])
    expect(r.body.detail).not.toContain('engine closed')
    expect(svc.list()).toEqual([])
  })
})

describe('issue 11: the system path (ingest)', () => {
  it('is trusted to describe the object it just wrote: registers without reading it', async () => {
    const store = createMemoryObjectStore()
    const inspect = fakeInspector(store)
    const svc = await service(store, {}, inspect)
    expect((await svc.register(registration('people'))).status).toBe('created')
    expect(inspect.inspected).toEqual([])
  })

  it('still checks the derived members: the key ingest writes and the schema’s fingerprint', async () => {
    const svc = await service(createMemoryObjectStore())
    const elsewhere = await rejectionOf(svc.register({ ...registration('people'), object_key: 'datasets/secrets/x.parquet' }))
    expect([elsewhere.status, elsewhere.code]).toEqual([422, 'CATALOG_OBJECT_KEY_MISMATCH'])
    const fingerprint = 'f'.repeat(64)
    const unrelated = await rejectionOf(
      svc.register({ ...registration('people'), fingerprint, object_key: datasetObjectKey('people', fingerprint) }),
    )
    expect([unrelated.status, unrelated.code]).toEqual([422, 'CATALOG_FINGERPRINT_MISMATCH'])
    expect(svc.list()).toEqual([])
  })
})

describe('issue 11: manifests persisted before the rule', () => {
  it('skips a stored manifest repointed at another dataset’s object, and the system path writes a good one over it', async () => {
    const store = createMemoryObjectStore()
    const stamp = FIXED_NOW.toISOString()
    const repointed = { ...registration('people'), object_key: registration('secrets', SECRETS, 1).object_key }
    store.seed(
      manifestKey('people'),
      JSON.stringify({ dataset_id: datasetIdFor('people'), ...repointed, created_at: stamp, updated_at: stamp }),
    )
    const lines: string[] = []
    const svc = await createCatalogService(
      {},
      { store, logger: createLogger({ sink: (l) => lines.push(l) }), inspectObject: fakeInspector(store) },
    )
    expect([svc.get('people'), svc.stats()]).toEqual([undefined, { datasets: 0, skipped: 1 }])
    const skipped = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'catalog manifest skipped')
    expect(skipped.reason).toContain('does not name its own object')
    const repaired = await svc.register(registration('people'))
    expect([repaired.status, repaired.manifest.object_key]).toEqual(['created', registration('people').object_key])
  })
})
