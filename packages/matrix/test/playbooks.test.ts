import { describe, expect, it } from 'vitest'
import { createMatrixService } from '../src/index.ts'
import { createFakeEmbedder } from './fakes.ts'
import { ids, record, search, setup } from './helpers.ts'
import { createTestIndexes } from './vector-indexes.ts'

const QUERY = 'forklift operator loading docks'

describe('POST /v1/matrix/playbooks/record', () => {
  it('creates the playbook index at start: cos, the embedder default model and dim', async () => {
    const { indexes, embedder } = await setup()
    expect(indexes.info('playbooks')).toEqual({ name: 'playbooks', dim: 256, metric: 'cos', model: embedder.defaultModel, size: 0 })
  })

  it('refuses to start on a playbook index that is not cos', async () => {
    const embedder = createFakeEmbedder()
    const indexes = await createTestIndexes(embedder)
    await indexes.create({ name: 'pb', dim: 256, metric: 'l2sq' })
    await expect(createMatrixService({ playbookIndex: 'pb' }, { indexes, embedder })).rejects.toMatchObject({
      code: 'MATRIX_PLAYBOOK_INDEX_INVALID',
    })
  })

  it('stores one item per (corpus, query): per-worker counts, records, first and last recorded_at, last note', async () => {
    const { svc, indexes, clock } = await setup()
    const r = await record(svc, {
      query: '  Forklift OPERATOR  ',
      worker_ids: ['W-010', 'W-009', 'W-010'],
      outcome: 'success',
      note: 'filled',
    })
    expect([r.status, r.body]).toEqual([201, { recorded: 1 }])
    clock.advance(60_000)
    await record(svc, { query: 'forklift operator', worker_ids: ['W-009'], outcome: 'failure' })
    expect(indexes.info('playbooks')?.size).toBe(1)
    const [hit] = await indexes.search('playbooks', { text: 'forklift operator', k: 1 })
    expect(hit?.id).toMatch(/^pb-[0-9a-f]{32}$/)
    expect(hit?.metadata).toEqual({
      format: 2,
      query: 'forklift operator',
      corpus: 'workers',
      workers: '{"W-009":{"success":1,"failure":1},"W-010":{"success":1,"failure":0}}',
      records: 2,
      first_recorded_at: '2026-01-01T00:00:00.000Z',
      last_recorded_at: '2026-01-01T00:01:00.000Z',
      note: 'filled',
    })
  })

  it('records a bulk of items in one call with one embedding per distinct query', async () => {
    const { svc, indexes, embedder, clock } = await setup()
    const item = { query: QUERY, worker_ids: ['W-011'], outcome: 'failure' }
    const r = await record(svc, { items: [item, item, { ...item, query: 'welder' }] })
    expect([r.status, r.body]).toEqual([201, { recorded: 3 }])
    expect(embedder.calls).toEqual([{ model: embedder.defaultModel, texts: 2 }])
    // One item per distinct query; a retry and later records of the same queries add counts to them.
    expect(indexes.info('playbooks')?.size).toBe(2)
    await record(svc, { items: [item, item, { ...item, query: 'welder' }] })
    clock.advance(1)
    await record(svc, { items: [item] })
    expect(indexes.info('playbooks')?.size).toBe(2)
    const [hit] = await indexes.search('playbooks', { text: QUERY, k: 1 })
    expect(hit?.metadata).toMatchObject({ records: 5, workers: '{"W-011":{"success":0,"failure":5}}' })
  })

  it.each([
    ['no worker_ids', { query: 'q', outcome: 'success' }, '$.worker_ids', 'required'],
    ['empty worker_ids', { query: 'q', worker_ids: [], outcome: 'success' }, '$.worker_ids', 'empty'],
    [
      '101 worker_ids',
      { query: 'q', worker_ids: Array.from({ length: 101 }, (_, i) => `W-${i}`), outcome: 'success' },
      '$.worker_ids',
      'too_long',
    ],
    ['an unknown outcome', { query: 'q', worker_ids: ['W-1'], outcome: 'maybe' }, '$.outcome', 'enum'],
    ['an empty query', { query: '', worker_ids: ['W-1'], outcome: 'success' }, '$.query', 'pattern'],
    ['a whitespace query', { query: ' ', worker_ids: ['W-1'], outcome: 'success' }, '$.query', 'pattern'],
    ['a missing outcome', { query: 'q', worker_ids: ['W-1'] }, '$.outcome', 'required'],
    ['a non-array worker_ids', { query: 'q', worker_ids: 'W-1', outcome: 'success' }, '$.worker_ids', 'type'],
    ['a non-string note', { query: 'q', worker_ids: ['W-1'], outcome: 'success', note: 3 }, '$.note', 'type'],
    ['an unknown member', { query: 'q', worker_ids: ['W-1'], outcome: 'success', score: 1 }, '$.score', 'additional_property'],
    ['empty items', { items: [] }, '$.items', 'empty'],
    ['items not an array', { items: {} }, '$.items', 'type'],
    [
      'a bad item',
      { items: [{ query: 'q', worker_ids: ['W-1'], outcome: 'success' }, { query: 'q' }] },
      '$.items[1].worker_ids',
      'required',
    ],
    [
      '1001 items',
      { items: Array.from({ length: 1001 }, () => ({ query: 'q', worker_ids: ['W-1'], outcome: 'success' })) },
      '$.items',
      'too_long',
    ],
    [
      'items beside other members',
      { items: [{ query: 'q', worker_ids: ['W-1'], outcome: 'success' }], query: 'q' },
      '$.query',
      'additional_property',
    ],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (_label, body, field, reason) => {
    const { svc, indexes } = await setup()
    const r = await record(svc, body)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(r.body.errors).toContainEqual(expect.objectContaining({ field, reason }))
    expect(indexes.info('playbooks')?.size).toBe(0)
  })

  it('answers 404 for a corpus that is not an index, recording nothing', async () => {
    const { svc, indexes } = await setup()
    const r = await record(svc, { items: [{ query: 'q', worker_ids: ['W-1'], outcome: 'success', corpus: 'nope' }] })
    expect([r.status, r.body.code]).toEqual([404, 'MATRIX_CORPUS_NOT_FOUND'])
    expect(indexes.info('playbooks')?.size).toBe(0)
  })

  it('recreates a dropped playbook index on the next record', async () => {
    const { svc, indexes } = await setup()
    await indexes.drop('playbooks')
    expect((await search(svc, { query: QUERY, use_playbook: true })).status).toBe(200)
    expect((await record(svc, { query: QUERY, worker_ids: ['W-1'], outcome: 'success' })).status).toBe(201)
    expect(indexes.info('playbooks')?.size).toBe(1)
  })

  it('record() takes one item or an array and reports fields accordingly', async () => {
    const { svc } = await setup()
    expect(await svc.record({ query: QUERY, worker_ids: ['W-1'], outcome: 'success' })).toEqual({ recorded: 1 })
    expect(
      await svc.record([
        { query: QUERY, worker_ids: ['W-1'], outcome: 'failure' },
        { query: 'x', worker_ids: ['W-2'], outcome: 'success' },
      ]),
    ).toEqual({
      recorded: 2,
    })
    await expect(svc.record({ query: QUERY, worker_ids: [], outcome: 'success' })).rejects.toMatchObject({
      code: 'HTTP_INVALID_REQUEST',
      errors: [expect.objectContaining({ field: '$.worker_ids', reason: 'empty' })],
    })
    await expect(svc.record([{ query: QUERY, worker_ids: [], outcome: 'success' }])).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: '$[0].worker_ids' })],
    })
  })
})

