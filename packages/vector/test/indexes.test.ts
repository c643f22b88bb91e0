import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { fakeEmbedder, service } from './helpers.ts'

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<[number, string] | 'ok'> {
  try {
    await (typeof p === 'function' ? p() : p)
    return 'ok'
  } catch (err) {
    if (!isProblem(err)) throw err
    return [err.status, err.code]
  }
}

describe('index lifecycle', () => {
  it('creates (created), re-creates with the same spec (existing) and refuses another spec (409)', async () => {
    const svc = await service()
    const first = await svc.create({ name: 'workers', dim: 16, metric: 'cos' })
    expect(first).toEqual({ status: 'created', info: { name: 'workers', dim: 16, metric: 'cos', model: 'fake/hash-16', size: 0 } })
    expect((await svc.create({ name: 'workers', dim: 16, metric: 'cos', model: 'fake/hash-16' })).status).toBe('existing')
    expect((await svc.create({ name: 'workers', dim: 16, metric: 'cos' })).status).toBe('existing')
    expect(await codeOf(svc.create({ name: 'workers', dim: 5, metric: 'cos' }))).toEqual([409, 'VECTOR_INDEX_CONFLICT'])
    expect(await codeOf(svc.create({ name: 'workers', dim: 16, metric: 'ip' }))).toEqual([409, 'VECTOR_INDEX_CONFLICT'])
    await svc.create({ name: 'small', dim: 4, metric: 'cos', model: 'fake/hash-4' })
    expect(await codeOf(svc.create({ name: 'small', dim: 4, metric: 'cos' }))).toEqual([409, 'VECTOR_INDEX_CONFLICT'])
  })

  it.each(['', 'Workers', '1abc', '-a', 'a'.repeat(64), 'a/b', '../x', 'a b', '.trash'])(
    'refuses the name %j with 400 VECTOR_INVALID_NAME',
    async (name) => {
      const svc = await service()
      expect(await codeOf(svc.create({ name, dim: 4, metric: 'cos' }))).toEqual([400, 'VECTOR_INVALID_NAME'])
    },
  )

  it('accepts names at the edges of the pattern', async () => {
    const svc = await service()
    for (const name of ['a', `a${'b'.repeat(62)}`, 'a_b-c9'])
      expect((await svc.create({ name, dim: 2, metric: 'l2sq' })).status).toBe('created')
  })

  it.each([0, 4097, 1.5, -1, '4'])('refuses dim %j with 400 HTTP_INVALID_REQUEST', async (dim) => {
    const svc = await service()
    expect(await codeOf(svc.create({ name: 'x', dim: dim as number, metric: 'cos' }))).toEqual([400, 'HTTP_INVALID_REQUEST'])
  })

  it('accepts dim 1 and 4096 and refuses an unknown metric', async () => {
    const svc = await service()
    expect((await svc.create({ name: 'one', dim: 1, metric: 'ip' })).status).toBe('created')
    expect((await svc.create({ name: 'big', dim: 4096, metric: 'cos' })).status).toBe('created')
    expect(await codeOf(svc.create({ name: 'x', dim: 4, metric: 'dot' as 'ip' }))).toEqual([400, 'HTTP_INVALID_REQUEST'])
    const cosine = await svc.create({ name: 'cosine', dim: 4, metric: 'cosine' as 'cos' })
    expect([cosine.status, cosine.info.metric]).toEqual(['created', 'cos'])
  })

  it('probes a named model and refuses one whose dimension differs (400 VECTOR_MODEL_MISMATCH)', async () => {
    const embedder = fakeEmbedder()
    const svc = await service({}, undefined, embedder)
    expect(await codeOf(svc.create({ name: 'x', dim: 8, metric: 'cos', model: 'fake/hash-16' }))).toEqual([400, 'VECTOR_MODEL_MISMATCH'])
    expect((await svc.create({ name: 'x', dim: 8, metric: 'cos', model: 'fake/hash-8' })).info.model).toBe('fake/hash-8')
    expect(await codeOf(svc.create({ name: 'y', dim: 8, metric: 'cos', model: 'nope/model' }))).toEqual([400, 'FAKE_UNKNOWN_MODEL'])
    // Without a model no probe is made: a raw-vector index of any dim is fine.
    const calls = embedder.calls.length
    await svc.create({ name: 'raw', dim: 3, metric: 'cos' })
    expect(embedder.calls.length).toBe(calls)
  })

  it('lists indexes sorted by name with their sizes, and info() is undefined for unknown names', async () => {
    const svc = await service()
    await svc.create({ name: 'b', dim: 2, metric: 'cos' })
    await svc.create({ name: 'a', dim: 3, metric: 'l2sq' })
    await svc.add('b', [{ id: 'x', vector: [1, 0] }])
    expect(svc.list().map((i) => [i.name, i.size])).toEqual([
      ['a', 0],
      ['b', 1],
    ])
    expect(svc.info('b')?.size).toBe(1)
    expect(svc.info('zz')).toBeUndefined()
  })

  it('drops an index (true), then reports it missing (false, 404 on use) and lets the name be reused', async () => {
    const svc = await service()
    await svc.create({ name: 'tmp', dim: 2, metric: 'cos' })
    await svc.add('tmp', [{ id: 'a', vector: [1, 1] }])
    expect(await svc.drop('tmp')).toBe(true)
    expect(await svc.drop('tmp')).toBe(false)
    expect(await codeOf(svc.add('tmp', [{ id: 'a', vector: [1, 1] }]))).toEqual([404, 'VECTOR_INDEX_NOT_FOUND'])
    expect(await codeOf(svc.search('tmp', { vector: [1, 1], k: 1 }))).toEqual([404, 'VECTOR_INDEX_NOT_FOUND'])
    expect(await codeOf(() => svc.has('tmp', ['a']))).toEqual([404, 'VECTOR_INDEX_NOT_FOUND'])
    expect(await codeOf(svc.deleteItem('tmp', 'a'))).toEqual([404, 'VECTOR_INDEX_NOT_FOUND'])
    expect((await svc.create({ name: 'tmp', dim: 3, metric: 'ip' })).status).toBe('created')
    expect(svc.info('tmp')?.size).toBe(0)
  })
})

