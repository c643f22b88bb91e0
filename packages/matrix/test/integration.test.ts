import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @lakehouse/corpus is not linked into this package's node_modules (no install was run for it),
// so the tests import its source by path. Tests only; src never depends on it.
import { generateWorkerRows, type WorkerRow } from '@lakehouse/corpus'
import { createEmbedService, type EmbedService } from '@lakehouse/embed'
import { createVectorService, type ItemInput, type VectorService } from '@lakehouse/vector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMatrixService, type MatrixService } from '../src/index.ts'
import { type Json, record, search } from './helpers.ts'

/**
 * Quality checks with the real embed (`local/lexical-384`) and vector (usearch HNSW) services over
 * a generated corpus of 3,000 workers. Numbers quoted in docs/matrix.md come from these queries.
 */

const ROWS = 3000
const ELECTRICIAN = 'electrician with industrial wiring'
const FORKLIFT = 'forklift driver OSHA-30'
const ABSENT = 'dental hygienist'
const WAREHOUSE_ROLES = ['forklift operator', 'warehouse associate']

function workerItem(w: WorkerRow): ItemInput {
  return {
    id: w.worker_id,
    text: [w.role, ...w.skills, ...w.certifications, w.resume_text].join('\n'),
    metadata: {
      role: w.role,
      city: w.city,
      state: w.state,
      certifications: [...w.certifications],
      reliability_score: w.reliability_score,
      years_experience: w.years_experience,
    },
  }
}

const roles = (body: Json): string[] => body.results.map((r: Json) => r.metadata.role)
const idsOf = (body: Json): string[] => body.results.map((r: Json) => r.id)

