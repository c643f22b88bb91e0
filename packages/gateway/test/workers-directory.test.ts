import type { CatalogEvent, DatasetManifest } from '@lakehouse/catalog'
import { toWorkerProfile, type WorkerProfile, type WorkerSource } from '@lakehouse/draft'
import { queryErrors } from '@lakehouse/query'
import { createInMemoryWorkerLookup } from '@lakehouse/validator'
import { describe, expect, it } from 'vitest'
import {
  createWorkersDirectory,
  gatewayDefaults,
  resolveGatewayConfig,
  WORKERS_DATASET,
  type WorkersDirectoryConfig,
} from '../src/index.ts'

const manifest = (row_count: number, object_key = 'datasets/workers/a.parquet'): DatasetManifest => ({
  dataset_id: '00000000-0000-5000-8000-000000000000',
  name: WORKERS_DATASET,
  fingerprint: 'a'.repeat(64),
  schema: [{ name: 'worker_id', type: 'VARCHAR' }],
  object_key,
  row_count,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  version: 1,
  content_hash: null,
})

/** A catalog, a query service and a store-write feed, all in memory, counting what they are asked. */
function fakes(initial: { ids?: string[]; manifest?: DatasetManifest } = {}) {
  let ids = initial.ids ?? []
  let current = initial.manifest
  const catalogListeners = new Set<(event: CatalogEvent) => void>()
  const writeListeners = new Set<(key: string) => void>()
  const sql: string[] = []
  let failNext: Error | undefined
  let gate: Promise<void> = Promise.resolve()
  const query = {
    async select(text: string, params?: unknown) {
      sql.push(text)
      // A query reads the data as it was when it started.
      const seen = ids
      await gate
      if (failNext !== undefined) {
        const err = failNext
        failNext = undefined
        throw err
      }
      const columns = [{ name: 'ids', type: 'VARCHAR[]' }]
      if (text.includes('list(')) return { columns, rows: [[[...seen]]], row_count: 1, truncated: false }
      const wanted = new Set((params as { ids: string[] }).ids)
      const rows = [...new Set(seen)].filter((id) => wanted.has(id)).map((id) => [id])
      return { columns, rows, row_count: rows.length, truncated: false }
    },
  }
  const catalog = {
    get: (name: string) => (name === WORKERS_DATASET ? current : undefined),
    onChange(listener: (event: CatalogEvent) => void) {
      catalogListeners.add(listener)
      return () => catalogListeners.delete(listener)
    },
  }
  return {
    query,
    catalog,
    sql,
    onObjectWrite(listener: (key: string) => void) {
      writeListeners.add(listener)
      return () => writeListeners.delete(listener)
    },
    listeners: () => catalogListeners.size + writeListeners.size,
    /** A register the catalog announces (new rows, replaced schema, the first ingest). */
    register(next: DatasetManifest, nextIds: string[]) {
      current = next
      ids = nextIds
      for (const l of catalogListeners) l({ type: 'registered', manifest: next })
    },
    /** The same key rewritten with other rows and nothing new in the catalog (ADR-014). */
    rewrite(key: string, nextIds: string[]) {
      for (const l of writeListeners) l(key)
      ids = nextIds
      for (const l of writeListeners) l(key)
    },
    hold() {
      let release = () => {}
      gate = new Promise((resolve) => {
        release = resolve
      })
      return release
    },
    failNext(err: Error) {
      failNext = err
    },
  }
}

/** A profile source counting its calls; ids starting with `W-` exist. */
function countingSource() {
  const calls: string[] = []
  let gate: Promise<void> = Promise.resolve()
  const source: WorkerSource = {
    async get(id) {
      calls.push(id)
      await gate
      return id.startsWith('W-') ? toWorkerProfile({ worker_id: id, name: `Name ${id}`, skills: 'a; b' }) : undefined
    },
  }
  return {
    source,
    calls,
    hold() {
      let release = () => {}
      gate = new Promise((resolve) => {
        release = resolve
      })
      return release
    },
  }
}

const config = (overrides: Partial<WorkersDirectoryConfig> = {}): WorkersDirectoryConfig => ({ ...gatewayDefaults, ...overrides })

