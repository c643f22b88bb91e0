import { createLogger } from '@lakehouse/kit'
import { createFaultyObjectStore, createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { createCatalogService, datasetIdFor, manifestKey } from '../src/index.ts'
import { FIXED_NOW, fakeInspector, PEOPLE_V2, post, putObject, registration, rejectionOf, service } from './helpers.ts'

function manifestText(name: string, patch: Record<string, unknown> = {}): string {
  const stamp = FIXED_NOW.toISOString()
  return JSON.stringify({ dataset_id: datasetIdFor(name), ...registration(name), created_at: stamp, updated_at: stamp, ...patch })
}

describe('candidate-then-swap', () => {
  it('leaves memory and storage unchanged when the persist fails, answers 503, and a retry succeeds', async () => {
    const inner = createMemoryObjectStore()
    const store = createFaultyObjectStore(inner)
    const svc = await service(store, { retryAfterSeconds: 7 })
    let events = 0
    svc.onChange(() => {
      events++
    })
    store.failPuts(1)
    const err = await rejectionOf(svc.register(registration('people')))
    expect([err.status, err.code]).toEqual([503, 'CATALOG_PERSIST_FAILED'])
    expect(err.headers).toEqual({ 'retry-after': '7' })
    expect(err.cause).toMatchObject({ code: 'STORAGE_BACKEND_ERROR', detail: 'filesystem write failed: EIO' })
    expect(svc.get('people')).toBeUndefined()
    expect(svc.list()).toEqual([])
    expect(svc.stats().datasets).toBe(0)
    expect(inner.keys()).toEqual([])
    expect(events).toBe(0)

    const retry = await svc.register(registration('people'))
    expect(retry.status).toBe('created')
    expect(svc.get('people')).toEqual(retry.manifest)
    expect(inner.keys()).toEqual([manifestKey('people')])
    expect(events).toBe(1)
  })

  it('answers 503 with Retry-After over HTTP and keeps an existing dataset intact', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    const svc = await service(store)
    await svc.register(registration('kept'))
    await putObject(store, registration('people'))
    store.failPuts(Number.POSITIVE_INFINITY)
    const r = await post(svc, registration('people'))
    expect([r.status, r.body.code]).toEqual([503, 'CATALOG_PERSIST_FAILED'])
    expect(r.headers.get('retry-after')).toBe('1')
    expect(r.headers.get('content-type')).toBe('application/problem+json')
    expect(r.body.detail).not.toContain('EIO')
    expect(svc.list().map((m) => m.name)).toEqual(['kept'])
    // Idempotent re-registers of a known dataset need no write, so they still answer.
    expect((await post(svc, registration('kept'))).status).toBe(200)
  })
})

