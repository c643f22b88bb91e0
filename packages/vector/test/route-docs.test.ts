import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createEmbedService, EMBEDDING_ERROR_REGISTRIES } from '@lakehouse/embed'
import { kitErrors, problemResponse } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { VECTOR_MOUNT, type VectorService, vectorErrors } from '../src/index.ts'
import { service, tempDir } from './helpers.ts'

const BASE = `${VECTOR_MOUNT}/indexes`

/**
 * The real embedder, so embedding failures carry the codes the routes document: `ragged/<m>` is
 * a provider answering vectors of unequal length (PROVIDER_BAD_RESPONSE).
 */
const embedder = createEmbedService(
  { dim: 16 },
  {
    providers: {
      ragged: {
        kind: 'ollama',
        embed: async () => [[1, 2], [3]],
        chat: async () => ({ content: '' }),
        close: async () => {},
      },
    },
  },
)

interface Seen {
  readonly status: number
  readonly code: unknown
  /** What is not as the route docs say; empty when the answer is as documented. */
  readonly wrong: string[]
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
  readonly body: any
}

function client(svc: VectorService) {
  const check = documentedAnswers(svc.handler, [vectorErrors, ...EMBEDDING_ERROR_REGISTRIES])
  return async (method: string, path: string, body?: unknown): Promise<Seen> => {
    const req = jsonRequest(method, path, body)
    const res = await svc.handler(req)
    const wrong = await check(req, res)
    const text = await res.text()
    const parsed = text === '' ? undefined : JSON.parse(text)
    return { status: res.status, code: parsed?.code, wrong, body: parsed }
  }
}

/** An index `w` (dim 16, the embedder's default model) holding three items. */
async function withIndex() {
  const svc = await service({ maxBatch: 3 }, tempDir(), embedder)
  const send = client(svc)
  expect((await send('POST', BASE, { name: 'w', dim: 16, metric: 'cos' })).status).toBe(201)
  const one = Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : 0))
  const added = await send('POST', `${BASE}/w/items`, {
    items: [
      { id: 'a', vector: one, metadata: { city: 'Austin', certs: ['OSHA-30'], rank: 2, active: true, note: null } },
      { id: 'b', text: 'industrial electrician', metadata: { city: 'Boston' } },
      { id: 'c', text: 'line cook' },
    ],
  })
  expect(added).toMatchObject({ status: 200, wrong: [], body: { added: 3, replaced: 0, size: 3 } })
  return { svc, send, one }
}

const expectAnswer = (seen: Seen, status: number, code?: string) =>
  expect({ ...seen, body: undefined }).toEqual({ status, code, wrong: [] })

