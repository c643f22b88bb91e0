import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { vectorDefaults } from '../src/config.ts'
import type { Metric, VectorService } from '../src/index.ts'
import { searchIndex } from '../src/index-search.ts'
import { createIndexState, insertItems } from '../src/index-state.ts'
import { compileFilter } from '../src/metadata-filter.ts'
import { prepare } from '../src/vector-math.ts'
import { bruteForce, prng, type RefItem, randomVector, refPrepare, service } from './helpers.ts'

const CITIES = ['Austin', 'Boston', 'Chicago', 'Denver']

/** `n` random items with metadata; city cycles, `rare` marks 1 in 200, tags hold two certifications. */
async function populate(svc: VectorService, name: string, metric: Metric, n: number, dim: number, seed = 1): Promise<RefItem[]> {
  await svc.create({ name, dim, metric })
  const rand = prng(seed)
  const ref: RefItem[] = []
  for (let start = 0; start < n; start += 500) {
    const items = Array.from({ length: Math.min(500, n - start) }, (_, j) => {
      const i = start + j
      const metadata = { city: CITIES[i % 4] as string, rare: i % 200 === 7, rank: i % 10, tags: [`cert-${i % 3}`, `cert-${(i + 1) % 3}`] }
      return { id: `w-${String(i).padStart(5, '0')}`, vector: randomVector(rand, dim), metadata }
    })
    await svc.add(name, items)
    for (const it of items) ref.push({ id: it.id, vector: refPrepare(it.vector, metric), metadata: it.metadata })
  }
  return ref
}

describe('scores', () => {
  it('scores cos as cosine similarity, ip as inner product and l2sq as minus the squared distance', async () => {
    const svc = await service()
    for (const metric of ['cos', 'ip', 'l2sq'] as const) {
      await svc.create({ name: metric, dim: 2, metric })
      await svc.add(metric, [
        { id: 'a', vector: [3, 4] },
        { id: 'b', vector: [1, 0] },
      ])
    }
    const score = async (metric: Metric) =>
      Object.fromEntries((await svc.search(metric, { vector: [1, 0], k: 2 })).map((h) => [h.id, h.score]))
    const cos = await score('cos')
    expect(cos.b).toBe(1)
    expect(cos.a).toBeCloseTo(0.6, 6)
    expect(await score('ip')).toEqual({ a: 3, b: 1 })
    expect(await score('l2sq')).toEqual({ a: -20, b: 0 })
  })

  it('orders equal scores by id ascending (code-unit order)', async () => {
    const svc = await service()
    await svc.create({ name: 'ties', dim: 2, metric: 'ip' })
    const ids = ['b', 'B', 'a', 'aa', 'Z', '10', '9']
    await svc.add(
      'ties',
      ids.map((id) => ({ id, vector: [1, 1] })),
    )
    expect((await svc.search('ties', { vector: [1, 1], k: 10 })).map((h) => h.id)).toEqual(['10', '9', 'B', 'Z', 'a', 'aa', 'b'])
  })

  it('scores a zero vector 0 under cos instead of failing', async () => {
    const svc = await service()
    await svc.create({ name: 'z', dim: 3, metric: 'cos' })
    await svc.add('z', [
      { id: 'zero', vector: [0, 0, 0] },
      { id: 'x', vector: [1, 0, 0] },
    ])
    expect(await svc.search('z', { vector: [0, 0, 0], k: 2 })).toEqual([
      { id: 'x', score: 0, metadata: {} },
      { id: 'zero', score: 0, metadata: {} },
    ])
  })

  it('answers an empty index with no hits and k beyond the size with every item', async () => {
    const svc = await service()
    await svc.create({ name: 'e', dim: 2, metric: 'l2sq' })
    expect(await svc.search('e', { vector: [1, 2], k: 5 })).toEqual([])
    await svc.add('e', [{ id: 'only', vector: [1, 2] }])
    expect((await svc.search('e', { vector: [1, 2], k: 1000 })).map((h) => h.id)).toEqual(['only'])
  })

  it('refuses bad searches with 400', async () => {
    const svc = await service({ maxK: 50, maxExcludeIds: 2 })
    await svc.create({ name: 's', dim: 2, metric: 'cos' })
    const code = async (input: unknown) => {
      try {
        await svc.search('s', input as { k: number })
        return 'ok'
      } catch (err) {
        if (!isProblem(err)) throw err
        return `${err.code} ${err.errors?.map((e) => e.field).join(',')}`
      }
    }
    expect(await code({ vector: [1, 0], k: 0 })).toBe('HTTP_INVALID_REQUEST $.k')
    expect(await code({ vector: [1, 0], k: 51 })).toBe('HTTP_INVALID_REQUEST $.k')
    expect(await code({ vector: [1, 0], k: 2.5 })).toBe('HTTP_INVALID_REQUEST $.k')
    expect(await code({ vector: [1, 0, 0], k: 1 })).toBe('VECTOR_BAD_DIMENSION $.vector')
    expect(await code({ k: 1 })).toBe('HTTP_INVALID_REQUEST $')
    expect(await code({ vector: [1, 0], text: 'x', k: 1 })).toBe('HTTP_INVALID_REQUEST $')
    expect(await code({ vector: new Float32Array([1, Number.NaN]), k: 1 })).toBe('HTTP_INVALID_REQUEST $.vector[1]')
    expect(await code({ vector: [1, 0], k: 1, excludeIds: 'a' })).toBe('HTTP_INVALID_REQUEST $.exclude_ids')
    expect(await code({ vector: [1, 0], k: 1, excludeIds: ['a', 'b', 'c'] })).toBe('HTTP_INVALID_REQUEST $.exclude_ids')
    // In process the member is still `filter` (SearchInput); problems name it as on the wire.
    expect(await code({ vector: [1, 0], k: 1, filter: { city: { like: 'x' } } })).toBe('HTTP_INVALID_REQUEST $.filters.city')
    expect(await code({ vector: [1, 0], k: 1, filter: [] })).toBe('HTTP_INVALID_REQUEST $.filters')
    expect(await code({ vector: [1, 0], k: 50, excludeIds: ['a', 'b'], filter: { city: { in: ['x', null] } } })).toBe('ok')
  })
})

