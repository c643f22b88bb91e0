import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { CATALOG_MOUNT, datasetIdFor } from '../src/index.ts'
import { FIXED_NOW, get, PEOPLE_V2, post, putObject, registration, send, service } from './helpers.ts'

const DATASETS = '/v1/catalog/datasets'

describe('POST /v1/catalog/datasets', () => {
  it('answers 201 with the manifest and a Location, 200 with the same body, 409 on drift', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    await putObject(store, registration('people'))
    await putObject(store, registration('people', PEOPLE_V2))
    const created = await post(svc, registration('people'))
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toBe('application/json')
    expect(created.headers.get('location')).toBe('/v1/catalog/datasets/people')
    expect(created.body).toEqual({
      dataset_id: datasetIdFor('people'),
      ...registration('people'),
      created_at: FIXED_NOW.toISOString(),
      updated_at: FIXED_NOW.toISOString(),
      version: 1,
      content_hash: null,
    })
    expect(Object.keys(created.body)).toEqual([
      'dataset_id',
      'name',
      'fingerprint',
      'schema',
      'object_key',
      'row_count',
      'created_at',
      'updated_at',
      'version',
      'content_hash',
    ])

    const again = await post(svc, registration('people'))
    expect(again.status).toBe(200)
    expect(again.headers.get('location')).toBeNull()
    expect(again.text).toBe(created.text)

    const drift = await post(svc, registration('people', PEOPLE_V2))
    expect(drift.status).toBe(409)
    expect(drift.headers.get('content-type')).toBe('application/problem+json')
    // Even with the drifted object in place: a registered dataset changes only through ingest.
    expect(drift.body).toMatchObject({
      type: 'urn:lakehouse:problem:CATALOG_REPLACE_VIA_INGEST',
      status: 409,
      code: 'CATALOG_REPLACE_VIA_INGEST',
      instance: DATASETS,
      existing_fingerprint: created.body.fingerprint,
      changed: ['fingerprint', 'schema', 'object_key'],
    })
  })

  it('answers a bad name in the body with 400 HTTP_INVALID_REQUEST, reason pattern (CATALOG_INVALID_NAME is for names in the path)', async () => {
    const svc = await service(createMemoryObjectStore())
    const r = await post(svc, registration('Bad-Name'))
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(r.body.errors).toEqual([
      { kind: 'schema', field: '$.name', reason: 'pattern', message: '$.name must match pattern "^[a-z][a-z0-9_]{0,62}$"' },
    ])
    const path = await send(svc, new Request(`${TEST_ORIGIN}${DATASETS}/Bad-Name`))
    expect([path.status, path.body.code]).toEqual([400, 'CATALOG_INVALID_NAME'])
  })

  it('answers 400 HTTP_INVALID_REQUEST for a body of the wrong shape, listing every problem', async () => {
    const svc = await service(createMemoryObjectStore())
    const notObject = await post(svc, [registration('people')])
    expect([notObject.status, notObject.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(notObject.body.errors).toEqual([{ kind: 'schema', field: '$', reason: 'type', message: '$ must be object' }])
    const empty = await post(svc, {})
    expect(empty.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toEqual([
      ['$.name', 'required'],
      ['$.fingerprint', 'required'],
      ['$.schema', 'required'],
      ['$.object_key', 'required'],
      ['$.row_count', 'required'],
    ])
    const { row_count: _rows, ...rest } = registration('people')
    const mixed = await post(svc, { ...rest, rows: 3, schema: [{ name: 7, type: 'BIGINT' }] })
    expect(mixed.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toEqual([
      ['$.row_count', 'required'],
      ['$.rows', 'additional_property'],
      ['$.schema[0].name', 'type'],
    ])
  })

  it('answers 415, 413 and 400 for bodies kit refuses', async () => {
    const svc = await service(createMemoryObjectStore(), { maxBodyBytes: 1024 })
    const text = await send(
      svc,
      new Request(TEST_ORIGIN + DATASETS, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(registration('people')),
      }),
    )
    expect([text.status, text.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    const big = await post(svc, { ...registration('people'), pad: 'x'.repeat(2000) })
    expect([big.status, big.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
    const bad = await post(svc, '{"name":')
    expect([bad.status, bad.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
    expect(svc.list()).toEqual([])
  })
})

describe('GET /v1/catalog/datasets[/{name}]', () => {
  it('lists manifests sorted by name', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    expect((await get(svc, DATASETS)).body).toEqual({ datasets: [] })
    for (const n of ['workers', 'alpha', 'orders']) {
      await putObject(store, registration(n))
      expect((await post(svc, registration(n))).status).toBe(201)
    }
    const r = await get(svc, DATASETS)
    expect(r.status).toBe(200)
    expect(r.body.datasets.map((d: { name: string }) => d.name)).toEqual(['alpha', 'orders', 'workers'])
    expect(r.body.datasets[0]).toEqual(svc.get('alpha'))
  })

  it('returns one manifest, 404 CATALOG_NOT_FOUND for an unknown name, 400 for an impossible one', async () => {
    const svc = await service(createMemoryObjectStore())
    await svc.register(registration('people'))
    const one = await get(svc, `${DATASETS}/people`)
    expect(one.status).toBe(200)
    expect(one.body).toEqual({ ...svc.get('people'), stale_indexes: [] })
    const missing = await get(svc, `${DATASETS}/nobody`)
    expect([missing.status, missing.body.code, missing.body.instance]).toEqual([404, 'CATALOG_NOT_FOUND', `${DATASETS}/nobody`])
    const impossible = await get(svc, `${DATASETS}/Bad%20Name`)
    expect([impossible.status, impossible.body.code]).toEqual([400, 'CATALOG_INVALID_NAME'])
  })

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const svc = await service(createMemoryObjectStore())
    for (const path of [`${CATALOG_MOUNT}`, `${CATALOG_MOUNT}/nope`, `${DATASETS}/`, `${DATASETS}/a/b`]) {
      const r = await get(svc, path)
      expect([path, r.status, r.body.code]).toEqual([path, 404, 'HTTP_NOT_FOUND'])
    }
    const del = await send(svc, jsonRequest('DELETE', DATASETS))
    expect([del.status, del.body.code, del.headers.get('allow')]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED', 'GET, HEAD, POST'])
    const head = await send(svc, new Request(TEST_ORIGIN + DATASETS, { method: 'HEAD' }))
    expect([head.status, head.text]).toEqual([200, ''])
    const postOne = await send(svc, jsonRequest('POST', `${DATASETS}/people`, registration('people')))
    expect([postOne.status, postOne.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
  })
})
