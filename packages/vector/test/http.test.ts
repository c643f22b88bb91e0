import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { VECTOR_MOUNT, type VectorService } from '../src/index.ts'
import { call, type Reply, service, tempDir } from './helpers.ts'

const BASE = `${VECTOR_MOUNT}/indexes`

function expectProblem(r: Reply, status: number, code: string, path?: string): void {
  expect([r.status, r.body?.code], r.text).toEqual([status, code])
  expect(r.headers.get('content-type')).toBe('application/problem+json')
  expect(r.body).toMatchObject({ type: `urn:lakehouse:problem:${code}`, status, code })
  expect(typeof r.body.title).toBe('string')
  expect(typeof r.body.detail).toBe('string')
  if (path !== undefined) expect(r.body.instance).toBe(path)
}

/** `field:reason` of each problem entry, sorted. */
const fieldReasons = (r: Reply): string[] => r.body.errors.map((e: { field: string; reason: string }) => `${e.field}:${e.reason}`).sort()

async function withIndex(): Promise<VectorService> {
  const svc = await service({ maxBatch: 3, maxK: 20 })
  await call(svc, 'POST', BASE, { name: 'w', dim: 2, metric: 'cos' })
  await call(svc, 'POST', `${BASE}/w/items`, {
    items: [
      { id: 'a', vector: [1, 0], metadata: { city: 'Austin' } },
      { id: 'b', vector: [0.6, 0.8], metadata: { city: 'Boston', certs: ['OSHA-30'] } },
      { id: 'c', vector: [0, 1] },
    ],
  })
  return svc
}

describe('POST /v1/vector/indexes', () => {
  it('answers 201 with the index info, 200 for the same spec and 409 for another', async () => {
    const svc = await service()
    const created = await call(svc, 'POST', BASE, { name: 'workers', dim: 16, metric: 'cos' })
    expect([created.status, created.body]).toEqual([201, { name: 'workers', dim: 16, metric: 'cos', model: 'fake/hash-16', size: 0 }])
    expect(created.headers.get('content-type')).toBe('application/json')
    const same = await call(svc, 'POST', BASE, { name: 'workers', dim: 16, metric: 'cos', model: 'fake/hash-16' })
    expect([same.status, same.body.name]).toEqual([200, 'workers'])
    const conflict = await call(svc, 'POST', BASE, { name: 'workers', dim: 8, metric: 'cos' })
    expectProblem(conflict, 409, 'VECTOR_INDEX_CONFLICT', BASE)
    expect(conflict.body.existing).toEqual({ name: 'workers', dim: 16, metric: 'cos', model: 'fake/hash-16' })
    expect(conflict.body.requested).toEqual({ name: 'workers', dim: 8, metric: 'cos', model: 'fake/hash-16' })
  })

  it.each([
    [{ name: 'Bad', dim: 2, metric: 'cos' }, 'VECTOR_INVALID_NAME'],
    [{ name: 'x', dim: 2, metric: 'cos', model: 'fake/hash-16' }, 'VECTOR_MODEL_MISMATCH'],
    ['{"name": ', 'HTTP_MALFORMED_JSON'],
  ])('answers 400 to %j (%s)', async (body, code) => {
    const svc = await service()
    expectProblem(await call(svc, 'POST', BASE, body), 400, code)
  })

  it.each([
    [{ dim: 2, metric: 'cos' }, '$.name', 'required'],
    [{ name: 7, dim: 2, metric: 'cos' }, '$.name', 'type'],
    [{ name: 'x', dim: 0, metric: 'cos' }, '$.dim', 'too_small'],
    [{ name: 'x', dim: 4097, metric: 'cos' }, '$.dim', 'too_large'],
    [{ name: 'x', dim: '2', metric: 'cos' }, '$.dim', 'type'],
    [{ name: 'x', dim: 2, metric: 'hamming' }, '$.metric', 'enum'],
    [{ name: 'x', dim: 2 }, '$.metric', 'required'],
    [{ name: 'x', dim: 2, metric: 'cos', model: '' }, '$.model', 'empty'],
    [{ name: 'x', dim: 2, metric: 'cos', extra: 1 }, '$.extra', 'additional_property'],
    [[1, 2], '$', 'type'],
  ])('answers 400 HTTP_INVALID_REQUEST to %j (%s %s)', async (body, field, reason) => {
    const svc = await service()
    const r = await call(svc, 'POST', BASE, body)
    expectProblem(r, 400, 'HTTP_INVALID_REQUEST')
    expect(r.body.errors).toEqual([expect.objectContaining({ field, reason })])
  })

  it('lists every mistake of a create body at once', async () => {
    const svc = await service()
    const r = await call(svc, 'POST', BASE, { name: 'x', dim: 0, metric: 'manhattan', metirc: 'cos' })
    expectProblem(r, 400, 'HTTP_INVALID_REQUEST')
    expect(fieldReasons(r)).toEqual(['$.dim:too_small', '$.metirc:additional_property', '$.metric:enum'])
  })

  it('accepts metric cosine as cos: stored, reported and compared as cos', async () => {
    const dir = tempDir()
    const svc = await service({}, dir)
    const created = await call(svc, 'POST', BASE, { name: 'c', dim: 16, metric: 'cosine' })
    expect([created.status, created.body.metric]).toEqual([201, 'cos'])
    expect((await call(svc, 'POST', BASE, { name: 'c', dim: 16, metric: 'cos' })).status).toBe(200)
    const again = await call(svc, 'POST', BASE, { name: 'c', dim: 16, metric: 'cosine' })
    expect([again.status, again.body.metric]).toEqual([200, 'cos'])
    expect((await call(svc, 'POST', BASE, { name: 'd', dim: 16, metric: 'cos' })).status).toBe(201)
    expect((await call(svc, 'POST', BASE, { name: 'd', dim: 16, metric: 'cosine' })).status).toBe(200)
    await svc.close()
    const reopened = await service({}, dir)
    expect(reopened.info('c')?.metric).toBe('cos')
    await reopened.close()
  })

  it('answers 415 without a JSON content type and 413 past maxBodyBytes', async () => {
    const svc = await service({ maxBodyBytes: 2048 })
    const res = await svc.handler(
      new Request(TEST_ORIGIN + BASE, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
    )
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    await call(svc, 'POST', BASE, { name: 'w', dim: 2, metric: 'cos' })
    const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: `item-${i}`, vector: [0.123456789, 0.987654321] })) }
    expectProblem(await call(svc, 'POST', `${BASE}/w/items`, big), 413, 'HTTP_BODY_TOO_LARGE')
  })
})

