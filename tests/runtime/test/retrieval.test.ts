import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Runtime, startServer } from './servers.ts'

/**
 * Retrieval state survives a restart on each runtime: a vector index (coalesced saves,
 * flushed on SIGTERM) and the playbooks recorded against it, so a warm search with
 * use_playbook answers the same before and after.
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const work = mkdtempSync(join(tmpdir(), 'lakehouse-retrieval-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

const ITEMS = [
  { id: 'A', text: 'forklift operator OSHA-30 pallet jack loading docks', metadata: { role: 'forklift operator', state: 'OH' } },
  { id: 'B', text: 'forklift operator reach truck cycle counts', metadata: { role: 'forklift operator', state: 'OH' } },
  {
    id: 'C',
    text: 'industrial electrician conduit bending PLC troubleshooting',
    metadata: { role: 'industrial electrician', state: 'OH' },
  },
  { id: 'D', text: 'line cook grill station food prep', metadata: { role: 'line cook', state: 'TX' } },
]

describe.each(RUNTIMES)('%s retrieval state', (runtime) => {
  it('keeps a vector index and its playbooks across a restart', async () => {
    const dataDir = join(work, runtime)
    const warm = { query: 'forklift operator with OSHA-30', corpora: ['crew'], k: 3, use_playbook: true }
    const first = await startServer(runtime, { dataDir })
    let before: Record<string, unknown>
    try {
      expect((await post(first.url, '/v1/vector/indexes', { name: 'crew', dim: 384, metric: 'cos' })).status).toBe(201)
      expect((await post(first.url, '/v1/vector/indexes/crew/items', { items: ITEMS })).status).toBe(200)
      const rec = await post(first.url, '/v1/matrix/playbooks/record', {
        query: 'forklift operator OSHA-30',
        worker_ids: ['B'],
        outcome: 'success',
        corpus: 'crew',
      })
      expect(rec.status).toBe(201)
      const w = await post(first.url, '/v1/matrix/search', warm)
      expect(w.status).toBe(200)
      before = w.json
      const boosted = (before.results as { id: string; playbook?: { boost: number } }[]).find((r) => r.id === 'B')
      expect(boosted?.playbook?.boost).toBeGreaterThan(0)
    } finally {
      expect(await first.stop()).toEqual({ code: 0, signal: null })
    }
    const second = await startServer(runtime, { dataDir })
    try {
      const info = await fetch(`${second.url}/v1/vector/indexes/crew`)
      expect(((await info.json()) as { size: number }).size).toBe(ITEMS.length)
      const after = await post(second.url, '/v1/matrix/search', warm)
      expect(after.json).toEqual(before)
    } finally {
      await second.stop()
    }
  })
})
