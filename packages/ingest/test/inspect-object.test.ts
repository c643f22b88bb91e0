import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CatalogService, createCatalogService, datasetObjectKey, fingerprintSchema, manifestKey } from '@lakehouse/catalog'
import { jsonRequest } from '@lakehouse/kit/testing'
import { createFsObjectStore, type ObjectStore } from '@lakehouse/storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRequest, type Harness, harness, send } from './helpers.ts'

/**
 * `IngestService.inspectObject`, the catalog's check of manifests it gets over HTTP (security
 * issue 11), against the real filesystem store and catalog: what it reads back must be exactly
 * what ingest records in the manifest, or a legitimate manifest would be refused.
 */
describe('issue 11: inspectObject', () => {
  let h: Harness
  let store: ObjectStore
  let catalog: CatalogService
  let work: string

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ingest-inspect-'))
    store = createFsObjectStore({ root: join(work, 'store') })
    catalog = await createCatalogService(undefined, { store, inspectObject: (key) => h.svc.inspectObject(key) })
    h = await harness({}, { store, catalog })
  })
  afterAll(async () => {
    await h.close()
    await catalog.close()
    await store.close()
    await rm(work, { recursive: true, force: true })
  })

  it('reads back the schema and row count ingest registered, for every type ingest infers', async () => {
    const csv =
      'id,score,active,day,at,label\n1,9.5,true,2024-01-02,2024-01-02 03:04:05,a\n2,7,false,2023-12-31,2023-12-31 23:59:59,\n3,,,,,c\n'
    const r = await send(h.svc, csvRequest('typed', csv))
    expect(r.status).toBe(201)
    expect(r.body.schema.map((c: { type: string }) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'VARCHAR'])
    expect(await h.svc.inspectObject(r.body.object_key)).toEqual({ status: 'parquet', schema: r.body.schema, row_count: 3 })
    expect(await h.leftovers()).toEqual([])
  })

  it('answers missing for a key with no object, and unreadable (not a failure) for bytes that are not Parquet', async () => {
    expect(await h.svc.inspectObject('datasets/nobody/x.parquet')).toEqual({ status: 'missing' })
    await store.put('datasets/junk/x.parquet', new TextEncoder().encode('not parquet at all'))
    const junk = await h.svc.inspectObject('datasets/junk/x.parquet')
    expect(junk.status).toBe('unreadable')
    expect(await h.leftovers()).toEqual([])
  })

  it('lets the catalog re-register an ingested object whose manifest was lost (201, then 200), and nothing else', async () => {
    const r = await send(h.svc, csvRequest('lost', 'worker_id,hours\nW-1,8\nW-2,6\n'))
    const manifest = { name: 'lost', fingerprint: r.body.fingerprint, schema: r.body.schema, object_key: r.body.object_key, row_count: 2 }
    // A catalog that never saw the register (its manifest object gone), over the same objects.
    await store.delete(manifestKey('lost'))
    const fresh = await createCatalogService(undefined, { store, inspectObject: (key) => h.svc.inspectObject(key) })
    try {
      expect(fresh.get('lost')).toBeUndefined()
      const post = (body: unknown) => fresh.handler(jsonRequest('POST', '/v1/catalog/datasets', body))
      const wrongRows = await post({ ...manifest, row_count: 5 })
      expect([wrongRows.status, (await wrongRows.json()).code]).toEqual([422, 'CATALOG_OBJECT_MISMATCH'])
      const retyped = [
        { name: 'worker_id', type: 'VARCHAR' },
        { name: 'hours', type: 'DOUBLE' },
      ]
      const wrongType = await post({
        ...manifest,
        schema: retyped,
        fingerprint: fingerprintSchema(retyped),
        object_key: datasetObjectKey('lost', fingerprintSchema(retyped)),
      })
      expect([wrongType.status, (await wrongType.json()).code]).toEqual([422, 'CATALOG_OBJECT_MISSING'])
      const created = await post(manifest)
      const body = await created.json()
      expect([created.status, body.dataset_id]).toEqual([201, r.body.dataset_id])
      expect((await post(manifest)).status).toBe(200)
    } finally {
      await fresh.close()
    }
  })
})