describe('GET and DELETE /v1/vector/indexes[/{name}]', () => {
  it('lists, describes, drops (204) and then answers 404', async () => {
    const svc = await withIndex()
    expect((await call(svc, 'GET', BASE)).body).toEqual({ indexes: [{ name: 'w', dim: 2, metric: 'cos', model: 'fake/hash-16', size: 3 }] })
    expect((await call(svc, 'GET', `${BASE}/w`)).body).toEqual({ name: 'w', dim: 2, metric: 'cos', model: 'fake/hash-16', size: 3 })
    const dropped = await call(svc, 'DELETE', `${BASE}/w`)
    expect([dropped.status, dropped.text]).toEqual([204, ''])
    expectProblem(await call(svc, 'DELETE', `${BASE}/w`), 404, 'VECTOR_INDEX_NOT_FOUND', `${BASE}/w`)
    expectProblem(await call(svc, 'GET', `${BASE}/w`), 404, 'VECTOR_INDEX_NOT_FOUND')
    expect((await call(svc, 'GET', BASE)).body).toEqual({ indexes: [] })
  })

  it('answers 400 for a name that can never exist, on every per-index route', async () => {
    const svc = await withIndex()
    expectProblem(await call(svc, 'GET', `${BASE}/Not-Valid`), 400, 'VECTOR_INVALID_NAME')
    expectProblem(await call(svc, 'DELETE', `${BASE}/..`), 404, 'HTTP_NOT_FOUND')
    expectProblem(await call(svc, 'DELETE', `${BASE}/a%2Fb`), 400, 'VECTOR_INVALID_NAME')
    expectProblem(await call(svc, 'POST', `${BASE}/_x/items`, { items: [{ id: 'a', vector: [1, 0] }] }), 400, 'VECTOR_INVALID_NAME')
    expectProblem(await call(svc, 'POST', `${BASE}/_x/search`, { vector: [1, 0], k: 1 }), 400, 'VECTOR_INVALID_NAME')
    expectProblem(await call(svc, 'DELETE', `${BASE}/_x/items/a`), 400, 'VECTOR_INVALID_NAME')
  })

  it('answers 409 VECTOR_INDEX_UNAVAILABLE for an index that failed to load, until it is dropped', async () => {
    const dir = tempDir()
    const first = await service({}, dir)
    await call(first, 'POST', BASE, { name: 'broken', dim: 2, metric: 'cos' })
    await first.close()
    writeFileSync(join(dir, 'broken', 'index.json'), 'not json')
    const svc = await service({}, dir)
    expectProblem(await call(svc, 'GET', `${BASE}/broken`), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectProblem(await call(svc, 'POST', `${BASE}/broken/search`, { vector: [1, 0], k: 1 }), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectProblem(await call(svc, 'POST', BASE, { name: 'broken', dim: 2, metric: 'cos' }), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expect((await call(svc, 'DELETE', `${BASE}/broken`)).status).toBe(204)
    expect((await call(svc, 'POST', BASE, { name: 'broken', dim: 2, metric: 'cos' })).status).toBe(201)
  })

  it('answers 405 with Allow for a wrong method and 404 for an unknown path', async () => {
    const svc = await withIndex()
    const wrong = await call(svc, 'PUT', BASE, {})
    expectProblem(wrong, 405, 'HTTP_METHOD_NOT_ALLOWED')
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST')
    expect((await call(svc, 'GET', `${BASE}/w/search`)).headers.get('allow')).toBe('POST')
    expectProblem(await call(svc, 'GET', `${VECTOR_MOUNT}/nope`), 404, 'HTTP_NOT_FOUND')
  })
})

describe('items routes', () => {
  it('adds (200 {added, replaced, size}) and deletes (204, then 404)', async () => {
    const svc = await withIndex()
    const r = await call(svc, 'POST', `${BASE}/w/items`, {
      items: [
        { id: 'a', vector: [1, 1] },
        { id: 'd', text: null, vector: [1, 2] },
      ],
    })
    expect([r.status, r.body]).toEqual([200, { added: 1, replaced: 1, size: 4 }])
    expect((await call(svc, 'DELETE', `${BASE}/w/items/d`)).status).toBe(204)
    expectProblem(await call(svc, 'DELETE', `${BASE}/w/items/d`), 404, 'VECTOR_ITEM_NOT_FOUND')
    expectProblem(await call(svc, 'DELETE', `${BASE}/zz/items/d`), 404, 'VECTOR_INDEX_NOT_FOUND')
    expect((await call(svc, 'DELETE', `${BASE}/w/items/${encodeURIComponent('id with/slash')}`)).status).toBe(404)
  })

  it('deletes an id that needs URL encoding', async () => {
    const svc = await withIndex()
    await call(svc, 'POST', `${BASE}/w/items`, { items: [{ id: 'ünï/cödé ?#', vector: [1, 1] }] })
    expect((await call(svc, 'DELETE', `${BASE}/w/items/${encodeURIComponent('ünï/cödé ?#')}`)).status).toBe(204)
  })

  it.each([
    [{ items: [{ id: 'x', vector: [1, 2, 3] }] }, 'VECTOR_BAD_DIMENSION', ['$.items[0].vector:dimension']],
    [{ items: [{ id: 'x' }] }, 'HTTP_INVALID_REQUEST', ['$.items[0]:no_matching_alternative']],
    [{ items: [{ id: 'x', vector: [1, 0], text: 'x' }] }, 'HTTP_INVALID_REQUEST', ['$.items[0]:no_matching_alternative']],
    [{ items: [{ id: 'x', vector: [1, 'a'] }] }, 'HTTP_INVALID_REQUEST', ['$.items[0].vector[1]:type']],
    [{ items: [{ id: 'x', vector: [1, 1e39] }] }, 'HTTP_INVALID_REQUEST', ['$.items[0].vector[1]:too_large']],
    [{ items: [{ id: 7, vector: [1, 0] }] }, 'HTTP_INVALID_REQUEST', ['$.items[0].id:type']],
    [{ items: [{ vector: [1, 0] }] }, 'HTTP_INVALID_REQUEST', ['$.items[0].id:required']],
    [{ items: [{ id: 'x', vector: [1, 0], meta: {} }] }, 'HTTP_INVALID_REQUEST', ['$.items[0].meta:additional_property']],
    [{ items: [{ id: 'x', vector: [1, 0], metadata: { a: { b: 1 } } }] }, 'HTTP_INVALID_REQUEST', ['$.items[0].metadata.a:type']],
    [{ items: [] }, 'HTTP_INVALID_REQUEST', ['$.items:empty']],
    [{ items: {} }, 'HTTP_INVALID_REQUEST', ['$.items:type']],
    [{}, 'HTTP_INVALID_REQUEST', ['$.items:required']],
    [{ items: [{ id: 'x', vector: [1, 0] }], more: true }, 'HTTP_INVALID_REQUEST', ['$.more:additional_property']],
    [{ items: Array.from({ length: 4 }, (_, i) => ({ id: `${i}`, vector: [1, 0] })) }, 'VECTOR_BATCH_TOO_LARGE', ['$.items:too_long']],
  ])('answers 400 to %j', async (body, code, fields) => {
    const svc = await withIndex()
    const r = await call(svc, 'POST', `${BASE}/w/items`, body)
    expectProblem(r, 400, code)
    expect(fieldReasons(r)).toEqual([...fields].sort())
    for (const e of r.body.errors) expect(Object.keys(e).sort()).toEqual(['field', 'kind', 'message', 'reason'])
    expect((await call(svc, 'GET', `${BASE}/w`)).body.size).toBe(3)
  })

  it('answers 404 for items of an unknown index', async () => {
    const svc = await withIndex()
    expectProblem(await call(svc, 'POST', `${BASE}/zz/items`, { items: [{ id: 'a', vector: [1, 0] }] }), 404, 'VECTOR_INDEX_NOT_FOUND')
  })
})

describe('POST /v1/vector/indexes/{name}/search', () => {
  it('returns hits with id, score and metadata, best first, honouring exclude_ids and filters', async () => {
    const svc = await withIndex()
    const all = await call(svc, 'POST', `${BASE}/w/search`, { vector: [1, 0], k: 3 })
    expect(all.status).toBe(200)
    expect(all.text).toBe(
      '{"hits":[{"id":"a","score":1,"metadata":{"city":"Austin"}},{"id":"b","score":0.6000000238418579,"metadata":{"city":"Boston","certs":["OSHA-30"]}},{"id":"c","score":0,"metadata":{}}]}',
    )
    const excluded = await call(svc, 'POST', `${BASE}/w/search`, { vector: [1, 0], k: 2, exclude_ids: ['a'] })
    expect(excluded.body.hits.map((h: { id: string }) => h.id)).toEqual(['b', 'c'])
    const filtered = await call(svc, 'POST', `${BASE}/w/search`, { vector: [1, 0], k: 3, filters: { certs: 'osha-30' } })
    expect(filtered.body.hits.map((h: { id: string }) => h.id)).toEqual(['b'])
    const text = await call(svc, 'POST', `${BASE}/w/search`, { text: 'hello', k: 3 })
    expectProblem(text, 400, 'VECTOR_MODEL_MISMATCH')
  })

  it.each([
    [{ vector: [1, 0] }, 'HTTP_INVALID_REQUEST', '$.k', 'required'],
    [{ vector: [1, 0], k: 21 }, 'HTTP_INVALID_REQUEST', '$.k', 'too_large'],
    [{ vector: [1, 0], k: '3' }, 'HTTP_INVALID_REQUEST', '$.k', 'type'],
    [{ vector: [1, 0, 0], k: 1 }, 'VECTOR_BAD_DIMENSION', '$.vector', 'dimension'],
    [{ k: 1 }, 'HTTP_INVALID_REQUEST', '$', 'no_matching_alternative'],
    [{ vector: [1, 0], k: 1, exclude_ids: [1] }, 'HTTP_INVALID_REQUEST', '$.exclude_ids[0]', 'type'],
    [{ vector: [1, 0], k: 1, filters: { a: { gt: 1 } } }, 'HTTP_INVALID_REQUEST', '$.filters.a', 'no_matching_alternative'],
    [{ vector: [1, 0], k: 1, filter: { a: { gt: 1 } } }, 'HTTP_INVALID_REQUEST', '$.filter.a', 'no_matching_alternative'],
    [{ vector: [1, 0], k: 1, excludeIds: [] }, 'HTTP_INVALID_REQUEST', '$.excludeIds', 'additional_property'],
    [{ vector: [1, 0], k: 1, filter: {}, filters: {} }, 'HTTP_INVALID_REQUEST', '$.filter', 'conflicting_alternatives'],
  ])('answers 400 to %j', async (body, code, field, reason) => {
    const svc = await withIndex()
    const r = await call(svc, 'POST', `${BASE}/w/search`, body)
    expectProblem(r, 400, code)
    expect(r.body.errors).toEqual([expect.objectContaining({ field, reason })])
  })

  it('lists every mistake of a search body at once', async () => {
    const svc = await withIndex()
    const r = await call(svc, 'POST', `${BASE}/w/search`, { vector: [1, 0], k: 0, exclude_ids: 'a', top_k: 3 })
    expectProblem(r, 400, 'HTTP_INVALID_REQUEST')
    expect(fieldReasons(r)).toEqual(['$.exclude_ids:type', '$.k:too_small', '$.top_k:additional_property'])
  })

  it('takes filters, and the deprecated filter with a warning; the same hits either way', async () => {
    const svc = await withIndex()
    const now = await call(svc, 'POST', `${BASE}/w/search`, { vector: [1, 0], k: 3, filters: { certs: 'osha-30' } })
    expect([now.status, now.body]).toEqual([200, { hits: [expect.objectContaining({ id: 'b' })] }])
    const old = await call(svc, 'POST', `${BASE}/w/search`, { vector: [1, 0], k: 3, filter: { certs: 'osha-30' } })
    expect(old.status).toBe(200)
    expect(old.body.hits).toEqual(now.body.hits)
    expect(old.body.warnings).toEqual([{ code: 'deprecated_member', field: '$.filter', message: expect.stringContaining('$.filters') }])
  })

  it('answers 404 for an unknown index', async () => {
    const svc = await withIndex()
    expectProblem(await call(svc, 'POST', `${BASE}/zz/search`, { vector: [1, 0], k: 1 }), 404, 'VECTOR_INDEX_NOT_FOUND')
  })
})
