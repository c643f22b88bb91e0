import { jsonRequest } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createMatrixService } from '../src/index.ts'
import { createFakeEmbedder } from './fakes.ts'
import { fixtureWorkers, ids, search, send, setup, workerItem } from './helpers.ts'
import { createTestIndexes } from './vector-indexes.ts'

describe('POST /v1/matrix/search', () => {
  it('ranks the matching role first and answers {query, results, count}', async () => {
    const { svc } = await setup()
    const r = await search(svc, { query: 'Electrician  with industrial WIRING', k: 5 })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(Object.keys(r.body)).toEqual(['query', 'results', 'count'])
    expect(r.body.query).toBe('electrician with industrial wiring')
    expect(r.body.count).toBe(5)
    for (const res of r.body.results) {
      expect(Object.keys(res)).toEqual(['id', 'corpus', 'score', 'metadata'])
      expect(res.corpus).toBe('workers')
      expect(res.metadata.role).toBe('electrician')
    }
    const scores = r.body.results.map((x: { score: number }) => x.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it('defaults k to 10 and searches the default corpus', async () => {
    const { svc, indexes } = await setup()
    const r = await search(svc, { query: 'inventory' })
    expect(r.body.count).toBe(10)
    expect(indexes.searches.map((s) => [s.name, s.input.k])).toEqual([['workers', 20]])
  })

  it('drops results under min_score, so every score is at least the floor', async () => {
    const { svc } = await setup()
    const all = await search(svc, { query: 'welder tig welding', k: 48, min_score: -1 })
    const floor = all.body.results[5].score
    const r = await search(svc, { query: 'welder tig welding', k: 48, min_score: floor })
    expect(r.body.results.every((x: { score: number }) => x.score >= floor)).toBe(true)
    expect(r.body.count).toBeLessThan(all.body.count)
    expect(ids(r.body)).toEqual(ids(all.body).slice(0, r.body.count))
  })

  it('applies role, city and state case-insensitively and certification as membership', async () => {
    const { svc, workers } = await setup()
    const r = await search(svc, { query: 'inventory picking', k: 100, filters: { role: 'WAREHOUSE associate', state: 'il' } })
    const expected = workers.filter((w) => w.role === 'warehouse associate' && w.state === 'IL').map((w) => w.id)
    expect(ids(r.body).sort()).toEqual(expected.sort())
    const c = await search(svc, { query: 'worker', k: 100, min_score: -1, filters: { certification: 'osha-30', city: 'chicago' } })
    const withCert = workers.filter((w) => w.city === 'Chicago' && w.certifications.includes('OSHA-30')).map((w) => w.id)
    expect(withCert.length).toBeGreaterThan(0)
    expect(ids(c.body).sort()).toEqual(withCert.sort())
  })

  it('never returns an excluded id', async () => {
    const { svc, indexes } = await setup()
    const first = await search(svc, { query: 'forklift operator', k: 5 })
    const excluded = ids(first.body)
    const r = await search(svc, { query: 'forklift operator', k: 48, min_score: -1, exclude_ids: excluded })
    expect(ids(r.body).filter((id) => excluded.includes(id))).toEqual([])
    expect(r.body.count).toBe(43)
    expect(indexes.searches.at(-1)?.input.excludeIds).toEqual([...excluded].sort())
  })

  it('profile swap: a second page excluding the first has no overlap', async () => {
    const { svc } = await setup()
    const page1 = await search(svc, { query: 'registered nurse triage', k: 4 })
    const page2 = await search(svc, { query: 'registered nurse triage', k: 4, exclude_ids: ids(page1.body) })
    expect(page2.body.count).toBe(4)
    expect(ids(page2.body).filter((id) => ids(page1.body).includes(id))).toEqual([])
  })

  it('merges several corpora by score, ties broken by corpus then id', async () => {
    const { svc, indexes, embedder } = await setup()
    await indexes.create({ name: 'contractors', dim: 256, metric: 'cos', model: embedder.defaultModel })
    // The same text as W-001 under another corpus: identical scores, so the tie-break decides.
    const twin = fixtureWorkers()[0]
    if (twin === undefined) throw new Error('fixture is empty')
    await indexes.add('contractors', [
      { ...workerItem(twin), id: 'C-1' },
      { ...workerItem(twin), id: 'A-0' },
    ])
    embedder.calls.length = 0
    const r = await search(svc, { query: 'electrician industrial wiring', corpora: ['workers', 'contractors'], k: 100, min_score: -1 })
    expect(r.body.count).toBe(50)
    expect(embedder.calls).toEqual([{ model: embedder.defaultModel, texts: 1 }])
    const top = r.body.results.filter((x: { score: number }) => x.score === r.body.results[0].score)
    // W-004 and W-007 happen to carry W-001's exact text too.
    expect(top.map((x: { corpus: string; id: string }) => `${x.corpus}/${x.id}`)).toEqual([
      'contractors/A-0',
      'contractors/C-1',
      'workers/W-001',
      'workers/W-004',
      'workers/W-007',
    ])
    const keys = r.body.results.map((x: { score: number; corpus: string; id: string }) => x)
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1], keys[i]]
      expect(a.score > b.score || (a.score === b.score && `${a.corpus}\u0000${a.id}` < `${b.corpus}\u0000${b.id}`)).toBe(true)
    }
  })

  it('embeds once per distinct model and searches each corpus with its own vector', async () => {
    const { svc, indexes, embedder, workers } = await setup()
    await indexes.create({ name: 'small', dim: 32, metric: 'cos', model: 'fake/words-32' })
    await indexes.add('small', workers.slice(0, 3).map(workerItem))
    embedder.calls.length = 0
    const r = await search(svc, { query: 'electrician', corpora: ['small', 'workers'], k: 3 })
    expect(r.status).toBe(200)
    expect(embedder.calls.map((c) => c.model).sort()).toEqual(['fake/words-256', 'fake/words-32'])
    const byName = Object.fromEntries(indexes.searches.map((s) => [s.name, (s.input.vector as Float32Array).length]))
    expect(byName).toEqual({ small: 32, workers: 256 })
  })

  it('answers 409 MATRIX_CORPUS_INCOMPATIBLE for corpora with different metrics', async () => {
    const { svc, indexes } = await setup()
    await indexes.create({ name: 'ip', dim: 256, metric: 'ip' })
    const r = await search(svc, { query: 'x', corpora: ['workers', 'ip'] })
    expect([r.status, r.body.code]).toEqual([409, 'MATRIX_CORPUS_INCOMPATIBLE'])
  })

  it('answers 404 MATRIX_CORPUS_NOT_FOUND naming the missing corpus', async () => {
    const { svc } = await setup()
    const r = await search(svc, { query: 'x', corpora: ['workers', 'nope'] })
    expect([r.status, r.body.code, r.body.corpus]).toEqual([404, 'MATRIX_CORPUS_NOT_FOUND', 'nope'])
    expect(r.headers.get('content-type')).toBe('application/problem+json')
  })

  it('answers an empty list for an empty corpus without embedding', async () => {
    const embedder = createFakeEmbedder()
    const indexes = await createTestIndexes(embedder)
    await indexes.create({ name: 'workers', dim: 256, metric: 'cos' })
    const svc = await createMatrixService({}, { indexes, embedder })
    embedder.calls.length = 0
    const r = await search(svc, { query: 'anything', use_playbook: true })
    expect([r.status, r.body]).toEqual([200, { query: 'anything', results: [], count: 0 }])
    expect(embedder.calls).toEqual([])
  })

  it.each([
    ['a non-object body', [1], '$', 'type'],
    ['a missing query', { k: 3 }, '$.query', 'required'],
    ['an empty query', { query: '' }, '$.query', 'pattern'],
    ['a whitespace query', { query: ' \n ' }, '$.query', 'pattern'],
    ['a non-string query', { query: 7 }, '$.query', 'type'],
    ['a query over 2000 characters', { query: 'a'.repeat(2001) }, '$.query', 'too_long'],
    ['k = 0', { query: 'q', k: 0 }, '$.k', 'too_small'],
    ['k = 101', { query: 'q', k: 101 }, '$.k', 'too_large'],
    ['a fractional k', { query: 'q', k: 2.5 }, '$.k', 'type'],
    ['a string min_score', { query: 'q', min_score: '0.5' }, '$.min_score', 'type'],
    ['empty corpora', { query: 'q', corpora: [] }, '$.corpora', 'empty'],
    ['a non-string corpus', { query: 'q', corpora: [1] }, '$.corpora[0]', 'type'],
    ['an unknown filter', { query: 'q', filters: { zip: '60601' } }, '$.filters.zip', 'additional_property'],
    ['an empty filter value', { query: 'q', filters: { role: '' } }, '$.filters.role', 'empty'],
    ['filters not an object', { query: 'q', filters: 'welder' }, '$.filters', 'type'],
    [
      'filter, a spelling matrix never took (filters is the one)',
      { query: 'q', filter: { role: 'welder' } },
      '$.filter',
      'additional_property',
    ],
    ['exclude_ids not an array', { query: 'q', exclude_ids: 'W-1' }, '$.exclude_ids', 'type'],
    ['10,001 exclude_ids', { query: 'q', exclude_ids: Array.from({ length: 10_001 }, (_, i) => `W-${i}`) }, '$.exclude_ids', 'too_long'],
    ['a non-boolean use_playbook', { query: 'q', use_playbook: 'yes' }, '$.use_playbook', 'type'],
    ['an unknown member', { query: 'q', top_k: 3 }, '$.top_k', 'additional_property'],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (_label, body, field, reason) => {
    const { svc } = await setup()
    const r = await search(svc, body)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(r.body.errors).toEqual([expect.objectContaining({ field, reason })])
  })

  it('lists every problem of a body at once', async () => {
    const { svc } = await setup()
    const r = await search(svc, { k: 0, min_score: 'x', extra: 1 })
    expect(r.body.errors.map((e: { field: string; reason: string }) => `${e.field}:${e.reason}`).sort()).toEqual([
      '$.extra:additional_property',
      '$.k:too_small',
      '$.min_score:type',
      '$.query:required',
    ])
  })

  it('accepts exactly 10,000 exclude_ids', async () => {
    const { svc } = await setup()
    const r = await search(svc, { query: 'welder', exclude_ids: Array.from({ length: 10_000 }, (_, i) => `X-${i}`) })
    // The vector service takes the whole list too (its own cap), and the welders still come first.
    expect([r.status, r.body.count, r.body.results[0]?.metadata?.role]).toEqual([200, 10, 'welder'])
  })

  it('answers kit problems for the HTTP envelope', async () => {
    const { svc } = await setup()
    const text = await send(
      svc,
      new Request('http://x/v1/matrix/search', { method: 'POST', body: 'q', headers: { 'content-type': 'text/plain' } }),
    )
    expect([text.status, text.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    const bad = await send(svc, jsonRequest('POST', '/v1/matrix/search', '{"query":'))
    expect([bad.status, bad.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
    const get = await send(svc, jsonRequest('GET', '/v1/matrix/search'))
    expect([get.status, get.body.code, get.headers.get('allow')]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED', 'POST'])
    const none = await send(svc, jsonRequest('POST', '/v1/matrix/nope', {}))
    expect([none.status, none.body.code]).toEqual([404, 'HTTP_NOT_FOUND'])
    const big = await createMatrixService(
      { maxBodyBytes: 1024 },
      { indexes: await createTestIndexes(createFakeEmbedder()), embedder: createFakeEmbedder() },
    )
    const tooBig = await search(big, { query: 'q'.repeat(2000) })
    expect([tooBig.status, tooBig.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
  })

  it('passes embedder problems through with their status', async () => {
    const embedder = createFakeEmbedder()
    const indexes = await createTestIndexes(embedder)
    // The vector service embeds a probe when an index is created, so the model is known then;
    // it stops being known afterwards (a provider dropped it), which only a search can meet.
    await indexes.create({ name: 'remote', dim: 8, metric: 'cos', model: 'fake/words-8' })
    await indexes.add('remote', [{ id: 'r', vector: new Float32Array(8).fill(1) }])
    const dropped = {
      ...embedder,
      embed: (texts: readonly string[], model?: string) => embedder.embed(texts, model === 'fake/words-8' ? 'remote/unknown' : model),
    }
    const svc = await createMatrixService({}, { indexes, embedder: dropped })
    const r = await search(svc, { query: 'q', corpora: ['remote'] })
    expect([r.status, r.body.code]).toEqual([400, 'EMBED_UNKNOWN_MODEL'])
  })
})