describe('exclude_ids and filters on a graph-backed index (2,000 items, dim 16)', async () => {
  const svc = await service()
  const ref = await populate(svc, 'big', 'cos', 2000, 16)
  const rand = prng(99)
  const query = () => randomVector(rand, 16)

  it('never returns an excluded id, and still returns k hits', async () => {
    for (let round = 0; round < 20; round++) {
      const q = query()
      const first = await svc.search('big', { vector: q, k: 20 })
      const exclude = first.slice(0, 10 + round).map((h) => h.id)
      const hits = await svc.search('big', { vector: q, k: 20, excludeIds: [...exclude, 'not-an-id'] })
      expect(hits).toHaveLength(20)
      for (const h of hits) expect(exclude).not.toContain(h.id)
    }
  })

  it('applies filters: case-insensitive strings, array membership, {in}, numbers, booleans', async () => {
    const cases: [Record<string, unknown>, (m: Record<string, unknown>) => boolean][] = [
      [{ city: 'austin' }, (m) => m.city === 'Austin'],
      [{ city: 'BOSTON', rank: 3 }, (m) => m.city === 'Boston' && m.rank === 3],
      [{ tags: 'CERT-2' }, (m) => (m.tags as string[]).includes('cert-2')],
      [{ city: { in: ['Denver', 'chicago'] } }, (m) => m.city === 'Denver' || m.city === 'Chicago'],
      [{ tags: ['cert-0', 'cert-1'] }, (m) => (m.tags as string[]).includes('cert-0') && (m.tags as string[]).includes('cert-1')],
      [{ rare: true }, (m) => m.rare === true],
      [{ rank: '3' }, () => false],
      [{ missing: null }, () => true],
    ]
    for (const [filter, keep] of cases) {
      const q = query()
      const hits = await svc.search('big', { vector: q, k: 10, filter: filter as never })
      const want = bruteForce(ref, 'cos', q, 10, new Set(), (it) => keep(it.metadata))
      expect(hits.length, JSON.stringify(filter)).toBe(want.length)
      for (const h of hits) expect(keep(h.metadata as Record<string, unknown>), JSON.stringify(filter)).toBe(true)
      const passing = ref.filter((it) => keep(it.metadata)).length
      const ids = hits.map((h) => h.id)
      // Selective filters (< 1% here) take the filtered exact scan: brute force exactly. Broad
      // ones go through the graph, which is approximate: at least 9 of the true 10.
      if (passing < ref.length / 100) expect(ids, JSON.stringify(filter)).toEqual(want.map((w) => w.id))
      else expect(want.filter((w) => ids.includes(w.id)).length, JSON.stringify(filter)).toBeGreaterThanOrEqual(Math.min(9, want.length))
    }
  })

  it('combines a filter with exclude_ids', async () => {
    const q = query()
    const rare = bruteForce(ref, 'cos', q, 100, new Set(), (it) => it.metadata.rare === true)
    const exclude = rare.slice(0, 3).map((r) => r.id)
    const hits = await svc.search('big', { vector: q, k: 100, excludeIds: exclude, filter: { rare: true } })
    expect(hits.map((h) => h.id)).toEqual(rare.slice(3).map((r) => r.id))
  })
})

