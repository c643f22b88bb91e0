import { createFaultyObjectStore, createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { type ColumnSpec, manifestKey } from '../src/index.ts'
import { registration, service } from './helpers.ts'

describe('concurrent registers', () => {
  it('creates exactly once when 20 registers of the same dataset race', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    store.delayPuts(5)
    const svc = await service(store)
    let events = 0
    svc.onChange(() => {
      events++
    })
    const results = await Promise.all(Array.from({ length: 20 }, () => svc.register(registration('people'))))
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'existing')).toHaveLength(19)
    expect(new Set(results.map((r) => JSON.stringify(r.manifest))).size).toBe(1)
    expect(store.calls.put).toBe(1)
    expect(store.calls.peakPuts).toBe(1)
    expect(events).toBe(1)
  })

  it('lets exactly one of 20 racing schemas win; the others get 409 naming the winner', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    store.delayPuts(5)
    const svc = await service(store)
    const bodies = Array.from({ length: 20 }, (_, i) => registration('people', [{ name: `col_${i}`, type: 'BIGINT' }] as ColumnSpec[]))
    const settled = await Promise.allSettled(bodies.map((b) => svc.register(b)))
    const won = settled.filter((s) => s.status === 'fulfilled')
    const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(19)
    const winner = svc.get('people')
    for (const l of lost) {
      expect(l.reason.code).toBe('CATALOG_SCHEMA_CONFLICT')
      expect(l.reason.extensions.existing_fingerprint).toBe(winner?.fingerprint)
    }
    expect(new Set(lost.map((l) => l.reason.extensions.attempted_fingerprint)).size).toBe(19)
    expect(store.calls.put).toBe(1)
  })

  it('does not serialise different names behind each other', async () => {
    const store = createFaultyObjectStore(createMemoryObjectStore())
    store.delayPuts(10)
    const svc = await service(store)
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => svc.register(registration(`ds_${i}`))))
    expect(results.every((r) => r.status === 'created')).toBe(true)
    expect(store.calls.peakPuts).toBe(10)
    expect(svc.list()).toHaveLength(10)
  })

  it('keeps the registry consistent when a racing create fails to persist', async () => {
    const inner = createMemoryObjectStore()
    const store = createFaultyObjectStore(inner)
    store.delayPuts(5)
    store.failPuts(1)
    const svc = await service(store)
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => svc.register(registration('people'))))
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.status : s.reason.code))).toEqual([
      'CATALOG_PERSIST_FAILED',
      'created',
      'existing',
      'existing',
      'existing',
    ])
    // What was persisted is the manifest the registry serves, not the failed attempt's.
    const { versions, ...live } = JSON.parse(inner.text(manifestKey('people')) ?? '{}')
    expect([live, versions]).toEqual([svc.get('people'), [expect.objectContaining({ version: 1 })]])
  })
})
