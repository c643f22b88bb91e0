import { describe, expect, it } from 'vitest'
import { vectorDefaults } from '../src/index.ts'
import { bruteForce, prng, type RefItem, randomVector, refPrepare, service } from './helpers.ts'

const N = 10_000
const DIM = 64
const QUERIES = 200
const K = 10
const { connectivity, expansionAdd, expansionSearch, quantization } = vectorDefaults

describe('recall with the default HNSW parameters', () => {
  it.each(['cos', 'l2sq'] as const)(
    `recall@${K} ≥ 0.95 against exact search on ${N} random ${DIM}-dim vectors (%s; connectivity ${connectivity}, expansionAdd ${expansionAdd}, expansionSearch ${expansionSearch}, ${quantization} graph)`,
    async (metric) => {
      const svc = await service()
      await svc.create({ name: 'recall', dim: DIM, metric })
      const rand = prng(2024)
      const ref: RefItem[] = []
      for (let start = 0; start < N; start += 1000) {
        const items = Array.from({ length: 1000 }, (_, i) => ({ id: `v${start + i}`, vector: randomVector(rand, DIM) }))
        await svc.add('recall', items)
        for (const it of items) ref.push({ id: it.id, vector: refPrepare(it.vector, metric), metadata: {} })
      }
      let found = 0
      for (let q = 0; q < QUERIES; q++) {
        const query = randomVector(rand, DIM)
        const want = new Set(bruteForce(ref, metric, query, K).map((w) => w.id))
        for (const hit of await svc.search('recall', { vector: query, k: K })) if (want.has(hit.id)) found++
      }
      const recall = found / (QUERIES * K)
      console.log(`recall@${K} ${metric} ${N}×${DIM}: ${recall.toFixed(4)}`)
      expect(recall).toBeGreaterThanOrEqual(0.95)
    },
    120_000,
  )
})