describe('search paths', () => {
  async function state(n: number, dim = 8) {
    const s = createIndexState({ name: 'p', dim, metric: 'l2sq', model: 'm' }, { ...vectorDefaults })
    const rand = prng(5)
    const items = Array.from({ length: n }, (_, i) => ({
      id: `i${i}`,
      vector: prepare(Float32Array.from(randomVector(rand, dim)), 'l2sq'),
      metadata: { group: i % 100 === 0 ? 'one-percent' : 'rest' },
    }))
    await insertItems(s, items, { threads: 2, chunk: 256 })
    return s
  }
  const plan = (k: number, filter?: Record<string, string>, exclude: string[] = []) => ({
    query: new Float32Array(8).fill(0.1),
    k,
    exclude: new Set(exclude),
    predicate: compileFilter(filter),
  })
  const limits = { exactBelow: 64, annMaxFetch: 256 }

  it('uses brute force up to exactBelow items and the graph above', async () => {
    expect(searchIndex(await state(64), plan(5), limits).path).toBe('exact')
    const big = await state(65)
    expect(searchIndex(big, plan(5), limits)).toMatchObject({ path: 'graph', rounds: 1 })
    expect(searchIndex(big, plan(5), { exactBelow: 65, annMaxFetch: 256 }).path).toBe('exact')
  })

  it('over-fetches for a broad filter and scans exactly for a selective one', async () => {
    const s = await state(3000)
    const broad = searchIndex(s, plan(10, { group: 'rest' }), limits)
    expect(broad.path).toBe('graph')
    expect(broad.hits).toHaveLength(10)
    const selective = searchIndex(s, plan(10, { group: 'one-percent' }), limits)
    expect(selective.path).toBe('filtered-scan')
    expect(selective.hits).toHaveLength(10)
    const none = searchIndex(s, plan(10, { group: 'nobody' }), limits)
    expect(none.hits).toEqual([])
  })

  it('asks the graph for k + excluded candidates so one round suffices', async () => {
    const s = await state(1000)
    const first = searchIndex(s, plan(10), limits)
    const excluded = first.hits.map((h) => h.id)
    const again = searchIndex(s, plan(10, undefined, excluded), limits)
    expect(again).toMatchObject({ path: 'graph', rounds: 1 })
    expect(again.hits.map((h) => h.id).filter((id) => excluded.includes(id))).toEqual([])
  })
})