describe('rehydrate', () => {
  it('restores every manifest after a restart with identical ids and bytes', async () => {
    const store = createMemoryObjectStore()
    const a = await service(store)
    const created = await Promise.all(['people', 'orders', 'items'].map((n) => a.register(registration(n))))
    await a.close()
    const b = await service(store)
    expect(b.list()).toEqual(created.map((c) => c.manifest).sort((x, y) => x.name.localeCompare(y.name)))
    expect(b.stats()).toEqual({ datasets: 3, skipped: 0 })
    expect((await b.register(registration('people'))).status).toBe('existing')
    expect((await rejectionOf(b.register(registration('people', PEOPLE_V2)))).code).toBe('CATALOG_SCHEMA_CONFLICT')
  })

  it('skips, logs and counts corrupt, misplaced and unreadable manifests without blocking the others', async () => {
    const inner = createMemoryObjectStore()
    inner.seed(manifestKey('good'), manifestText('good'))
    inner.seed(manifestKey('also_good'), manifestText('also_good'))
    inner.seed(manifestKey('torn'), manifestText('torn').slice(0, 40))
    inner.seed(manifestKey('binary'), new Uint8Array([0xff, 0xfe, 0x00]))
    inner.seed(manifestKey('array'), '[]')
    inner.seed(manifestKey('moved'), manifestText('other'))
    inner.seed(manifestKey('wrong_id'), manifestText('wrong_id', { dataset_id: datasetIdFor('x') }))
    inner.seed(manifestKey('bad_stamp'), manifestText('bad_stamp', { created_at: 'yesterday' }))
    inner.seed(manifestKey('bad_fp'), manifestText('bad_fp', { fingerprint: 'nope' }))
    inner.seed(manifestKey('unreadable'), manifestText('unreadable'))
    inner.seed('_system/catalog/Not-A-Name.json', manifestText('good'))
    inner.seed('_system/catalog/notes.txt', 'hello')
    inner.seed('_system/other/x.json', manifestText('x'))
    const store = createFaultyObjectStore(inner)
    store.failGet(manifestKey('unreadable'))
    const lines: string[] = []
    const svc = await createCatalogService(
      {},
      { store, logger: createLogger({ sink: (l) => lines.push(l) }), inspectObject: fakeInspector(store) },
    )
    expect(svc.list().map((m) => m.name)).toEqual(['also_good', 'good'])
    expect(svc.stats()).toEqual({ datasets: 2, skipped: 10 })
    const logged = lines.map((l) => JSON.parse(l))
    const skippedKeys = logged.filter((l) => l.msg === 'catalog manifest skipped').map((l) => l.key)
    expect(skippedKeys.sort()).toEqual(
      ['array', 'bad_fp', 'bad_stamp', 'binary', 'moved', 'torn', 'unreadable', 'wrong_id']
        .map(manifestKey)
        .concat(['_system/catalog/Not-A-Name.json', '_system/catalog/notes.txt'])
        .sort(),
    )
    expect(logged.find((l) => l.msg === 'catalog rehydrated')).toMatchObject({ datasets: 2, skipped: 10, component: 'catalog' })
  })

  it('pages through a listing that comes back truncated', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    const writer = await service(store)
    const names = Array.from({ length: 120 }, (_, i) => `ds_${String(i).padStart(3, '0')}`).concat(['a', 'b1', 'z_9'])
    for (const n of names) await writer.register(registration(n))
    const restarted = await service(store, { listPageSize: 7 })
    expect(restarted.list().map((m) => m.name)).toEqual([...names].sort())
    expect(restarted.stats()).toEqual({ datasets: names.length, skipped: 0 })
    expect(store.calls.list).toBeGreaterThan(1)
  })

  it('refuses to start with CATALOG_REHYDRATE_FAILED when storage cannot be listed', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    store.failList(true)
    const err = await rejectionOf(service(store))
    expect([err.status, err.code]).toEqual([503, 'CATALOG_REHYDRATE_FAILED'])
  })

  it('adopts a manifest it could not read at start instead of registering a drifted schema over it', async () => {
    const inner = createMemoryObjectStore()
    inner.seed(manifestKey('people'), manifestText('people'))
    const store = createFaultyObjectStore(inner)
    store.failGet(manifestKey('people'))
    const svc = await service(store)
    expect(svc.stats()).toEqual({ datasets: 0, skipped: 1 })
    // While storage still cannot answer, the catalog refuses rather than guessing.
    expect((await rejectionOf(svc.register(registration('people', PEOPLE_V2)))).code).toBe('CATALOG_PERSIST_FAILED')
    store.heal()
    const events: string[] = []
    svc.onChange((e) => events.push(e.manifest.name))
    const drift = await rejectionOf(svc.register(registration('people', PEOPLE_V2)))
    expect(drift.code).toBe('CATALOG_SCHEMA_CONFLICT')
    expect(svc.get('people')?.fingerprint).toBe(registration('people').fingerprint)
    expect(events).toEqual(['people'])
    expect(inner.text(manifestKey('people'))).toBe(manifestText('people'))
  })

  it('replaces a corrupt manifest when the name is registered again', async () => {
    const store = createMemoryObjectStore()
    store.seed(manifestKey('people'), '{"torn":')
    const svc = await service(store)
    expect(svc.stats().skipped).toBe(1)
    const r = await svc.register(registration('people', PEOPLE_V2))
    expect(r.status).toBe('created')
    const { versions, ...live } = JSON.parse(store.text(manifestKey('people')) ?? '')
    expect(live).toEqual(r.manifest)
    expect(versions).toHaveLength(1)
    expect((await service(store)).stats()).toEqual({ datasets: 1, skipped: 0 })
  })
})

describe('close', () => {
  it('lets an in-flight register finish, then refuses new ones with 503', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    store.delayPuts(20)
    const svc = await service(store)
    const inFlight = svc.register(registration('people'))
    await new Promise((r) => setTimeout(r, 1))
    await svc.close()
    expect((await inFlight).status).toBe('created')
    expect((await rejectionOf(svc.register(registration('late')))).code).toBe('CATALOG_PERSIST_FAILED')
    expect(svc.get('late')).toBeUndefined()
  })
})
