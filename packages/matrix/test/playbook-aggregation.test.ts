import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbedService, type Embedder } from '@lakehouse/embed'
import { createVectorService, type ItemInput, type VectorIndexes } from '@lakehouse/vector'
import { describe, expect, it } from 'vitest'
import { resultKey } from '../src/boost.ts'
import { createMatrixService, type MatrixConfig, type MatrixService, type PlaybookOutcome } from '../src/index.ts'
import { createFakeEmbedder } from './fakes.ts'
import { type Clock, createClock, fixtureWorkers, type Json, record, search, workerItem } from './helpers.ts'
import { type RecordEvidence, referenceBoosts } from './reference-boost.ts'
import { createTestIndexes } from './vector-indexes.ts'

const QUERY = 'forklift operator loading docks'
const ALL = { k: 48, min_score: -1, use_playbook: true } // every fixture worker is a candidate

interface Bench {
  readonly svc: MatrixService
  readonly indexes: VectorIndexes
  readonly embedder: Embedder
  readonly clock: Clock
  close(): Promise<void>
}

type Seed = (indexes: VectorIndexes, embedder: Embedder) => Promise<void>

/** The fake embedder with the real vector service (exact search), and the real embed and vector services with every search through the HNSW graph. */
const BACKENDS: readonly { name: string; open(config?: Partial<MatrixConfig>, seed?: Seed): Promise<Bench> }[] = [
  {
    name: 'fake embedder',
    async open(config, seed) {
      const embedder = createFakeEmbedder()
      const indexes = await createTestIndexes(embedder)
      await indexes.create({ name: 'workers', dim: 256, metric: 'cos', model: embedder.defaultModel })
      await indexes.add('workers', fixtureWorkers().map(workerItem))
      await seed?.(indexes, embedder)
      const clock = createClock()
      const svc = await createMatrixService(config, { indexes, embedder, now: clock.now })
      return { svc, indexes, embedder, clock, close: () => svc.close() }
    },
  },
  {
    name: 'real services',
    async open(config, seed) {
      const dir = await mkdtemp(join(tmpdir(), 'matrix-pb-'))
      const embedder = createEmbedService({}, {})
      const vector = await createVectorService({ exactBelow: 0 }, { dir, embedder })
      await vector.create({ name: 'workers', dim: 384, metric: 'cos', model: embedder.defaultModel })
      await vector.add('workers', fixtureWorkers().map(workerItem))
      await seed?.(vector, embedder)
      const clock = createClock()
      const svc = await createMatrixService(config, { indexes: vector, embedder, now: clock.now })
      return {
        svc,
        indexes: vector,
        embedder,
        clock,
        async close() {
          await svc.close()
          await vector.close()
          await embedder.close()
          await rm(dir, { recursive: true, force: true })
        },
      }
    },
  },
]

async function using<T>(bench: Bench, fn: (b: Bench) => Promise<T>): Promise<T> {
  try {
    return await fn(bench)
  } finally {
    await bench.close()
  }
}

const boostOf = (body: Json, id: string): number | undefined =>
  body.results.find((r: { id: string; playbook?: { boost: number } }) => r.id === id)?.playbook?.boost

async function vectorOf(embedder: Embedder, query: string): Promise<Float32Array> {
  return (await embedder.embed([query])).vectors[0] as Float32Array
}

/** The stored items of the playbook index that aggregate `query`, as metadata. */
async function storedFor(b: Bench, query: string): Promise<Json[]> {
  const hits = await b.indexes.search('playbooks', { vector: await vectorOf(b.embedder, query), k: 10, filter: { format: 2, query } })
  return hits.map((h) => h.metadata)
}

