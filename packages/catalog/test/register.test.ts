import { isProblem } from '@lakehouse/kit'
import { createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { type CatalogEvent, type ColumnSpec, datasetIdFor, manifestKey, type RegisterInput } from '../src/index.ts'
import { FIXED_NOW, fakeInspector, PEOPLE_V2, registration, rejectionOf, service } from './helpers.ts'

describe('catalog.register idempotency', () => {
  it('creates, then answers existing with the same id and manifest, then 409s a drifted schema', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    const first = await svc.register(registration('people'))
    expect(first.status).toBe('created')
    expect(first.manifest).toEqual({
      dataset_id: datasetIdFor('people'),
      ...registration('people'),
      created_at: FIXED_NOW.toISOString(),
      updated_at: FIXED_NOW.toISOString(),
      version: 1,
      content_hash: null,
    })
    const stored = store.text(manifestKey('people'))

    const again = await svc.register(registration('people'))
    expect(again.status).toBe('existing')
    expect(again.manifest).toEqual(first.manifest)
    expect(store.text(manifestKey('people'))).toBe(stored)

    const drift = await rejectionOf(svc.register(registration('people', PEOPLE_V2)))
    expect(isProblem(drift)).toBe(true)
    expect([drift.status, drift.code]).toEqual([409, 'CATALOG_SCHEMA_CONFLICT'])
    expect(drift.extensions).toMatchObject({
      dataset_id: first.manifest.dataset_id,
      existing_fingerprint: first.manifest.fingerprint,
      attempted_fingerprint: registration('people', PEOPLE_V2).fingerprint,
    })
    expect(svc.get('people')).toEqual(first.manifest)
    expect(store.text(manifestKey('people'))).toBe(stored)
  })

  it('keeps the manifest byte-identical for an identical register', async () => {
    let clock = FIXED_NOW.getTime()
    const store = createMemoryObjectStore()
    const { createCatalogService } = await import('../src/index.ts')
    const svc = await createCatalogService({}, { store, now: () => new Date(clock++), inspectObject: fakeInspector(store) })
    const first = await svc.register(registration('people'))
    const stored = store.text(manifestKey('people'))
    expect(await svc.register(registration('people'))).toEqual({ status: 'existing', manifest: first.manifest })
    expect(store.text(manifestKey('people'))).toBe(stored)
  })

  it('answers replaced with a new live version when the same schema arrives with other content, keeping id and created_at', async () => {
    let clock = FIXED_NOW.getTime()
    const store = createMemoryObjectStore()
    const { createCatalogService } = await import('../src/index.ts')
    const svc = await createCatalogService({}, { store, now: () => new Date(clock++), inspectObject: fakeInspector(store) })
    const first = await svc.register(registration('people'))
    const again = await svc.register({ ...registration('people'), row_count: 99 })
    expect(again.status).toBe('replaced')
    expect(again.previous).toEqual({ version: 1, content_hash: null, fingerprint: first.manifest.fingerprint, row_count: 3 })
    expect(again.replaced_fingerprint).toBeUndefined()
    expect(again.manifest).toMatchObject({
      dataset_id: first.manifest.dataset_id,
      created_at: first.manifest.created_at,
      row_count: 99,
      version: 2,
    })
    expect(again.manifest.updated_at > first.manifest.updated_at).toBe(true)
    const { versions, ...live } = JSON.parse(store.text(manifestKey('people')) ?? '')
    expect(live).toEqual(again.manifest)
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    expect(svc.get('people')?.row_count).toBe(99)
  })

  it('persists the manifest as JSON at _system/catalog/<name>.json', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    const { manifest } = await svc.register(registration('people'))
    expect(store.keys()).toEqual(['_system/catalog/people.json'])
    const { versions, ...live } = JSON.parse(store.text('_system/catalog/people.json') ?? '')
    expect(live).toEqual(manifest)
    expect(versions).toEqual([
      {
        version: 1,
        content_hash: null,
        fingerprint: manifest.fingerprint,
        schema: manifest.schema,
        object_key: manifest.object_key,
        row_count: manifest.row_count,
        created_at: manifest.created_at,
      },
    ])
  })
})

