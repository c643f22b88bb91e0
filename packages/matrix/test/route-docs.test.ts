import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbedService, EMBEDDING_ERROR_REGISTRIES } from '@lakehouse/embed'
import { problemResponse } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest } from '@lakehouse/kit/testing'
import { createVectorService, type VectorService, vectorErrors } from '@lakehouse/vector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMatrixService, MATRIX_MOUNT, type MatrixService, matrixErrors } from '../src/index.ts'
import { fixtureWorkers, workerItem } from './helpers.ts'

/**
 * Over the real embed and vector services, so a failure passed through from them carries the
 * code the route docs list. `flaky/<m>` is a provider model whose answers break on demand
 * (PROVIDER_BAD_RESPONSE).
 */
const DIM = 32
let flakyBroken = false
const embedder = createEmbedService(
  { dim: DIM },
  {
    providers: {
      flaky: {
        kind: 'ollama',
        embed: async (_model, texts) => (flakyBroken ? [] : texts.map(() => Array.from({ length: DIM }, (_, i) => (i === 0 ? 1 : 0.5)))),
        chat: async () => ({ content: '' }),
        close: async () => {},
      },
    },
  },
)

let dir: string
let vector: VectorService

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'matrix-docs-'))
  vector = await createVectorService({ saveDelayMs: 60_000 }, { dir, embedder })
  await vector.create({ name: 'workers', dim: DIM, metric: 'cos' })
  await vector.add('workers', fixtureWorkers().map(workerItem))
  await vector.create({ name: 'inner', dim: DIM, metric: 'ip' })
  await vector.add('inner', [{ id: 'i-1', text: 'welder' }])
  await vector.create({ name: 'remote', dim: DIM, metric: 'cos', model: 'flaky/m' })
  await vector.add('remote', [{ id: 'r-1', vector: Array.from({ length: DIM }, () => 1) }])
})
afterAll(async () => {
  await vector.close()
  await rm(dir, { recursive: true, force: true })
})

interface Seen {
  readonly status: number
  readonly code: unknown
  /** What is not as the route docs say; empty when the answer is as documented. */
  readonly wrong: string[]
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
  readonly body: any
  readonly cache: string | null
}

function client(svc: MatrixService) {
  const check = documentedAnswers(svc.handler, [matrixErrors, vectorErrors, ...EMBEDDING_ERROR_REGISTRIES])
  return async (path: string, body: unknown): Promise<Seen> => {
    const req = jsonRequest('POST', `${MATRIX_MOUNT}${path}`, body)
    const res = await svc.handler(req)
    const wrong = await check(req, res)
    const parsed = JSON.parse(await res.text())
    return { status: res.status, code: parsed.code, wrong, body: parsed, cache: res.headers.get('x-cache') }
  }
}

const matrix = (playbookIndex: string) => createMatrixService({ playbookIndex }, { indexes: vector, embedder })
const answer = (seen: Seen) => ({ status: seen.status, code: seen.code, wrong: seen.wrong })