/** Items as the one-item-per-record store wrote them. */
async function oldRecords(embedder: Embedder, records: readonly [query: string, workerIds: string[], outcome: PlaybookOutcome][]) {
  const dims = await embedder.embed(
    records.map(([q]) => q),
    embedder.defaultModel,
  )
  return records.map(
    ([query, workerIds, outcome], i): ItemInput => ({
      id: `pb-old-${String(i).padStart(3, '0')}`,
      vector: dims.vectors[i] as Float32Array,
      metadata: {
        query,
        worker_ids: workerIds,
        outcome,
        corpus: 'workers',
        recorded_at: `2025-12-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
      },
    }),
  )
}

async function seedOldRecords(indexes: VectorIndexes, embedder: Embedder, records: Parameters<typeof oldRecords>[1]): Promise<void> {
  const probe = await embedder.embed(['playbook'], embedder.defaultModel)
  await indexes.create({ name: 'playbooks', dim: probe.dim, metric: 'cos', model: probe.model })
  await indexes.add('playbooks', await oldRecords(embedder, records))
}

/**
 * The load mix's `playbook_record_replay`: after 60 records of one query, record one success for
 * a worker (while others keep recording the same query) and search again with use_playbook;
 * that worker must be boosted. Before aggregation each record was its own item, the search read
 * the 20 nearest, and which 20 of the 60+ ties at similarity 1.0 came back was arbitrary.
 */
describe.each(BACKENDS)(
  'regression: a success recorded after more than playbookK records of the same query is not boosted ($name)',
  (backend) => {
    it('boosts the worker just recorded however many records of that query exist', async () => {
      await using(await backend.open(), async ({ svc, clock }) => {
        const ids = fixtureWorkers().map((w) => w.id)
        const others = ids.slice(0, 3)
        const advance = () => clock.advance(1000)
        for (let i = 0; i < 60; i++) {
          advance()
          expect((await record(svc, { query: QUERY, worker_ids: [others[i % others.length]], outcome: 'success' })).status).toBe(201)
        }
        for (const target of ids.slice(3, 11)) {
          advance()
          expect((await record(svc, { query: QUERY, worker_ids: [target], outcome: 'success' })).status).toBe(201)
          for (let i = 0; i < 5; i++) {
            advance()
            await record(svc, { query: QUERY, worker_ids: [others[i % others.length]], outcome: 'success' })
          }
          const warm = await search(svc, { query: QUERY, ...ALL })
          expect(boostOf(warm.body, target), target).toBeCloseTo(0.1, 6)
        }
        const warm = await search(svc, { query: QUERY, ...ALL })
        // 100 records among three workers: each far past the cap.
        for (const id of others) expect(boostOf(warm.body, id)).toBe(0.25)
      })
    })
  },
)

describe.each(BACKENDS)('aggregated playbook records ($name)', (backend) => {
  it('loses no count when 50 records of one query run concurrently', async () => {
    const config = { playbookWeight: 0.01, playbookFailureWeight: 0.004, maxBoost: 10 }
    await using(await backend.open(config), async (b) => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          b.svc.record({ query: QUERY, worker_ids: [i % 2 === 0 ? 'W-010' : 'W-009'], outcome: i % 5 === 0 ? 'failure' : 'success' }),
        ),
      )
      expect(results.every((r) => r.recorded === 1)).toBe(true)
      expect(b.indexes.info('playbooks')?.size).toBe(1)
      const [stored] = await storedFor(b, QUERY)
      expect(stored).toMatchObject({ records: 50, workers: '{"W-009":{"success":20,"failure":5},"W-010":{"success":20,"failure":5}}' })
      // 20 × 0.01 − 5 × 0.004 each.
      const warm = await search(b.svc, { query: QUERY, ...ALL })
      expect(boostOf(warm.body, 'W-009')).toBe(0.18)
      expect(boostOf(warm.body, 'W-010')).toBe(0.18)
    })
  })

  it('folds a bulk with repeated queries into one item per query, also when bulks sharing queries run concurrently', async () => {
    const config = { playbookWeight: 0.01, playbookFailureWeight: 0.01, maxBoost: 10 }
    await using(await backend.open(config), async (b) => {
      const a = (worker: string, outcome: PlaybookOutcome = 'success') => ({ query: QUERY, worker_ids: [worker], outcome })
      const other = { query: 'welder tig welding', worker_ids: ['W-025'], outcome: 'success' as const }
      const r = await record(b.svc, {
        items: [a('W-009'), { ...a('W-009'), query: '  Forklift OPERATOR loading   docks ' }, a('W-010', 'failure'), other, a('W-011')],
      })
      expect([r.status, r.body]).toEqual([201, { recorded: 5 }])
      expect(b.indexes.info('playbooks')?.size).toBe(2)
      expect(await storedFor(b, QUERY)).toEqual([
        expect.objectContaining({
          records: 4,
          workers: '{"W-009":{"success":2,"failure":0},"W-010":{"success":0,"failure":1},"W-011":{"success":1,"failure":0}}',
        }),
      ])
      // Bulks naming both queries in either order: locks are taken in one order, so none waits on another forever.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => b.svc.record(i % 2 === 0 ? [a('W-011'), other] : [other, a('W-011'), a('W-011')])),
      )
      expect(await storedFor(b, QUERY)).toEqual([expect.objectContaining({ records: 34 })])
      expect(await storedFor(b, 'welder tig welding')).toEqual([
        expect.objectContaining({ records: 21, workers: '{"W-025":{"success":21,"failure":0}}' }),
      ])
      const warm = await search(b.svc, { query: QUERY, ...ALL })
      // 1 + 10 + 2 × 10 successes.
      expect(boostOf(warm.body, 'W-011')).toBe(0.31)
    })
  })

  it('gives the boost the one-item-per-record store gave for a handful of records', async () => {
    const records: [string, string[], PlaybookOutcome][] = [
      [QUERY, ['W-009'], 'success'],
      [QUERY, ['W-009', 'W-010'], 'success'],
      [QUERY, ['W-010'], 'failure'],
      ['forklift operator docks', ['W-011', 'W-009'], 'success'],
      ['forklift operator docks', ['W-011'], 'failure'],
      ['forklift operator', ['W-012'], 'success'],
      ['loading docks forklift', ['W-012', 'W-013'], 'failure'],
      [QUERY, ['W-009'], 'success'],
    ]
    await using(await backend.open({ maxBoost: 10 }), async (b) => {
      for (const [query, workerIds, outcome] of records) {
        b.clock.advance(1000)
        await b.svc.record({ query, worker_ids: workerIds, outcome })
      }
      const warm = await search(b.svc, { query: QUERY, ...ALL })
      // The similarity of each stored query to the search, as the index scores it.
      const hits = await b.indexes.search('playbooks', { vector: await vectorOf(b.embedder, QUERY), k: 10 })
      const similarity = new Map(hits.map((h) => [h.metadata.query, h.score]))
      const reference = referenceBoosts(
        records.map(
          ([query, workerIds, outcome]): RecordEvidence => ({
            query,
            workerIds,
            outcome,
            corpus: 'workers',
            similarity: similarity.get(query) ?? 0,
          }),
        ),
        { minSimilarity: 0.5, weight: 0.1, failureWeight: 0.05, maxBoost: 10 },
      )
      expect(reference.size).toBeGreaterThanOrEqual(4)
      const marked = warm.body.results.filter((r: Json) => r.playbook !== undefined)
      expect(marked.map((r: Json) => r.id).sort()).toEqual([...reference.keys()].map((k) => k.split('\u0000')[1]).sort())
      for (const r of marked) expect(r.playbook, r.id).toEqual(reference.get(resultKey('workers', r.id)))
    })
  })

  it('still boosts from items written before aggregation, and adds new records to them', async () => {
    const seed: Seed = (indexes, embedder) =>
      seedOldRecords(indexes, embedder, [
        [QUERY, ['W-009'], 'success'],
        [QUERY, ['W-009'], 'success'],
        [QUERY, ['W-010'], 'failure'],
        ['forklift operator docks', ['W-011'], 'success'],
      ])
    await using(await backend.open({}, seed), async (b) => {
      const before = await search(b.svc, { query: QUERY, ...ALL })
      expect(boostOf(before.body, 'W-009')).toBe(0.2)
      expect(boostOf(before.body, 'W-010')).toBe(-0.05)
      expect(boostOf(before.body, 'W-011')).toBeGreaterThan(0.05)
      await b.svc.record({ query: QUERY, worker_ids: ['W-010', 'W-009'], outcome: 'success' })
      expect(b.indexes.info('playbooks')?.size).toBe(5)
      const after = await search(b.svc, { query: QUERY, ...ALL })
      expect(boostOf(after.body, 'W-009')).toBe(0.25)
      const w10 = after.body.results.find((r: Json) => r.id === 'W-010')
      expect(w10.playbook).toEqual({
        boost: 0.05,
        matched: [
          { query: QUERY, similarity: 1, outcome: 'failure' },
          { query: QUERY, similarity: 1, outcome: 'success' },
        ],
      })
    })
  })

  it('boosts a new record even when more than playbookK old items of its query exist', async () => {
    const seed: Seed = (indexes, embedder) =>
      seedOldRecords(
        indexes,
        embedder,
        Array.from({ length: 40 }, () => [QUERY, ['W-009'], 'success'] as [string, string[], PlaybookOutcome]),
      )
    await using(await backend.open({}, seed), async (b) => {
      await b.svc.record({ query: QUERY, worker_ids: ['W-020'], outcome: 'success' })
      const warm = await search(b.svc, { query: QUERY, ...ALL })
      expect(boostOf(warm.body, 'W-020')).toBe(0.1)
      expect(boostOf(warm.body, 'W-009')).toBe(0.25)
    })
  })
})