describe('vector routes answer as documented', () => {
  it('POST /v1/vector/indexes', async () => {
    const { send } = await withIndex()
    expectAnswer(await send('POST', BASE, { name: 'w', dim: 16, metric: 'cosine' }), 200)
    expectAnswer(await send('POST', BASE, { name: 'other', dim: 8, metric: 'l2sq', model: 'local/lexical-8' }), 201)
    expectAnswer(await send('POST', BASE, { name: 'w', dim: 8, metric: 'cos' }), 409, 'VECTOR_INDEX_CONFLICT')
    expectAnswer(await send('POST', BASE, { name: 'Bad', dim: 2, metric: 'cos' }), 400, 'VECTOR_INVALID_NAME')
    expectAnswer(await send('POST', BASE, { name: 'x', dim: 2, metric: 'cos', model: 'local/lexical-8' }), 400, 'VECTOR_MODEL_MISMATCH')
    expectAnswer(await send('POST', BASE, { name: 'x', dim: 2, metric: 'cos', model: 'nobody/m' }), 400, 'EMBED_UNKNOWN_MODEL')
    expectAnswer(await send('POST', BASE, { name: 'x', dim: 2, metric: 'cos', model: 'ragged/m' }), 502, 'PROVIDER_BAD_RESPONSE')
    expectAnswer(await send('POST', BASE, { name: 'x', dim: 0, metric: 'hamming' }), 400, 'HTTP_INVALID_REQUEST')
    expectAnswer(await send('POST', BASE, '{"name": '), 400, 'HTTP_MALFORMED_JSON')
  })

  it('GET /v1/vector/indexes and /v1/vector/indexes/{name}, with and without a source', async () => {
    const { send } = await withIndex()
    expectAnswer(await send('GET', BASE), 200)
    expectAnswer(await send('GET', `${BASE}/w`), 200)
    expectAnswer(await send('PUT', `${BASE}/w/source`, { dataset: 'workers', version: 3 }), 200)
    const listed = await send('GET', BASE)
    expect(listed).toMatchObject({ wrong: [], body: { indexes: [{ name: 'w', source: { dataset: 'workers', version: 3 } }] } })
    expectAnswer(await send('GET', `${BASE}/w`), 200)
    expectAnswer(await send('GET', `${BASE}/nope`), 404, 'VECTOR_INDEX_NOT_FOUND')
    expectAnswer(await send('GET', `${BASE}/Nope`), 400, 'VECTOR_INVALID_NAME')
  })

  it('PUT /v1/vector/indexes/{name}/source', async () => {
    const { send } = await withIndex()
    expectAnswer(await send('PUT', `${BASE}/w/source`, { dataset: 'workers', version: 1 }), 200)
    expectAnswer(await send('PUT', `${BASE}/w/source`, { dataset: '', version: 0 }), 400, 'HTTP_INVALID_REQUEST')
    expectAnswer(await send('PUT', `${BASE}/nope/source`, { dataset: 'workers', version: 1 }), 404, 'VECTOR_INDEX_NOT_FOUND')
  })

  it('POST /v1/vector/indexes/{name}/items', async () => {
    const { send, one } = await withIndex()
    const replaced = await send('POST', `${BASE}/w/items`, {
      items: [
        { id: 'a', vector: one },
        { id: 'd', text: 'welder' },
      ],
    })
    expect(replaced).toMatchObject({ status: 200, wrong: [], body: { added: 1, replaced: 1, size: 4 } })
    const four = { items: ['p', 'q', 'r', 's'].map((id) => ({ id, vector: one })) }
    expectAnswer(await send('POST', `${BASE}/w/items`, four), 400, 'VECTOR_BATCH_TOO_LARGE')
    expectAnswer(await send('POST', `${BASE}/w/items`, { items: [{ id: 'p', vector: [1, 0] }] }), 400, 'VECTOR_BAD_DIMENSION')
    expectAnswer(await send('POST', `${BASE}/w/items`, { items: [{ id: 'p' }] }), 400, 'HTTP_INVALID_REQUEST')
    expectAnswer(await send('POST', `${BASE}/nope/items`, { items: [{ id: 'p', vector: one }] }), 404, 'VECTOR_INDEX_NOT_FOUND')
  })

  it('POST /v1/vector/indexes/{name}/search, the deprecated `filter` answered with its warning', async () => {
    const { send, one } = await withIndex()
    const byVector = await send('POST', `${BASE}/w/search`, { vector: one, k: 3 })
    expect(byVector).toMatchObject({ status: 200, wrong: [] })
    expect(byVector.body.hits.map((h: { id: string }) => h.id)).toContain('a')
    expect(byVector.body.warnings).toBeUndefined()
    expectAnswer(await send('POST', `${BASE}/w/search`, { text: 'electrician', k: 2, filters: { city: { in: ['boston'] } } }), 200)
    const deprecated = await send('POST', `${BASE}/w/search`, { vector: one, k: 2, filter: { city: 'austin' } })
    expect(deprecated).toMatchObject({ status: 200, wrong: [], body: { hits: [{ id: 'a' }], warnings: [{ code: 'deprecated_member' }] } })
    const both = { vector: one, k: 2, filter: { city: 'austin' }, filters: { city: 'austin' } }
    expectAnswer(await send('POST', `${BASE}/w/search`, both), 400, 'HTTP_INVALID_REQUEST')
    expectAnswer(await send('POST', `${BASE}/w/search`, { vector: [1, 0], k: 1 }), 400, 'VECTOR_BAD_DIMENSION')
    expectAnswer(await send('POST', `${BASE}/w/search`, { k: 1 }), 400, 'HTTP_INVALID_REQUEST')
    expectAnswer(await send('POST', `${BASE}/nope/search`, { vector: one, k: 1 }), 404, 'VECTOR_INDEX_NOT_FOUND')
  })

  it('DELETE /v1/vector/indexes/{name}/items/{id} and /v1/vector/indexes/{name}', async () => {
    const { send } = await withIndex()
    expectAnswer(await send('DELETE', `${BASE}/w/items/a`), 204)
    expectAnswer(await send('DELETE', `${BASE}/w/items/a`), 404, 'VECTOR_ITEM_NOT_FOUND')
    expectAnswer(await send('DELETE', `${BASE}/nope/items/a`), 404, 'VECTOR_INDEX_NOT_FOUND')
    expectAnswer(await send('DELETE', `${BASE}/w`), 204)
    expectAnswer(await send('DELETE', `${BASE}/w`), 404, 'VECTOR_INDEX_NOT_FOUND')
    expectAnswer(await send('DELETE', `${BASE}/W`), 400, 'VECTOR_INVALID_NAME')
  })

  it('an index that failed to load: 409 until dropped', async () => {
    const dir = tempDir()
    const first = await service({}, dir, embedder)
    expect((await client(first)('POST', BASE, { name: 'broken', dim: 2, metric: 'cos' })).status).toBe(201)
    await first.close()
    writeFileSync(join(dir, 'broken', 'index.json'), 'not json')
    const send = client(await service({}, dir, embedder))
    expectAnswer(await send('GET', `${BASE}/broken`), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectAnswer(await send('POST', BASE, { name: 'broken', dim: 2, metric: 'cos' }), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectAnswer(await send('POST', `${BASE}/broken/items`, { items: [{ id: 'a', vector: [1, 0] }] }), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectAnswer(await send('PUT', `${BASE}/broken/source`, { dataset: 'd', version: 1 }), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectAnswer(await send('DELETE', `${BASE}/broken/items/a`), 409, 'VECTOR_INDEX_UNAVAILABLE')
    expectAnswer(await send('DELETE', `${BASE}/broken`), 204)
  })

  it('tells an answer that is not as documented', async () => {
    const { svc } = await withIndex()
    const check = documentedAnswers(svc.handler, [vectorErrors, ...EMBEDDING_ERROR_REGISTRIES])
    const req = jsonRequest('POST', `${BASE}/w/search`, { vector: [1], k: 1 })
    const json = { 'content-type': 'application/json' }
    // A warning with a member the schema does not know, a hit without metadata, an undocumented status and code.
    const warning = { hits: [], warnings: [{ code: 'deprecated_member', field: '$.filter', message: 'm', extra: 1 }] }
    expect(await check(req, new Response(JSON.stringify(warning), { headers: json }))).not.toEqual([])
    expect(await check(req, new Response('{"hits":[{"id":"a","score":1}]}', { headers: json }))).not.toEqual([])
    expect(await check(req, new Response('{"hits":[]}', { status: 201, headers: json }))).not.toEqual([])
    const conflict = problemResponse(vectorErrors.problem('VECTOR_INDEX_CONFLICT', { detail: 'x' }), req.url)
    expect(await check(req, conflict)).not.toEqual([])
    expect(await check(req, problemResponse(kitErrors.problem('HTTP_BAD_REQUEST', { detail: 'x' }), req.url))).toEqual([
      expect.stringContaining('code'),
    ])
  })
})