function directory(f: ReturnType<typeof fakes>, overrides: Partial<WorkersDirectoryConfig> = {}, source?: WorkerSource) {
  return createWorkersDirectory(config(overrides), {
    catalog: f.catalog,
    query: f.query,
    listed: createInMemoryWorkerLookup(['L-1']),
    onObjectWrite: (l) => f.onObjectWrite(l),
    ...(source === undefined ? {} : { source }),
  })
}

const sorted = (set: ReadonlySet<string>) => [...set].sort()

describe('createWorkersDirectory: fill', () => {
  it('answers only the listed ids, with no query, before the dataset exists', async () => {
    const f = fakes()
    const dir = directory(f)
    expect(sorted(await dir.lookup.existing(['L-1', 'W-1']))).toEqual(['L-1'])
    expect(f.sql).toEqual([])
  })

  it('loads every id with one query for concurrent first lookups, then answers from memory', async () => {
    const f = fakes({ manifest: manifest(3), ids: ['W-1', 'W-2', 'W-3'] })
    const dir = directory(f)
    const release = f.hold()
    const answers = Promise.all(Array.from({ length: 20 }, (_, i) => dir.lookup.existing([`W-${(i % 4) + 1}`, 'L-1', 'X'])))
    release()
    const results = (await answers).map(sorted)
    expect(results.slice(0, 4)).toEqual([['L-1', 'W-1'], ['L-1', 'W-2'], ['L-1', 'W-3'], ['L-1']])
    expect(await dir.lookup.existing(['W-2', 'W-9'])).toEqual(new Set(['W-2']))
    expect(f.sql).toEqual(['SELECT list(CAST(worker_id AS VARCHAR)) AS ids FROM "workers"'])
    expect(dir.stats()).toMatchObject({ ids: 3 })
  })

  it('asks nothing when the listed ids cover the request', async () => {
    const f = fakes({ manifest: manifest(1), ids: ['W-1'] })
    const dir = directory(f)
    expect(sorted(await dir.lookup.existing(['L-1']))).toEqual(['L-1'])
    expect(f.sql).toEqual([])
  })

  it('sees a dataset registered after it was created, and a register with other rows', async () => {
    const f = fakes()
    const dir = directory(f)
    expect(sorted(await dir.lookup.existing(['W-1']))).toEqual([])
    f.register(manifest(1), ['W-1'])
    expect(sorted(await dir.lookup.existing(['W-1', 'W-2']))).toEqual(['W-1'])
    f.register(manifest(2, 'datasets/workers/b.parquet'), ['W-2', 'W-3'])
    expect(sorted(await dir.lookup.existing(['W-1', 'W-2']))).toEqual(['W-2'])
    expect(f.sql).toHaveLength(2)
  })

  it('sees a rewrite of the live object that left the catalog unchanged, and ignores writes of other keys', async () => {
    const f = fakes({ manifest: manifest(2), ids: ['W-1', 'W-2'] })
    const dir = directory(f)
    expect(sorted(await dir.lookup.existing(['W-1', 'W-3']))).toEqual(['W-1'])
    f.rewrite('datasets/parts/a.parquet', ['W-1', 'W-2'])
    f.rewrite('_system/catalog/workers.json', ['W-1', 'W-2'])
    expect(sorted(await dir.lookup.existing(['W-1', 'W-3']))).toEqual(['W-1'])
    expect(f.sql).toHaveLength(1)
    f.rewrite('datasets/workers/a.parquet', ['W-2', 'W-3'])
    expect(sorted(await dir.lookup.existing(['W-1', 'W-3']))).toEqual(['W-3'])
    expect(f.sql).toHaveLength(2)
  })

  it('never keeps a load that started before a change', async () => {
    const f = fakes({ manifest: manifest(1), ids: ['W-1'] })
    const dir = directory(f)
    const release = f.hold()
    const before = dir.lookup.existing(['W-1'])
    while (f.sql.length === 0) await Promise.resolve()
    f.register(manifest(1, 'datasets/workers/b.parquet'), ['W-2'])
    const after = dir.lookup.existing(['W-1', 'W-2'])
    release()
    // The caller that came first gets the rows its query read; the one after the change does not join it.
    expect(sorted(await before)).toEqual(['W-1'])
    expect(sorted(await after)).toEqual(['W-2'])
    expect(sorted(await dir.lookup.existing(['W-1', 'W-2']))).toEqual(['W-2'])
    expect(f.sql).toHaveLength(2)
  })

  it('does not remember a failed load: the problem reaches the caller and the next request retries', async () => {
    const f = fakes({ manifest: manifest(1), ids: ['W-1'] })
    const dir = directory(f)
    f.failNext(queryErrors.problem('QUERY_TIMEOUT', { detail: 'slow' }))
    await expect(dir.lookup.existing(['W-1'])).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' })
    expect(sorted(await dir.lookup.existing(['W-1']))).toEqual(['W-1'])
    expect(f.sql).toHaveLength(2)
  })

  it('queries per request, for the missing ids only, above workerIdSetMaxRows', async () => {
    const f = fakes({ manifest: manifest(3), ids: ['W-1', 'W-2', 'W-3'] })
    const dir = directory(f, { workerIdSetMaxRows: 2 })
    expect(sorted(await dir.lookup.existing(['W-1', 'L-1', 'W-9']))).toEqual(['L-1', 'W-1'])
    expect(sorted(await dir.lookup.existing(['W-3']))).toEqual(['W-3'])
    expect(f.sql).toHaveLength(2)
    expect(f.sql.every((s) => s.includes('unnest($ids)'))).toBe(true)
    expect(dir.stats().ids).toBeNull()
  })
})