describe('matrix over the real embed and vector services', () => {
  let dir: string
  let embedder: EmbedService
  let vector: VectorService
  let svc: MatrixService
  let rows: WorkerRow[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'matrix-it-'))
    embedder = createEmbedService({}, {})
    vector = await createVectorService({}, { dir, embedder })
    rows = [...generateWorkerRows({ rows: ROWS, seed: 'matrix' })]
    await vector.create({ name: 'workers', dim: 384, metric: 'cos', model: embedder.defaultModel })
    for (let i = 0; i < rows.length; i += 500) await vector.add('workers', rows.slice(i, i + 500).map(workerItem))
    svc = await createMatrixService({}, { indexes: vector, embedder })
  }, 120_000)

  afterAll(async () => {
    await svc?.close()
    await vector?.close()
    await embedder?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('creates the playbook index with the embedder default model', () => {
    expect(vector.info('playbooks')).toMatchObject({ dim: 384, metric: 'cos', model: 'local/lexical-384', size: 0 })
    expect(vector.info('workers')?.size).toBe(ROWS)
  })

  it('ranks electricians first for "electrician with industrial wiring"', async () => {
    const r = await search(svc, { query: ELECTRICIAN, k: 10 })
    expect(r.body.count).toBe(10)
    expect(roles(r.body).filter((role) => role.includes('electrician')).length).toBeGreaterThanOrEqual(8)
    expect(roles(r.body)[0]).toContain('electrician')
  })

  it('returns warehouse roles for "forklift driver OSHA-30"', async () => {
    const r = await search(svc, { query: FORKLIFT, k: 10 })
    expect(WAREHOUSE_ROLES).toContain(roles(r.body)[0])
    expect(roles(r.body).filter((role) => WAREHOUSE_ROLES.includes(role)).length).toBeGreaterThanOrEqual(8)
  })

  it('scores an absent role clearly below real matches (margin ≥ 0.2)', async () => {
    const absent = await search(svc, { query: ABSENT, k: 10 })
    const electrician = await search(svc, { query: ELECTRICIAN, k: 1 })
    const forklift = await search(svc, { query: FORKLIFT, k: 1 })
    const realTop = Math.min(electrician.body.results[0].score, forklift.body.results[0].score)
    const absentTop = absent.body.results[0]?.score ?? 0
    expect(realTop - absentTop).toBeGreaterThanOrEqual(0.2)
    expect(roles(absent.body)).not.toContain(ABSENT)
    // A floor between the two bands empties the absent query and keeps the real one.
    const floor = (realTop + absentTop) / 2
    expect((await search(svc, { query: ABSENT, min_score: floor })).body.count).toBe(0)
    expect((await search(svc, { query: FORKLIFT, min_score: floor })).body.count).toBeGreaterThan(0)
  })

  it('never returns an excluded id', async () => {
    const first = await search(svc, { query: ELECTRICIAN, k: 50 })
    const excluded = idsOf(first.body)
    const r = await search(svc, { query: ELECTRICIAN, k: 100, exclude_ids: excluded })
    expect(r.body.count).toBe(100)
    expect(idsOf(r.body).filter((id) => excluded.includes(id))).toEqual([])
    const filtered = await search(svc, { query: ELECTRICIAN, k: 100, exclude_ids: excluded, filters: { role: 'industrial electrician' } })
    expect(idsOf(filtered.body).filter((id) => excluded.includes(id))).toEqual([])
  })

  it('profile swap: the second page has no overlap with the first and ranks below it', async () => {
    const page1 = await search(svc, { query: FORKLIFT, k: 10 })
    const page2 = await search(svc, { query: FORKLIFT, k: 10, exclude_ids: idsOf(page1.body) })
    expect(page2.body.count).toBe(10)
    expect(idsOf(page2.body).filter((id) => idsOf(page1.body).includes(id))).toEqual([])
    expect(page2.body.results[0].score).toBeLessThanOrEqual(page1.body.results[9].score)
  })

  it('applies structured filters against the stored metadata', async () => {
    const r = await search(svc, { query: 'warehouse work', k: 25, filters: { certification: 'osha-30', state: 'il' } })
    expect(r.body.count).toBeGreaterThan(0)
    for (const res of r.body.results) {
      expect(res.metadata.state).toBe('IL')
      expect(res.metadata.certifications).toContain('OSHA-30')
    }
    const welders = await search(svc, { query: 'tig welding', k: 10, filters: { role: 'WELDER' } })
    expect(new Set(roles(welders.body))).toEqual(new Set(['welder']))
  })

  it('serves repeats from the cache byte-identically until the corpus grows', async () => {
    const body = { query: 'CDL truck driver hazmat', k: 10 }
    const a = await search(svc, body)
    const b = await search(svc, body)
    expect([a.headers.get('x-cache'), b.headers.get('x-cache'), b.text === a.text]).toEqual(['miss', 'hit', true])
    const w = rows[0] as WorkerRow
    await vector.add('workers', [{ ...workerItem(w), id: 'W-EXTRA' }])
    const c = await search(svc, body)
    expect(c.headers.get('x-cache')).toBe('miss')
    await vector.deleteItem('workers', 'W-EXTRA')
  })

  it('a successful playbook record lifts its worker for a similar query, and the boost survives a restart', async () => {
    const cold = await search(svc, { query: FORKLIFT, k: 30 })
    const target = cold.body.results[20]
    expect(target).toBeDefined()
    // Recorded under a paraphrase (similarity ≈ 0.67 with the lexical model), not the query itself.
    const rec = await record(svc, { query: 'forklift operator OSHA-30', worker_ids: [target.id], outcome: 'success' })
    expect([rec.status, rec.body]).toEqual([201, { recorded: 1 }])
    const warm = await search(svc, { query: FORKLIFT, k: 10, use_playbook: true })
    const rank = idsOf(warm.body).indexOf(target.id)
    expect(rank).toBeGreaterThanOrEqual(0)
    const lifted = warm.body.results[rank]
    expect(lifted.playbook.boost).toBeGreaterThan(0)
    expect(lifted.playbook.matched[0]).toMatchObject({ query: 'forklift operator osha-30', outcome: 'success' })
    expect(lifted.playbook.matched[0].similarity).toBeGreaterThanOrEqual(0.5)
    expect(lifted.score).toBeCloseTo(target.score + lifted.playbook.boost, 5)

    // Restart: close both services, reopen the vector service on the same directory.
    await svc.close()
    await vector.close()
    vector = await createVectorService({}, { dir, embedder })
    svc = await createMatrixService({}, { indexes: vector, embedder })
    expect(vector.info('playbooks')?.size).toBe(1)
    const again = await search(svc, { query: FORKLIFT, k: 10, use_playbook: true })
    expect(again.text).toBe(warm.text)
  }, 60_000)

  it('interleaved records and playbook searches on the small playbook index never fail', async () => {
    // The Go port's HNSW library crashed exactly here: a small index under concurrent add + search.
    const replies = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        i % 2 === 0
          ? record(svc, {
              query: `forklift operator shift ${i}`,
              worker_ids: [(rows[i] as WorkerRow).worker_id],
              outcome: i % 4 === 0 ? 'success' : 'failure',
            })
          : search(svc, { query: `${FORKLIFT} shift ${i}`, k: 5, use_playbook: true }),
      ),
    )
    expect(replies.filter((r) => r.status !== 200 && r.status !== 201).map((r) => r.body)).toEqual([])
    expect(vector.info('playbooks')?.size).toBe(41)
  })
})