describe('catalog.register input', () => {
  it.each(['People', '_people', '1people', 'peo-ple', 'p'.repeat(64), ''])(
    'refuses the name %j with HTTP_INVALID_REQUEST, reason pattern',
    async (name) => {
      const svc = await service(createMemoryObjectStore())
      const err = await rejectionOf(svc.register({ ...registration(name), object_key: 'datasets/x/y.parquet' }))
      expect([err.status, err.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
      expect(err.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toEqual([['$.name', 'pattern']])
      expect(svc.list()).toEqual([])
    },
  )

  it.each([
    ['upper-case hex', { fingerprint: 'A'.repeat(64) }, [['$.fingerprint', 'pattern']]],
    ['short hex', { fingerprint: 'a'.repeat(63) }, [['$.fingerprint', 'pattern']]],
    ['a missing fingerprint', { fingerprint: undefined }, [['$.fingerprint', 'required']]],
    ['an empty schema', { schema: [] }, [['$.schema', 'empty']]],
    ['a schema that is not an array', { schema: {} }, [['$.schema', 'type']]],
    ['a column without a type', { schema: [{ name: 'a' }] }, [['$.schema[0].type', 'required']]],
    [
      'a column with an extra member',
      { schema: [{ name: 'a', type: 'BIGINT', nullable: true }] },
      [['$.schema[0].nullable', 'additional_property']],
    ],
    ['a column name with a record separator', { schema: [{ name: 'a\x1eb', type: 'BIGINT' }] }, [['$.schema[0].name', 'pattern']]],
    ['an empty column name', { schema: [{ name: '', type: 'BIGINT' }] }, [['$.schema[0].name', 'empty']]],
    ['an absolute object_key', { object_key: '/etc/passwd' }, [['$.object_key', 'pattern']]],
    ['an object_key with ..', { object_key: 'datasets/../x' }, [['$.object_key', 'pattern']]],
    ['an object_key with an empty segment', { object_key: 'datasets//x' }, [['$.object_key', 'pattern']]],
    ['an object_key with a newline', { object_key: 'datasets/x\n' }, [['$.object_key', 'pattern']]],
    ['a negative row_count', { row_count: -1 }, [['$.row_count', 'too_small']]],
    ['a fractional row_count', { row_count: 1.5 }, [['$.row_count', 'type']]],
    ['a string row_count', { row_count: '3' }, [['$.row_count', 'type']]],
    ['an unknown member', { extra: 1 }, [['$.extra', 'additional_property']]],
    ['a row_count above 2^53 - 1', { row_count: 2 ** 53 }, [['$.row_count', 'too_large']]],
    ['a content_hash that is not hex', { content_hash: 'z'.repeat(64) }, [['$.content_hash', 'pattern']]],
    ['a column type of 129 characters', { schema: [{ name: 'a', type: 'T'.repeat(129) }] }, [['$.schema[0].type', 'too_long']]],
    ['an object_key segment .', { object_key: 'datasets/./x' }, [['$.object_key', 'pattern']]],
    ['an object_key ending in /', { object_key: 'datasets/x/' }, [['$.object_key', 'pattern']]],
    ['an empty object_key', { object_key: '' }, [['$.object_key', 'pattern']]],
    ['an object_key of 1025 characters', { object_key: `datasets/${'k'.repeat(1016)}` }, [['$.object_key', 'too_long']]],
    [
      'a bad name and a bad fingerprint',
      { name: 'Bad', fingerprint: 'x' },
      [
        ['$.name', 'pattern'],
        ['$.fingerprint', 'pattern'],
      ],
    ],
  ])('refuses %s with HTTP_INVALID_REQUEST', async (_label, patch, expected) => {
    const svc = await service(createMemoryObjectStore())
    // Deliberately ill-typed: register() must check what a JavaScript caller may pass.
    const err = await rejectionOf(svc.register({ ...registration('people'), ...patch } as unknown as RegisterInput))
    expect([err.status, err.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(err.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toEqual(expected)
  })

  it('refuses more columns than maxColumns', async () => {
    const svc = await service(createMemoryObjectStore(), { maxColumns: 2 })
    const cols = [1, 2, 3].map((i) => ({ name: `c${i}`, type: 'BIGINT' }))
    const err = await rejectionOf(svc.register(registration('people', cols)))
    expect([err.code, err.errors[0].field, err.errors[0].reason]).toEqual(['HTTP_INVALID_REQUEST', '$.schema', 'too_long'])
  })

  it('does not keep a reference to the caller input', async () => {
    const svc = await service(createMemoryObjectStore())
    const input = registration('people')
    await svc.register(input)
    input.schema[0] = { name: 'hacked', type: 'VARCHAR' }
    input.object_key = 'elsewhere'
    expect(svc.get('people')?.schema[0]?.name).toBe('id')
    expect(svc.get('people')?.object_key).toBe(registration('people').object_key)
  })
})

describe('catalog reads', () => {
  it('returns deep copies from get, list and register', async () => {
    const svc = await service(createMemoryObjectStore())
    const created = await svc.register(registration('people'))
    const mutate = (m: unknown) => {
      const w = m as { name: string; schema: { name: string }[]; row_count: number }
      w.row_count = -5
      w.schema.push({ name: 'evil' })
      if (w.schema[0]) w.schema[0].name = 'evil'
    }
    mutate(created.manifest)
    mutate(svc.get('people'))
    for (const m of svc.list()) mutate(m)
    expect(svc.get('people')).toEqual({
      ...registration('people'),
      dataset_id: datasetIdFor('people'),
      created_at: FIXED_NOW.toISOString(),
      updated_at: FIXED_NOW.toISOString(),
      version: 1,
      content_hash: null,
    })
    expect(svc.get('people')).not.toBe(svc.get('people'))
  })

  it('lists manifests sorted by name and answers undefined for an unknown name', async () => {
    const svc = await service(createMemoryObjectStore())
    for (const name of ['zeta', 'alpha', 'mid_1', 'mid']) await svc.register(registration(name))
    expect(svc.list().map((m) => m.name)).toEqual(['alpha', 'mid', 'mid_1', 'zeta'])
    expect(svc.get('nope')).toBeUndefined()
    expect(svc.stats()).toEqual({ datasets: 4, skipped: 0 })
  })
})

describe('catalog.onChange', () => {
  it('is called once per new registration, after the swap, with a copy', async () => {
    const svc = await service(createMemoryObjectStore())
    const events: CatalogEvent[] = []
    svc.onChange((e) => {
      expect(svc.get(e.manifest.name)).toEqual(e.manifest)
      ;(e.manifest.schema as ColumnSpec[]).length = 0
      events.push(e)
    })
    await svc.register(registration('people'))
    await svc.register(registration('people'))
    await rejectionOf(svc.register(registration('people', PEOPLE_V2)))
    await svc.register(registration('other'))
    expect(events.map((e) => [e.type, e.manifest.name])).toEqual([
      ['registered', 'people'],
      ['registered', 'other'],
    ])
    expect(svc.get('people')?.schema).toHaveLength(2)
  })

  it('logs a throwing or rejecting listener and still registers and notifies the others', async () => {
    const store = createMemoryObjectStore()
    const lines: string[] = []
    const { createCatalogService } = await import('../src/index.ts')
    const { createLogger } = await import('@lakehouse/kit')
    const svc = await createCatalogService(
      {},
      { store, logger: createLogger({ sink: (l) => lines.push(l) }), inspectObject: fakeInspector(store) },
    )
    const seen: string[] = []
    svc.onChange(() => {
      throw new Error('listener boom')
    })
    svc.onChange(async () => {
      throw new Error('async boom')
    })
    svc.onChange((e) => seen.push(e.manifest.name))
    const r = await svc.register(registration('people'))
    expect(r.status).toBe('created')
    expect(seen).toEqual(['people'])
    await new Promise((resolve) => setTimeout(resolve, 0))
    const failures = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'catalog listener failed')
    expect(failures.map((f) => f.err.message)).toEqual(['listener boom', 'async boom'])
    expect(failures[0].component).toBe('catalog')
  })

  it('stops calling a listener once unsubscribed', async () => {
    const svc = await service(createMemoryObjectStore())
    let calls = 0
    const off = svc.onChange(() => {
      calls++
    })
    await svc.register(registration('one'))
    off()
    await svc.register(registration('two'))
    expect(calls).toBe(1)
  })
})
