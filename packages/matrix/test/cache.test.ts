import { describe, expect, it } from 'vitest'
import { record, search, setup } from './helpers.ts'

describe('result cache', () => {
  it('serves a repeated query byte-identically, saying hit only in x-cache', async () => {
    const { svc, indexes } = await setup()
    const body = { query: 'forklift operator OSHA-10', k: 5, filters: { state: 'IL' } }
    const first = await search(svc, body)
    const second = await search(svc, body)
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['miss', 'hit'])
    expect(second.text).toBe(first.text)
    expect(second.text).not.toContain('cache')
    expect(indexes.searches).toHaveLength(1)
  })

  it('treats spelling, member order and defaults as the same request', async () => {
    const { svc } = await setup()
    const first = await search(svc, { query: 'Welder  TIG', exclude_ids: ['W-019', 'W-020'] })
    const second = await search(svc, { exclude_ids: ['W-020', 'W-019', 'W-020'], k: 10, corpora: ['workers'], query: ' welder tig ' })
    expect(second.headers.get('x-cache')).toBe('hit')
    expect(second.text).toBe(first.text)
  })

  it('misses after an add to a searched corpus, and the new answer sees the add', async () => {
    const { svc, indexes } = await setup()
    const body = { query: 'electrician industrial wiring', k: 3 }
    await search(svc, body)
    await indexes.add('workers', [
      // The query's exact text, so it ties W-001 at the top and wins the tie on id.
      { id: 'W-000', text: 'electrician industrial wiring', metadata: { role: 'electrician', certifications: [] } },
    ])
    const after = await search(svc, body)
    expect(after.headers.get('x-cache')).toBe('miss')
    expect(after.body.results[0].id).toBe('W-000')
    expect((await search(svc, body)).headers.get('x-cache')).toBe('hit')
  })

  it('expires answers after cacheTtlMs', async () => {
    const { svc, clock } = await setup({ cacheTtlMs: 1000 })
    await search(svc, { query: 'line cook' })
    clock.advance(999)
    expect((await search(svc, { query: 'line cook' })).headers.get('x-cache')).toBe('hit')
    clock.advance(1000)
    expect((await search(svc, { query: 'line cook' })).headers.get('x-cache')).toBe('miss')
  })

  it('a playbook record invalidates playbook searches but not plain ones', async () => {
    const { svc } = await setup()
    const plain = { query: 'warehouse associate picking' }
    const boosted = { query: 'warehouse associate picking', use_playbook: true }
    await search(svc, plain)
    await search(svc, boosted)
    expect((await search(svc, boosted)).headers.get('x-cache')).toBe('hit')
    // Same query, same ids, same instant: the record replaces itself, so only the generation changes.
    for (let i = 0; i < 2; i++) {
      expect((await record(svc, { query: 'warehouse associate picking', worker_ids: ['W-017'], outcome: 'success' })).status).toBe(201)
      expect((await search(svc, boosted)).headers.get('x-cache')).toBe('miss')
      expect((await search(svc, plain)).headers.get('x-cache')).toBe('hit')
    }
  })

  it('does not cache problems', async () => {
    const { svc, indexes } = await setup()
    expect((await search(svc, { query: 'q', corpora: ['later'] })).status).toBe(404)
    await indexes.create({ name: 'later', dim: 256, metric: 'cos' })
    const r = await search(svc, { query: 'q', corpora: ['later'] })
    expect([r.status, r.headers.get('x-cache')]).toEqual([200, 'miss'])
  })

  it('can be turned off', async () => {
    const { svc } = await setup({ cacheEntries: 0 })
    await search(svc, { query: 'welder' })
    expect((await search(svc, { query: 'welder' })).headers.get('x-cache')).toBe('miss')
  })
})