describe('use_playbook', () => {
  it('lifts a worker who succeeded for a similar query, and says why', async () => {
    const { svc } = await setup()
    const cold = await search(svc, { query: QUERY, k: 10 })
    const all = await search(svc, { query: QUERY, k: 30, min_score: -1 })
    const target = ids(all.body).find((id) => !ids(cold.body).includes(id)) as string
    await record(svc, { query: 'Forklift operator for loading docks', worker_ids: [target], outcome: 'success' })
    await record(svc, { query: 'forklift operator loading docks', worker_ids: [target], outcome: 'success' })
    const warm = await search(svc, { query: QUERY, k: 10, use_playbook: true })
    const rank = ids(warm.body).indexOf(target)
    expect(rank).toBeGreaterThanOrEqual(0)
    const result = warm.body.results[rank]
    const base = all.body.results.find((r: { id: string }) => r.id === target).score
    expect(result.playbook.boost).toBeGreaterThan(0)
    expect(result.score).toBeCloseTo(base + result.playbook.boost, 6)
    expect(result.playbook.matched[0]).toEqual({ query: 'forklift operator loading docks', similarity: 1, outcome: 'success' })
    expect(result.playbook.matched).toHaveLength(2)
    // Without use_playbook nothing changes and nothing is marked.
    const plain = await search(svc, { query: QUERY, k: 10 })
    expect(plain.text).toBe(cold.text)
  })

  it('keeps a successful worker out when excluded or filtered out', async () => {
    const { svc, workers } = await setup()
    const chicago = workers.find((w) => w.role === 'forklift operator' && w.city === 'Chicago')
    if (chicago === undefined) throw new Error('fixture lacks a Chicago forklift operator')
    await record(svc, { query: QUERY, worker_ids: [chicago.id], outcome: 'success' })
    const excluded = await search(svc, { query: QUERY, k: 48, min_score: -1, use_playbook: true, exclude_ids: [chicago.id] })
    expect(ids(excluded.body)).not.toContain(chicago.id)
    const filtered = await search(svc, { query: QUERY, k: 48, min_score: -1, use_playbook: true, filters: { city: 'Dallas' } })
    expect(ids(filtered.body)).not.toContain(chicago.id)
    const boosted = await search(svc, { query: QUERY, k: 48, min_score: -1, use_playbook: true })
    expect(boosted.body.results.find((r: { id: string }) => r.id === chicago.id)).toMatchObject({ playbook: { boost: 0.1 } })
  })

  it('lowers a worker after a failure and ignores dissimilar queries', async () => {
    const { svc } = await setup()
    const cold = await search(svc, { query: QUERY, k: 5 })
    const top = ids(cold.body)[0] as string
    await record(svc, { query: QUERY, worker_ids: [top], outcome: 'failure' })
    await record(svc, { query: 'registered nurse charting', worker_ids: [top], outcome: 'success' })
    const warm = await search(svc, { query: QUERY, k: 5, use_playbook: true })
    const result = warm.body.results.find((r: { id: string }) => r.id === top)
    expect(result.playbook).toEqual({ boost: -0.05, matched: [{ query: QUERY, similarity: 1, outcome: 'failure' }] })
    expect(result.score).toBeCloseTo(cold.body.results[0].score - 0.05, 6)
  })

  it('applies records only to results of the corpus they were recorded for', async () => {
    const { svc, indexes, workers } = await setup()
    const w = workers.find((x) => x.role === 'welder') as { id: string }
    await indexes.create({ name: 'other', dim: 256, metric: 'cos' })
    await indexes.add('other', [{ id: w.id, text: 'welder', metadata: {} }])
    await record(svc, { query: 'welder', worker_ids: [w.id], outcome: 'success', corpus: 'other' })
    const r = await search(svc, { query: 'welder', corpora: ['workers', 'other'], k: 48, use_playbook: true })
    const marked = r.body.results.filter((x: { playbook?: unknown }) => x.playbook !== undefined)
    expect(marked.map((x: { corpus: string; id: string }) => `${x.corpus}/${x.id}`)).toEqual([`other/${w.id}`])
  })

  it('asks each corpus for k × 3 candidates and the playbook index for playbookK records', async () => {
    const { svc, indexes } = await setup()
    await record(svc, { query: QUERY, worker_ids: ['W-1'], outcome: 'success' })
    indexes.searches.length = 0
    await search(svc, { query: QUERY, k: 7, use_playbook: true })
    expect(indexes.searches.map((s) => [s.name, s.input.k, s.input.filter])).toEqual([
      ['playbooks', 20, { corpus: 'workers', format: 2 }],
      ['workers', 21, undefined],
    ])
  })
})