describe('createWorkersDirectory: draft profiles', () => {
  it('serves a profile equal to the source’s, frozen, from one source call per id', async () => {
    const f = fakes({ manifest: manifest(2) })
    const s = countingSource()
    const dir = directory(f, {}, s.source)
    const release = s.hold()
    const first = Promise.all(Array.from({ length: 10 }, () => dir.source.get('W-1')))
    release()
    const profiles = await first
    const expected: WorkerProfile = (await s.source.get('W-1')) as WorkerProfile
    for (const p of [...profiles, await dir.source.get('W-1')]) expect(p).toEqual(expected)
    expect(Object.isFrozen(profiles[0]) && Object.isFrozen(profiles[0]?.skills)).toBe(true)
    expect(s.calls).toEqual(['W-1', 'W-1'])
  })

  it('remembers unknown ids per version and forgets them when the version changes', async () => {
    const f = fakes({ manifest: manifest(2) })
    const s = countingSource()
    const dir = directory(f, {}, s.source)
    expect(await dir.source.get('X-1')).toBeUndefined()
    expect(await dir.source.get('X-1')).toBeUndefined()
    expect(s.calls).toEqual(['X-1'])
    f.rewrite('datasets/workers/a.parquet', [])
    expect(await dir.source.get('X-1')).toBeUndefined()
    expect(s.calls).toEqual(['X-1', 'X-1'])
  })

  it('never serves a profile whose lookup started before a change', async () => {
    const f = fakes({ manifest: manifest(2) })
    const s = countingSource()
    const dir = directory(f, {}, s.source)
    const release = s.hold()
    const before = dir.source.get('W-1')
    f.rewrite('datasets/workers/a.parquet', [])
    const after = dir.source.get('W-1')
    release()
    await Promise.all([before, after])
    await dir.source.get('W-1')
    expect(s.calls).toEqual(['W-1', 'W-1'])
    expect(dir.stats().profiles).toBe(1)
  })

  it('drops every profile when the dataset changes', async () => {
    const f = fakes({ manifest: manifest(2) })
    const s = countingSource()
    const dir = directory(f, {}, s.source)
    await dir.source.get('W-1')
    f.register(manifest(3), [])
    expect(dir.stats()).toMatchObject({ profiles: 0, misses: 0 })
    await dir.source.get('W-1')
    expect(s.calls).toEqual(['W-1', 'W-1'])
  })

  it('holds at most workerProfileCacheSize profiles and workerMissCacheSize unknown ids', async () => {
    const f = fakes({ manifest: manifest(100) })
    const s = countingSource()
    const dir = directory(f, { workerProfileCacheSize: 3, workerMissCacheSize: 2 }, s.source)
    for (let i = 0; i < 10; i++) {
      await dir.source.get(`W-${i}`)
      await dir.source.get(`X-${i}`)
    }
    expect(dir.stats()).toMatchObject({ profiles: 3, misses: 2 })
    await dir.source.get('W-9')
    await dir.source.get('W-0')
    expect(s.calls.filter((id) => id === 'W-9')).toHaveLength(1)
    expect(s.calls.filter((id) => id === 'W-0')).toHaveLength(2)
  })

  it('caches nothing at size 0 and nothing before the dataset exists', async () => {
    const f = fakes({ manifest: manifest(2) })
    const s = countingSource()
    const off = directory(f, { workerProfileCacheSize: 0, workerMissCacheSize: 0 }, s.source)
    await off.source.get('W-1')
    await off.source.get('W-1')
    await off.source.get('X-1')
    await off.source.get('X-1')
    expect(s.calls).toHaveLength(4)
    const g = fakes()
    const t = countingSource()
    const before = directory(g, {}, t.source)
    await before.source.get('W-1')
    await before.source.get('W-1')
    expect(t.calls).toHaveLength(2)
  })

  it('passes a source failure through and does not remember it', async () => {
    const f = fakes({ manifest: manifest(2) })
    let fail = true
    const source: WorkerSource = {
      async get(id) {
        if (fail) {
          fail = false
          throw queryErrors.problem('QUERY_UNAVAILABLE', { detail: 'closing' })
        }
        return toWorkerProfile({ worker_id: id })
      },
    }
    const dir = directory(f, {}, source)
    await expect(dir.source.get('W-1')).rejects.toMatchObject({ code: 'QUERY_UNAVAILABLE' })
    expect(await dir.source.get('W-1')).toMatchObject({ worker_id: 'W-1' })
  })

  it('stops following the catalog and the store on close', () => {
    const f = fakes()
    const dir = directory(f)
    expect(f.listeners()).toBe(2)
    dir.close()
    expect(f.listeners()).toBe(0)
  })
})

