import type { Journal, JournalRecord } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { addTrace, type Json, rejectionOf, send, service, TRACES } from './helpers.ts'

describe('serialised writes', () => {
  it('creates one trace for concurrent adds with one key; the others are replays', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => send(svc, 'POST', TRACES, { content: `c${i}`, key: 'same' })))
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1)
    expect(replies.filter((r) => r.status === 200)).toHaveLength(19)
    expect(new Set(replies.map((r) => r.body.uid)).size).toBe(1)
    expect(replies.map((r) => r.body.replay_count).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(svc.stats()).toMatchObject({ traces: 1, keys: 1 })
    expect(journal.records().filter((r) => r.kind === 'memory.add')).toHaveLength(1)
  })

  it('lets exactly one of many concurrent updates with the same expected_rev win', async () => {
    const svc = await service()
    const t = await addTrace(svc, 'v1')
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(svc, 'PATCH', `${TRACES}/${t.uid}`, { content: `v2-${i}`, expected_rev: 1 })),
    )
    expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)])
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'MEMORY_REV_CONFLICT')).toBe(true)
    expect(svc.get(t.uid)?.rev).toBe(2)
  })
})

describe('close', () => {
  it('waits for the write in flight, refuses queued and later writes with 503 MEMORY_CLOSED, keeps reads, and leaves the journal open', async () => {
    const inner = createMemoryJournal()
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let entered = () => {}
    const appending = new Promise<void>((resolve) => {
      entered = resolve
    })
    const journal: Journal = {
      ...inner,
      async append(kind, data): Promise<JournalRecord> {
        entered()
        await gate
        return inner.append(kind, data)
      },
    }
    const svc = await service(journal)
    const inFlight = svc.add({ content: 'in flight' })
    const queued = svc.add({ content: 'queued' })
    await appending
    let closed = false
    const closing = svc.close().then(() => {
      closed = true
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(closed).toBe(false)
    release()
    const { trace } = await inFlight
    await closing
    const refused: Json = await rejectionOf(queued)
    expect([refused.code, refused.status, refused.headers]).toEqual(['MEMORY_CLOSED', 503, { 'retry-after': '1' }])
    const later = await send(svc, 'POST', TRACES, { content: 'late' })
    expect([later.status, later.body.code, later.headers.get('retry-after')]).toEqual([503, 'MEMORY_CLOSED', '1'])
    expect((await send(svc, 'GET', `${TRACES}/${trace.uid}`)).status).toBe(200)
    expect(inner.records()).toHaveLength(1)
    // The caller owns the journal: memory did not close it.
    await expect(inner.append('other.kind', {})).resolves.toMatchObject({ seq: 2 })
  })
})
