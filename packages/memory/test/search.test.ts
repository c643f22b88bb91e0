import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { tokenize } from '../src/index.ts'
import { addData, rec, service, uid } from './helpers.ts'

const hits = (r: { items: { score: number; trace: { content: string } }[] }) => r.items.map((i) => [i.trace.content, i.score])

describe('tokenize', () => {
  it('lower-cases words of letters and digits and drops repeats', () => {
    expect(tokenize('The Fox, the FOX! fox-trot 42x éclair')).toEqual(['the', 'fox', 'trot', '42x', 'éclair'])
    expect(tokenize('... --- !!!')).toEqual([])
  })
})

describe('search', () => {
  it('scores by the share of distinct query tokens found, best first, ties newest first', async () => {
    const svc = await service()
    await svc.add({ content: 'red fox' })
    await svc.add({ content: 'The red fox jumps' })
    await svc.add({ content: 'A fox sleeps' })
    await svc.add({ content: 'Red FOX, jumping' })
    await svc.add({ content: 'nothing relevant' })
    const r = svc.search({ text: 'red fox jumps jumps' })
    expect(hits(r)).toEqual([
      ['The red fox jumps', 1],
      ['Red FOX, jumping', 2 / 3],
      ['red fox', 2 / 3],
      ['A fox sleeps', 1 / 3],
    ])
    expect(r.total).toBe(4)
  })

  it('requires every tag, scores tags-only searches 1 and orders them newest first', async () => {
    const svc = await service()
    await svc.add({ content: 'one', tags: ['crew', 'tx'] })
    await svc.add({ content: 'two', tags: ['crew'] })
    await svc.add({ content: 'three crew', tags: ['tx', 'crew', 'night'] })
    expect(hits(svc.search({ tags: ['crew'] }))).toEqual([
      ['three crew', 1],
      ['two', 1],
      ['one', 1],
    ])
    expect(hits(svc.search({ tags: ['tx', 'crew'] }))).toEqual([
      ['three crew', 1],
      ['one', 1],
    ])
    expect(hits(svc.search({ tags: ['crew', 'absent'] }))).toEqual([])
    expect(hits(svc.search({ text: 'crew one', tags: ['tx'] }))).toEqual([
      ['three crew', 0.5],
      ['one', 0.5],
    ])
  })

  it('applies limit after ranking, reports total, and defaults limit to 10', async () => {
    const svc = await service()
    for (let i = 0; i < 25; i++) await svc.add({ content: `item ${i}`, tags: ['all'] })
    const r = svc.search({ tags: ['all'], limit: 3 })
    expect([r.total, r.items.map((i) => i.trace.content)]).toEqual([25, ['item 24', 'item 23', 'item 22']])
    expect(svc.search({ text: 'item' }).items).toHaveLength(10)
    expect(svc.search({ text: 'item', limit: 100 }).items).toHaveLength(25)
  })

  it('follows updates: old words and tags stop matching, new ones start', async () => {
    const svc = await service()
    const { trace } = await svc.add({ content: 'morning shift', tags: ['am'] })
    await svc.update(trace.uid, { content: 'evening shift', tags: ['pm'] })
    expect(svc.search({ text: 'morning' }).total).toBe(0)
    expect(svc.search({ tags: ['am'] }).total).toBe(0)
    expect(hits(svc.search({ text: 'evening' }))).toEqual([['evening shift', 1]])
    expect(hits(svc.search({ text: 'shift', tags: ['pm'] }))).toEqual([['evening shift', 1]])
  })

  it('leaves retired traces out unless include_retired, also after a replay', async () => {
    const a = uid()
    const journal = createMemoryJournal({
      records: [
        rec(1, 'memory.add', addData(a, 'old plan', { tags: ['plan'] })),
        rec(2, 'memory.add', addData(uid(), 'new plan', { tags: ['plan'], predecessor: a })),
        rec(3, 'memory.retire', { uid: a, at: '2025-01-01T00:00:00.000Z' }),
      ],
    })
    const svc = await service(journal)
    expect(hits(svc.search({ text: 'plan' }))).toEqual([['new plan', 1]])
    expect(hits(svc.search({ tags: ['plan'], include_retired: true }))).toEqual([
      ['new plan', 1],
      ['old plan', 1],
    ])
  })
})
