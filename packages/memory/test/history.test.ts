import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { addData, clock, type Json, rec, send, service, TRACES, uid } from './helpers.ts'

const uidsOf = (body: Json) => body.chain.map((t: Json) => t.uid)

describe('history', () => {
  it('orders the chain by journal seq while the clock runs backwards', async () => {
    // Each call of the clock is an hour earlier than the one before.
    const svc = await service(createMemoryJournal(), { now: clock(-3_600_000) })
    const a = (await svc.add({ content: 'a' })).trace
    const b = await svc.revise(a.uid, { content: 'b' })
    const c = await svc.revise(b.uid, { content: 'c' })
    const r = await send(svc, 'GET', `${TRACES}/${c.uid}/history`)
    expect(uidsOf(r.body)).toEqual([a.uid, b.uid, c.uid])
    expect(r.body.chain.map((t: Json) => t.seq)).toEqual([1, 2, 3])
    const created = r.body.chain.map((t: Json) => Date.parse(t.created_at))
    expect(created[0]).toBeGreaterThan(created[1])
    expect(created[1]).toBeGreaterThan(created[2])
  })

  it('orders by seq, not by walk order or timestamps, when a journal holds links forward', async () => {
    // Replay accepts a predecessor that is created later (another writer, or a skipped record
    // re-appended); the chain is still in seq order.
    const [a, b, c] = [uid(), uid(), uid()]
    const journal = createMemoryJournal({
      records: [
        rec(1, 'memory.add', addData(c, 'c', { predecessor: b, at: '2025-01-01T00:00:00.000Z' })),
        rec(2, 'memory.add', addData(a, 'a', { at: '2025-03-01T00:00:00.000Z' })),
        rec(3, 'memory.add', addData(b, 'b', { predecessor: a, at: '2024-01-01T00:00:00.000Z' })),
      ],
    })
    const svc = await service(journal)
    const r = await send(svc, 'GET', `${TRACES}/${c}/history`)
    expect([r.status, uidsOf(r.body), r.body.truncated]).toEqual([200, [c, a, b], false])
  })

  it('answers 409 MEMORY_HISTORY_CYCLE for a two-trace cycle, a self-link and a chain that runs into a cycle', async () => {
    const [a, b, self, tail] = [uid(), uid(), uid(), uid()]
    const journal = createMemoryJournal({
      records: [
        rec(1, 'memory.add', addData(a, 'a', { predecessor: b })),
        rec(2, 'memory.add', addData(b, 'b', { predecessor: a })),
        rec(3, 'memory.add', addData(self, 'self', { predecessor: self })),
        rec(4, 'memory.add', addData(tail, 'tail', { predecessor: a })),
      ],
    })
    const svc = await service(journal)
    expect(svc.stats().skipped_records).toBe(0)
    const two = await send(svc, 'GET', `${TRACES}/${a}/history`)
    expect(two.body).toMatchObject({ status: 409, code: 'MEMORY_HISTORY_CYCLE', uid: a, repeated: a })
    const one = await send(svc, 'GET', `${TRACES}/${self}/history`)
    expect(one.body).toMatchObject({ status: 409, code: 'MEMORY_HISTORY_CYCLE', uid: self, repeated: self })
    const into = await send(svc, 'GET', `${TRACES}/${tail}/history`)
    expect(into.body).toMatchObject({ status: 409, code: 'MEMORY_HISTORY_CYCLE', uid: tail, repeated: a })
    // The traces themselves stay readable.
    expect((await send(svc, 'GET', `${TRACES}/${a}`)).status).toBe(200)
  })

  it('returns the chain so far with truncated and missing when a link is absent', async () => {
    const [gone, a, b] = [uid(), uid(), uid()]
    const journal = createMemoryJournal({
      records: [
        // The predecessor's own record is unreadable (no content), so replay skipped it.
        rec(1, 'memory.add', { uid: gone, tags: [], predecessor: null, key: null, at: '2025-01-01T00:00:00.000Z' }),
        rec(2, 'memory.add', addData(a, 'a', { predecessor: gone })),
        rec(3, 'memory.add', addData(b, 'b', { predecessor: a })),
      ],
    })
    const svc = await service(journal)
    const r = await send(svc, 'GET', `${TRACES}/${b}/history`)
    expect(r.status).toBe(200)
    expect({ ...r.body, chain: uidsOf(r.body) }).toEqual({ uid: b, chain: [a, b], truncated: true, missing: gone })
    expect(svc.stats().skipped_records).toBe(1)
  })
})