describe('matrix routes answer as documented', () => {
  it('POST /v1/matrix/search', async () => {
    const send = client(await matrix('pb-search'))
    const first = await send('/search', { query: 'Electrician OSHA-30', k: 5, filters: { state: 'IL' } })
    expect({ ...answer(first), cache: first.cache, some: first.body.count > 0 }).toEqual({
      status: 200,
      code: undefined,
      wrong: [],
      cache: 'miss',
      some: true,
    })
    const again = await send('/search', { query: 'electrician osha-30', k: 5, filters: { state: 'IL' } })
    expect([again.status, again.cache, again.wrong]).toEqual([200, 'hit', []])
    expect(answer(await send('/search', { query: ' ', k: 0 }))).toEqual({ status: 400, code: 'HTTP_INVALID_REQUEST', wrong: [] })
    const missing = await send('/search', { query: 'welder', corpora: ['nope'] })
    expect(answer(missing)).toEqual({ status: 404, code: 'MATRIX_CORPUS_NOT_FOUND', wrong: [] })
    const mixed = await send('/search', { query: 'welder', corpora: ['workers', 'inner'] })
    expect(answer(mixed)).toEqual({ status: 409, code: 'MATRIX_CORPUS_INCOMPATIBLE', wrong: [] })
  })

  it('POST /v1/matrix/search through a provider that fails', async () => {
    const send = client(await matrix('pb-flaky'))
    expect(answer(await send('/search', { query: 'anything', corpora: ['remote'] }))).toEqual({ status: 200, code: undefined, wrong: [] })
    flakyBroken = true
    try {
      const broken = await send('/search', { query: 'something else', corpora: ['remote'] })
      expect(answer(broken)).toEqual({ status: 502, code: 'PROVIDER_BAD_RESPONSE', wrong: [] })
    } finally {
      flakyBroken = false
    }
  })

  it('POST /v1/matrix/playbooks/record, and a search the records boost', async () => {
    const svc = await matrix('pb-record')
    const send = client(svc)
    const one = await send('/playbooks/record', { query: 'welder', worker_ids: ['W-025'], outcome: 'success', note: 'great' })
    expect({ ...answer(one), body: one.body }).toEqual({ status: 201, code: undefined, wrong: [], body: { recorded: 1 } })
    const bulk = {
      items: [
        { query: 'welder', worker_ids: ['W-026', 'W-027'], outcome: 'failure' },
        { query: 'welder mig', worker_ids: ['W-025'], outcome: 'success', corpus: 'workers' },
      ],
    }
    expect(answer(await send('/playbooks/record', bulk))).toEqual({ status: 201, code: undefined, wrong: [] })
    const boosted = await send('/search', { query: 'welder', k: 8, use_playbook: true })
    expect(answer(boosted)).toEqual({ status: 200, code: undefined, wrong: [] })
    expect(boosted.body.results.some((r: { playbook?: unknown }) => r.playbook !== undefined)).toBe(true)
    const badItems = { items: [{ query: 'welder', worker_ids: [], outcome: 'maybe' }] }
    expect(answer(await send('/playbooks/record', badItems))).toEqual({ status: 400, code: 'HTTP_INVALID_REQUEST', wrong: [] })
    const elsewhere = { query: 'welder', worker_ids: ['W-1'], outcome: 'success', corpus: 'nope' }
    expect(answer(await send('/playbooks/record', elsewhere))).toEqual({ status: 404, code: 'MATRIX_CORPUS_NOT_FOUND', wrong: [] })
    await svc.close()
    const closed = await send('/search', { query: 'welder' })
    expect(answer(closed)).toEqual({ status: 503, code: 'MATRIX_UNAVAILABLE', wrong: [] })
    const late = await send('/playbooks/record', { query: 'welder', worker_ids: ['W-1'], outcome: 'success' })
    expect(answer(late)).toEqual({ status: 503, code: 'MATRIX_UNAVAILABLE', wrong: [] })
  })

  it('tells an answer that is not as documented', async () => {
    const svc = await matrix('pb-wrong')
    const check = documentedAnswers(svc.handler, [matrixErrors, vectorErrors, ...EMBEDDING_ERROR_REGISTRIES])
    const req = jsonRequest('POST', `${MATRIX_MOUNT}/search`, { query: 'q' })
    const json = { 'content-type': 'application/json' }
    const result = { id: 'W-1', corpus: 'workers', score: 1, metadata: {} }
    const withMark = (playbook: unknown) => JSON.stringify({ query: 'q', results: [{ ...result, playbook }], count: 1 })
    expect(await check(req, new Response(withMark({ boost: 0.1, matched: [] }), { headers: json }))).toEqual([])
    expect(await check(req, new Response(withMark({ boost: 0.1 }), { headers: json }))).not.toEqual([])
    expect(await check(req, new Response('{"query":"q","results":[]}', { headers: json }))).not.toEqual([])
    const record = jsonRequest('POST', `${MATRIX_MOUNT}/playbooks/record`, {})
    expect(await check(record, new Response('{"recorded":1}', { status: 200, headers: json }))).not.toEqual([])
    const unlisted = problemResponse(vectorErrors.problem('VECTOR_BAD_DIMENSION', { detail: 'x' }), req.url)
    expect(await check(req, unlisted)).not.toEqual([])
  })
})