describe('items', () => {
  it('adds, counts replacements, and replaces vector and metadata of a re-added id', async () => {
    const svc = await service()
    await svc.create({ name: 'w', dim: 2, metric: 'cos' })
    expect(
      await svc.add('w', [
        { id: 'a', vector: [1, 0], metadata: { city: 'Austin' } },
        { id: 'b', vector: [0, 1] },
      ]),
    ).toEqual({ added: 2, replaced: 0 })
    expect(await svc.add('w', [{ id: 'a', vector: [0, 1], metadata: { city: 'Boston' } }])).toEqual({ added: 0, replaced: 1 })
    expect(svc.info('w')?.size).toBe(2)
    const hits = await svc.search('w', { vector: [0, 1], k: 2 })
    expect(hits).toEqual([
      { id: 'a', score: 1, metadata: { city: 'Boston' } },
      { id: 'b', score: 1, metadata: {} },
    ])
  })

  it('lets the last occurrence of an id repeated within one batch win', async () => {
    const svc = await service()
    await svc.create({ name: 'w', dim: 2, metric: 'l2sq' })
    expect(
      await svc.add('w', [
        { id: 'a', vector: [5, 5] },
        { id: 'a', vector: [1, 1], metadata: { n: 2 } },
      ]),
    ).toEqual({ added: 1, replaced: 0 })
    expect(await svc.search('w', { vector: [1, 1], k: 5 })).toEqual([{ id: 'a', score: 0, metadata: { n: 2 } }])
  })

  it('embeds text items and text queries with the index model', async () => {
    const embedder = fakeEmbedder()
    const svc = await service({}, undefined, embedder)
    await svc.create({ name: 't', dim: 8, metric: 'cos', model: 'fake/hash-8' })
    await svc.add('t', [
      { id: 'e1', text: 'industrial electrician wiring' },
      { id: 'f1', text: 'forklift driver warehouse' },
      { id: 'v', vector: [1, 0, 0, 0, 0, 0, 0, 0] },
    ])
    expect(embedder.calls.at(-1)).toEqual({ texts: ['industrial electrician wiring', 'forklift driver warehouse'], model: 'fake/hash-8' })
    const [top] = await svc.search('t', { text: 'Forklift DRIVER warehouse', k: 1 })
    expect(top?.id).toBe('f1')
    expect(top?.score).toBeCloseTo(1, 6)
  })

  it('refuses text on an index whose model embeds to another dimension (400 VECTOR_MODEL_MISMATCH)', async () => {
    const svc = await service()
    await svc.create({ name: 't', dim: 4, metric: 'cos' }) // default model fake/hash-16
    expect(await codeOf(svc.add('t', [{ id: 'a', text: 'hello' }]))).toEqual([400, 'VECTOR_MODEL_MISMATCH'])
    expect(await codeOf(svc.search('t', { text: 'hello', k: 1 }))).toEqual([400, 'VECTOR_MODEL_MISMATCH'])
    expect(svc.info('t')?.size).toBe(0)
  })

  it('refuses bad items as a whole, naming each one', async () => {
    const svc = await service({ maxBatch: 3 })
    await svc.create({ name: 'w', dim: 2, metric: 'cos' })
    const fail = async (items: unknown) => {
      try {
        await svc.add('w', items as [])
      } catch (err) {
        if (!isProblem(err)) throw err
        return { code: err.code, fields: err.errors?.map((e) => `${e.field}:${e.reason}`) }
      }
      throw new Error('expected a problem')
    }
    expect(await fail([{ id: 'a', vector: [1, 2, 3] }])).toEqual({ code: 'VECTOR_BAD_DIMENSION', fields: ['$.items[0].vector:dimension'] })
    expect(await fail([{ id: 'a' }])).toEqual({ code: 'HTTP_INVALID_REQUEST', fields: ['$.items[0]:no_matching_alternative'] })
    expect(await fail([{ id: 'a', vector: [1, 0], text: 'x' }])).toEqual({
      code: 'HTTP_INVALID_REQUEST',
      fields: ['$.items[0]:no_matching_alternative'],
    })
    expect(await fail([{ id: '', vector: [1, 0] }])).toEqual({ code: 'HTTP_INVALID_REQUEST', fields: ['$.items[0].id:empty'] })
    expect(await fail([{ id: 'a', vector: [1, Number.NaN] }])).toEqual({
      code: 'HTTP_INVALID_REQUEST',
      fields: ['$.items[0].vector[1]:type'],
    })
    expect(await fail([{ id: 'a', vector: new Float32Array([1, Number.POSITIVE_INFINITY]) }])).toEqual({
      code: 'HTTP_INVALID_REQUEST',
      fields: ['$.items[0].vector[1]:type'],
    })
    expect(await fail([{ id: 'a', vector: [1, 1e39] }])).toEqual({
      code: 'HTTP_INVALID_REQUEST',
      fields: ['$.items[0].vector[1]:too_large'],
    })
    expect(await fail([{ id: 'a', vector: [1, 0], metadata: { nested: { x: 1 } } }])).toEqual({
      code: 'HTTP_INVALID_REQUEST',
      fields: ['$.items[0].metadata.nested:type'],
    })
    expect(await fail([{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [1] }, 'x'])).toEqual({
      code: 'HTTP_INVALID_REQUEST',
      fields: ['$.items[2]:type'],
    })
    expect(
      await fail([
        { id: 'a', vector: [1, 0] },
        { id: 'b', vector: [1] },
        { id: 'c', vector: [1, 2, 3] },
      ]),
    ).toEqual({
      code: 'VECTOR_BAD_DIMENSION',
      fields: ['$.items[1].vector:dimension', '$.items[2].vector:dimension'],
    })
    expect(await fail([])).toEqual({ code: 'HTTP_INVALID_REQUEST', fields: ['$.items:empty'] })
    expect((await fail(Array.from({ length: 4 }, (_, i) => ({ id: `${i}`, vector: [1, 0] })))).code).toBe('VECTOR_BATCH_TOO_LARGE')
    expect(svc.info('w')?.size).toBe(0)
  })

  it('deletes items (true/false), and has() reports the ids present', async () => {
    const svc = await service()
    await svc.create({ name: 'w', dim: 2, metric: 'ip' })
    await svc.add('w', [
      { id: 'a', vector: [1, 0] },
      { id: 'b', vector: [0, 1] },
    ])
    expect([...svc.has('w', ['a', 'b', 'c'])].sort()).toEqual(['a', 'b'])
    expect(await svc.deleteItem('w', 'a')).toBe(true)
    expect(await svc.deleteItem('w', 'a')).toBe(false)
    expect([...svc.has('w', ['a', 'b'])]).toEqual(['b'])
    expect((await svc.search('w', { vector: [1, 0], k: 5 })).map((h) => h.id)).toEqual(['b'])
    expect(svc.info('w')?.size).toBe(1)
  })
})
