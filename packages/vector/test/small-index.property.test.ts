import { describe, expect, it } from 'vitest'
import type { Metric, VectorConfig } from '../src/index.ts'
import { bruteForce, prng, type RefItem, refPrepare, service } from './helpers.ts'

/**
 * Regression guard for the Go port's crash: coder/hnsw v0.6.1 nil-dereferenced in
 * layerNode.search under sustained writes to a small index (0–64 items), in both Add and
 * Search. Here thousands of seeded adds, replacements, deletes, drops and searches are
 * interleaved on indexes that stay between 0 and 64 items; nothing may throw and every search
 * must equal brute force over a model of the index. The second variant sends every search
 * through the HNSW graph (exactBelow 0), the path the Go port crashed on, with deletes leaving
 * dead nodes and compactions rebuilding the graph in between. The graph is approximate even at
 * this size (duplicate vectors and dead nodes make some items hard to reach), so there every
 * hit must be valid — live, not excluded, passing the filter, exactly scored, in (score, id)
 * order, as many as brute force finds — and the hits must recover at least 95% of brute
 * force's top-k scores over the whole run.
 */

const OPS_PER_SEED = 1500
const SEEDS = [1, 2, 3, 4]
const DIM = 4
const ID_POOL = 80

function variants(): [string, Partial<VectorConfig>, boolean][] {
  return [
    ['default (exact brute force up to 64 items)', {}, true],
    ['graph always (exactBelow 0)', { exactBelow: 0 }, false],
  ]
}

describe.each(variants())('small indexes under interleaved add/delete/search: %s', (_label, config, exact) => {
  it.each(SEEDS)(`seed %i: ${OPS_PER_SEED} ops never throw and always match brute force`, async (seed) => {
    const rand = prng(seed * 7919)
    const metric = (['cos', 'ip', 'l2sq'] as const)[seed % 3] as Metric
    const svc = await service({ ...config, addChunk: 3 })
    const model = new Map<string, RefItem>()
    await svc.create({ name: 'small', dim: DIM, metric })
    // A few shared vectors make exact ties common, so the id tie-break is exercised too.
    const shared = [
      [1, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5],
      [0, 0, 0, 0],
    ]
    const vector = () =>
      rand() < 0.2
        ? (shared[Math.floor(rand() * shared.length)] as number[])
        : Array.from({ length: DIM }, () => Math.round((rand() * 2 - 1) * 100) / 100)
    const id = () => `id-${Math.floor(rand() * ID_POOL)}`
    const counts = { add: 0, delete: 0, search: 0, drop: 0 }
    const recall = { found: 0, wanted: 0 }

    for (let op = 0; op < OPS_PER_SEED; op++) {
      const r = rand()
      if (r < 0.01) {
        counts.drop++
        await svc.drop('small')
        await svc.create({ name: 'small', dim: DIM, metric })
        model.clear()
      } else if (r < 0.4 && model.size <= 59) {
        counts.add++
        // At most 5 new ids on top of at most 59 keeps the index within 64 items.
        const batch = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => ({
          id: id(),
          vector: vector(),
          metadata: { g: rand() < 0.5 ? 'a' : 'b' },
        }))
        await svc.add('small', batch)
        for (const it of batch) model.set(it.id, { id: it.id, vector: refPrepare(it.vector, metric), metadata: it.metadata })
      } else if (r < 0.6) {
        counts.delete++
        const target = id()
        expect(await svc.deleteItem('small', target)).toBe(model.delete(target))
      } else {
        counts.search++
        const q = vector()
        const k = 1 + Math.floor(rand() * 70)
        const exclude = rand() < 0.5 ? Array.from({ length: Math.floor(rand() * 10) }, id) : []
        const filter = rand() < 0.3 ? { g: rand() < 0.5 ? 'A' : 'b' } : undefined
        const hits = await svc.search('small', { vector: q, k, excludeIds: exclude, ...(filter === undefined ? {} : { filter }) })
        const want = bruteForce(
          model.values(),
          metric,
          q,
          k,
          new Set(exclude),
          (it) => filter === undefined || it.metadata.g === filter.g.toLowerCase(),
        )
        if (exact)
          expect(
            hits.map((h) => [h.id, h.score]),
            `op ${op}`,
          ).toEqual(want.map((w) => [w.id, w.score]))
        else {
          expect(hits.length, `op ${op}`).toBe(want.length)
          const wanted = want.map((w) => w.score)
          for (const h of hits) {
            const at = wanted.indexOf(h.score)
            if (at >= 0) wanted.splice(at, 1)
          }
          recall.found += want.length - wanted.length
          recall.wanted += want.length
          for (const [i, h] of hits.entries()) {
            const item = model.get(h.id)
            expect(item, `op ${op}: ${h.id} is not in the index`).toBeDefined()
            expect(h.score).toBe(bruteForce([item as RefItem], metric, q, 1)[0]?.score)
            expect(exclude).not.toContain(h.id)
            if (filter !== undefined) expect(item?.metadata.g).toBe(filter.g.toLowerCase())
            const next = hits[i + 1]
            if (next !== undefined && next.score === h.score) expect(h.id < next.id).toBe(true)
          }
        }
      }
      expect(svc.info('small')?.size).toBe(model.size)
    }
    if (!exact) expect(recall.found / recall.wanted).toBeGreaterThanOrEqual(0.95)
    expect(counts.search).toBeGreaterThan(OPS_PER_SEED / 4)
    expect(counts.add).toBeGreaterThan(OPS_PER_SEED / 10)
  })
})
