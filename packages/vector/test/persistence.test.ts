import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import type { VectorService } from '../src/index.ts'
import { fakeEmbedder, prng, randomVector, service, tempDir } from './helpers.ts'

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (err) {
    if (!isProblem(err)) throw err
    return err.code
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Everything observable about a service's indexes, for before/after comparisons. */
async function observe(svc: VectorService, queries: number[][]) {
  const out: unknown[] = [svc.list()]
  for (const info of svc.list()) {
    for (const q of queries) {
      const vector = q.slice(0, info.dim)
      out.push(await svc.search(info.name, { vector, k: 15 }))
      out.push(await svc.search(info.name, { vector, k: 5, filter: { even: true }, excludeIds: ['i-2'] }))
    }
  }
  return JSON.stringify(out)
}

async function fill(svc: VectorService) {
  const rand = prng(11)
  await svc.create({ name: 'small-cos', dim: 4, metric: 'cos' })
  await svc.create({ name: 'graph-l2', dim: 8, metric: 'l2sq' })
  await svc.create({ name: 'text', dim: 8, metric: 'ip', model: 'fake/hash-8' })
  await svc.add(
    'small-cos',
    Array.from({ length: 20 }, (_, i) => ({
      id: `i-${i}`,
      vector: randomVector(rand, 4),
      metadata: { even: i % 2 === 0, tags: ['x', `t${i}`] },
    })),
  )
  for (let b = 0; b < 3; b++) {
    await svc.add(
      'graph-l2',
      Array.from({ length: 200 }, (_, i) => ({ id: `i-${b * 200 + i}`, vector: randomVector(rand, 8), metadata: { even: i % 2 === 0 } })),
    )
  }
  await svc.add('text', [
    { id: 'i-1', text: 'night shift forklift', metadata: { even: false } },
    { id: 'i-2', text: 'day shift welder', metadata: { even: true } },
  ])
  // Replacements and deletes must survive too.
  await svc.add('small-cos', [{ id: 'i-3', vector: [1, 2, 3, 4], metadata: { even: true, replaced: 'yes' } }])
  await svc.add('graph-l2', [{ id: 'i-10', vector: [1, 1, 1, 1, 1, 1, 1, 1] }])
  for (const id of ['i-4', 'i-5', 'i-6']) await svc.deleteItem('small-cos', id)
  for (let i = 100; i < 190; i++) await svc.deleteItem('graph-l2', `i-${i}`)
}

describe('persistence', () => {
  const queries = [randomVector(prng(3), 8), randomVector(prng(4), 8), [1, 1, 1, 1, 1, 1, 1, 1]]

  it('a new service on the same directory sees every index, item, replacement and delete', async () => {
    const dir = tempDir()
    const first = await service({}, dir)
    await fill(first)
    const before = await observe(first, queries)
    await first.close()
    const second = await service({}, dir)
    expect(await observe(second, queries)).toBe(before)
    expect(second.info('small-cos')?.size).toBe(17)
    expect(second.info('graph-l2')?.size).toBe(510)
    expect([...second.has('small-cos', ['i-3', 'i-4', 'i-5', 'i-7'])].sort()).toEqual(['i-3', 'i-7'])
    expect(second.info('text')?.model).toBe('fake/hash-8')
    expect((await second.search('text', { text: 'forklift night', k: 1 }))[0]?.id).toBe('i-1')
    // New keys after a restart never collide with keys in the loaded graph.
    await second.add('graph-l2', [{ id: 'new', vector: [9, 9, 9, 9, 9, 9, 9, 9] }])
    expect((await second.search('graph-l2', { vector: [9, 9, 9, 9, 9, 9, 9, 9], k: 1 }))[0]?.id).toBe('new')
    expect(second.stats()).toMatchObject({ indexes: 3, skipped: [], rebuilt: [] })
  })

  it('reloads an empty index, and one emptied by deletes', async () => {
    const dir = tempDir()
    const first = await service({}, dir)
    await first.create({ name: 'empty', dim: 3, metric: 'ip' })
    await first.create({ name: 'emptied', dim: 3, metric: 'l2sq' })
    await first.add('emptied', [{ id: 'a', vector: [1, 2, 3] }])
    await first.deleteItem('emptied', 'a')
    await first.close()
    const svc = await service({}, dir)
    expect(svc.list().map((i) => [i.name, i.size])).toEqual([
      ['emptied', 0],
      ['empty', 0],
    ])
    expect(await svc.search('emptied', { vector: [1, 2, 3], k: 3 })).toEqual([])
    await svc.add('emptied', [{ id: 'a', vector: [1, 2, 3] }])
    expect((await svc.search('emptied', { vector: [1, 2, 3], k: 3 })).map((h) => h.id)).toEqual(['a'])
  })

  it('coalesces many mutations into one save after saveDelayMs', async () => {
    const dir = tempDir()
    const svc = await service({ saveDelayMs: 150 }, dir)
    await svc.create({ name: 'c', dim: 2, metric: 'cos' })
    const afterCreate = svc.stats().saves
    expect(afterCreate).toBe(1) // create is durable before it returns
    for (let i = 0; i < 50; i++) await svc.add('c', [{ id: `a${i}`, vector: [i, 1] }])
    await svc.deleteItem('c', 'a0')
    expect(svc.stats()).toMatchObject({ saves: 1, dirty: 1 })
    await until(() => svc.stats().dirty === 0)
    expect(svc.stats().saves).toBe(2)
    const reader = await service({}, dir)
    expect(reader.info('c')?.size).toBe(49)
    await new Promise((r) => setTimeout(r, 300))
    expect(svc.stats().saves).toBe(2) // nothing dirty, nothing saved
    await svc.close()
  })

  it('flush() and close() save everything dirty at once', async () => {
    const dir = tempDir()
    const svc = await service({ saveDelayMs: 3_600_000 }, dir)
    await svc.create({ name: 'a', dim: 2, metric: 'ip' })
    await svc.create({ name: 'b', dim: 2, metric: 'ip' })
    await svc.add('a', [{ id: 'x', vector: [1, 2] }])
    await svc.add('b', [{ id: 'y', vector: [1, 2] }])
    await svc.flush()
    expect(svc.stats()).toMatchObject({ saves: 4, dirty: 0 })
    await svc.add('a', [{ id: 'z', vector: [1, 2] }])
    await svc.close()
    expect(svc.stats()).toMatchObject({ saves: 5, dirty: 0 })
    const again = await service({}, dir)
    expect(again.list().map((i) => [i.name, i.size])).toEqual([
      ['a', 2],
      ['b', 1],
    ])
  })

  it('keeps one generation of files and sweeps what a crashed save left behind', async () => {
    const dir = tempDir()
    const svc = await service({}, dir)
    await svc.create({ name: 'g', dim: 2, metric: 'cos' })
    for (let i = 0; i < 3; i++) {
      await svc.add('g', [{ id: `${i}`, vector: [1, i] }])
      await svc.flush()
    }
    expect(readdirSync(join(dir, 'g')).sort()).toEqual(['index-4.usearch', 'index.json', 'vectors-4.f32'])
    writeFileSync(join(dir, 'g', 'index-9.usearch'), 'partial')
    writeFileSync(join(dir, 'g', 'vectors-9.f32'), 'partial')
    writeFileSync(join(dir, 'g', 'index.json.tmp-abc123'), '{')
    writeFileSync(join(dir, 'g', '.index.json.0123456789ab.tmp'), '{')
    await service({}, dir)
    expect(readdirSync(join(dir, 'g')).sort()).toEqual(['index-4.usearch', 'index.json', 'vectors-4.f32'])
  })

  it('skips an index whose index.json is corrupt, reports it, serves the others, and frees it on drop', async () => {
    const dir = tempDir()
    const first = await service({}, dir)
    await fill(first)
    await first.close()
    writeFileSync(join(dir, 'small-cos', 'index.json'), '{"format": "lakehouse-vector/1", "spec": ')
    const svc = await service({}, dir)
    expect(svc.list().map((i) => i.name)).toEqual(['graph-l2', 'text'])
    expect(svc.stats().skipped).toEqual([{ name: 'small-cos', reason: 'index.json: is not valid JSON' }])
    expect(await codeOf(svc.search('small-cos', { vector: [1, 0, 0, 0], k: 1 }))).toBe('VECTOR_INDEX_UNAVAILABLE')
    expect(await codeOf(svc.create({ name: 'small-cos', dim: 4, metric: 'cos' }))).toBe('VECTOR_INDEX_UNAVAILABLE')
    expect((await svc.search('graph-l2', { vector: queries[0] as number[], k: 3 })).length).toBe(3)
    expect(await svc.drop('small-cos')).toBe(true)
    expect(existsSync(join(dir, 'small-cos'))).toBe(false)
    expect(svc.stats().skipped).toEqual([])
    expect((await svc.create({ name: 'small-cos', dim: 4, metric: 'cos' })).status).toBe('created')
  })

  it.each([
    ['a flipped byte in the vectors file', (d: string) => flipByte(d, /^vectors-/), /vectors-\d+\.f32 does not match/],
    ['a missing index.json', (d: string) => rmSync(join(d, 'index.json')), /ENOENT/],
    [
      'an index.json naming another index',
      (d: string) => rewrite(d, (j) => ({ ...j, spec: { ...j.spec, name: 'other' } })),
      /does not match the directory/,
    ],
    ['an item row outside the vectors file', (d: string) => rewrite(d, (j) => ({ ...j, items: [['x', 1, 999, {}]] })), /items\[0\] row/],
  ])('skips an index with %s', async (_label, damage, reason) => {
    const dir = tempDir()
    const first = await service({}, dir)
    await fill(first)
    await first.close()
    damage(join(dir, 'graph-l2'))
    const svc = await service({}, dir)
    expect(svc.list().map((i) => i.name)).toEqual(['small-cos', 'text'])
    expect(svc.stats().skipped[0]?.name).toBe('graph-l2')
    expect(svc.stats().skipped[0]?.reason).toMatch(reason)
  })

  it('rebuilds a graph whose file fails its checksum from the vectors, without ever loading it', async () => {
    const dir = tempDir()
    const first = await service({}, dir)
    await fill(first)
    const before = await observe(first, queries)
    await first.close()
    // Garbage of this kind crashes usearch's loader outright (SIGSEGV), so it must never reach it.
    const graph = readdirSync(join(dir, 'graph-l2')).find((f) => f.endsWith('.usearch')) as string
    writeFileSync(join(dir, 'graph-l2', graph), Buffer.alloc(600, 7))
    const svc = await service({}, dir)
    expect(svc.stats().rebuilt).toEqual([{ name: 'graph-l2', reason: `${graph} does not match its size or checksum in index.json` }])
    expect(svc.stats().dirty).toBe(1)
    expect(svc.info('graph-l2')?.size).toBe(510)
    // A rebuilt graph is a different graph: compare as an approximate search, not bytes.
    const ids = (await svc.search('graph-l2', { vector: queries[0] as number[], k: 15 })).map((h) => h.id)
    const was: string[] = JSON.parse(before)[1].map((h: { id: string }) => h.id)
    expect(was.filter((id) => ids.includes(id)).length).toBeGreaterThanOrEqual(14)
    await svc.flush()
    expect((await service({}, dir)).stats().rebuilt).toEqual([])
  })

  it('keeps an index dirty and retries when a save fails, and reports the failure from flush()', async () => {
    const dir = tempDir()
    const svc = await service({}, dir)
    await svc.create({ name: 'f', dim: 2, metric: 'cos' })
    await svc.add('f', [{ id: 'a', vector: [1, 0] }])
    rmSync(join(dir, 'f'), { recursive: true })
    writeFileSync(join(dir, 'f'), 'a file where the index directory should be')
    await expect(svc.flush()).rejects.toThrow()
    expect(svc.stats()).toMatchObject({ dirty: 1, saveFailures: 1 })
    rmSync(join(dir, 'f'))
    await svc.flush()
    expect(svc.stats()).toMatchObject({ dirty: 0, saveFailures: 1 })
    expect((await service({}, dir)).info('f')?.size).toBe(1)
  })

  it('drop removes the directory durably and a restart does not bring the index back', async () => {
    const dir = tempDir()
    const svc = await service({}, dir)
    await svc.create({ name: 'gone', dim: 2, metric: 'cos' })
    await svc.add('gone', [{ id: 'a', vector: [1, 0] }])
    expect(await svc.drop('gone')).toBe(true)
    expect(readdirSync(dir)).toEqual([])
    expect((await service({}, dir)).list()).toEqual([])
  })

  it('persists compacted graphs: heavy churn, restart, same answers', async () => {
    const dir = tempDir()
    const svc = await service({ addChunk: 64 }, dir, fakeEmbedder())
    await svc.create({ name: 'churn', dim: 8, metric: 'cos' })
    const rand = prng(21)
    for (let round = 0; round < 30; round++) {
      await svc.add(
        'churn',
        Array.from({ length: 50 }, (_, i) => ({
          id: `c-${(round * 17 + i) % 120}`,
          vector: randomVector(rand, 8),
          metadata: { even: i % 2 === 0 },
        })),
      )
      await svc.deleteItem('churn', `c-${round}`)
    }
    // Compacted at least once, and none running: a running one would still see its dead nodes.
    await until(() => {
      const { compactions, graphNodes, items } = svc.stats()
      return compactions > 0 && graphNodes - items < Math.max(64, items)
    })
    const before = await observe(svc, queries)
    await svc.close()
    const after = await service({}, dir)
    expect(await observe(after, queries)).toBe(before)
    expect(after.stats().graphNodes).toBeLessThan(3 * (after.info('churn')?.size ?? 0))
  })
})

function flipByte(indexDir: string, name: RegExp): void {
  const file = join(indexDir, readdirSync(indexDir).find((f) => name.test(f)) as string)
  const bytes = readFileSync(file)
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff
  writeFileSync(file, bytes)
}

// biome-ignore lint/suspicious/noExplicitAny: the sidecar is edited freely
function rewrite(indexDir: string, edit: (json: any) => unknown): void {
  const file = join(indexDir, 'index.json')
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')))))
}
