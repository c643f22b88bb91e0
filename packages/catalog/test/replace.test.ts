import { createMemoryObjectStore } from '@lakehouse/storage/testing'
import { describe, expect, it } from 'vitest'
import { manifestKey } from '../src/index.ts'
import { PEOPLE_V2, registration, service } from './helpers.ts'

describe('catalog.register with replace (an escape grant was consumed by the caller)', () => {
  it('swaps in the new schema under the same dataset_id and created_at, persists it, and reports the old fingerprint', async () => {
    const store = createMemoryObjectStore()
    const svc = await service(store)
    const first = await svc.register(registration('people'))
    const replaced = await svc.register(registration('people', PEOPLE_V2), { replace: true })
    expect(replaced.status).toBe('replaced')
    expect(replaced.replaced_fingerprint).toBe(first.manifest.fingerprint)
    expect(replaced.manifest.dataset_id).toBe(first.manifest.dataset_id)
    expect(replaced.manifest.created_at).toBe(first.manifest.created_at)
    expect(replaced.manifest.schema).toEqual(PEOPLE_V2)
    expect(JSON.parse(store.text(manifestKey('people')) ?? '{}').fingerprint).toBe(replaced.manifest.fingerprint)
    const rehydrated = await service(store)
    expect(rehydrated.get('people')?.fingerprint).toBe(replaced.manifest.fingerprint)
  })

  it('never replaces through the HTTP body path', async () => {
    const svc = await service(createMemoryObjectStore())
    await svc.register(registration('people'))
    const res = await svc.handler(
      new Request('http://localhost/v1/catalog/datasets', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...registration('people', PEOPLE_V2), replace: true }),
      }),
    )
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
  })
})