describe('issue 11: a registered workers dataset that cannot be read', () => {
  const broken = () =>
    queryErrors.problem('QUERY_INVALID', {
      detail:
        'Binder Error: Referenced column "worker_id" not found\n\nLINE 1: SELECT list(CAST(worker_id AS VARCHAR)) AS ids FROM "workers"',
    })

  it('turns a 4xx of its own SQL into 503 CATALOG_DATASET_UNREADABLE with the engine problem as cause, not detail', async () => {
    const f = fakes({ manifest: manifest(1), ids: ['W-1'] })
    const dir = directory(f)
    const engine = broken()
    f.failNext(engine)
    const err = await dir.lookup.existing(['W-1']).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 503, code: 'CATALOG_DATASET_UNREADABLE', extensions: { dataset: 'workers' } })
    expect((err as Error).cause).toBe(engine)
    for (const leak of ['Binder', 'SELECT', 'LINE']) expect((err as { detail: string }).detail).not.toContain(leak)
    // Not remembered: once the dataset reads again, so does fill.
    expect(sorted(await dir.lookup.existing(['W-1']))).toEqual(['W-1'])
  })

  it('does the same for the drafter’s profile lookups', async () => {
    const f = fakes({ manifest: manifest(1), ids: ['W-1'] })
    const dir = directory(f)
    f.failNext(broken())
    await expect(dir.source.get('W-1')).rejects.toMatchObject({ status: 503, code: 'CATALOG_DATASET_UNREADABLE' })
  })

  it('leaves 5xx query problems and an unregistered dataset to their own handling', async () => {
    const f = fakes({ manifest: manifest(1), ids: ['W-1'] })
    f.failNext(queryErrors.problem('QUERY_OUT_OF_MEMORY', { detail: 'full' }))
    await expect(directory(f).lookup.existing(['W-1'])).rejects.toMatchObject({ code: 'QUERY_OUT_OF_MEMORY' })
    // Before the dataset is registered there is no view: the query source answers "no such worker".
    const none = fakes()
    none.failNext(broken())
    expect(await directory(none).source.get('W-1')).toBeUndefined()
  })
})

describe('resolveGatewayConfig: worker lookups', () => {
  it('has defaults and refuses out-of-range limits at boot', () => {
    expect(gatewayDefaults).toMatchObject({ workerProfileCacheSize: 50_000, workerMissCacheSize: 10_000, workerIdSetMaxRows: 1_000_000 })
    for (const bad of [{ workerProfileCacheSize: -1 }, { workerMissCacheSize: 1.5 }, { workerIdSetMaxRows: Number.NaN }]) {
      expect(() => resolveGatewayConfig(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    }
  })
})
