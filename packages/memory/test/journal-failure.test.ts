import { journalErrors } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { addTrace, dump, faultyJournal, type Json, send, service, TRACES } from './helpers.ts'

describe('a failed append', () => {
  it('answers the journal problem (503 JOURNAL_WRITE_FAILED) for every write and leaves memory unchanged', async () => {
    const journal = faultyJournal(createMemoryJournal())
    const svc = await service(journal)
    const a = await addTrace(svc, 'alpha', { key: 'ka', tags: ['x'] })
    const b = await addTrace(svc, 'beta')
    const before = { traces: dump(svc, journal), stats: svc.stats(), records: journal.records() }

    journal.failWith(journalErrors.problem('JOURNAL_WRITE_FAILED', { detail: 'fsync failed: EIO' }))
    const attempts: [string, string, unknown][] = [
      ['POST', TRACES, { content: 'gamma' }],
      ['POST', TRACES, { content: 'alpha again', key: 'ka' }],
      ['PATCH', `${TRACES}/${a.uid}`, { content: 'alpha 2', expected_rev: 1 }],
      ['POST', `${TRACES}/${a.uid}/revise`, { content: 'alpha revised' }],
      ['POST', `${TRACES}/${b.uid}/retire`, undefined],
    ]
    for (const [method, path, body] of attempts) {
      const r = await send(svc, method, path, body)
      expect([method, path, r.status, r.body.code]).toEqual([method, path, 503, 'JOURNAL_WRITE_FAILED'])
      expect(r.headers.get('content-type')).toBe('application/problem+json')
    }
    expect({ traces: dump(svc, journal), stats: svc.stats(), records: journal.records() }).toEqual(before)
    expect(svc.search({ text: 'gamma' }).total).toBe(0)

    // Once the journal recovers, the same writes succeed and see the unchanged state.
    journal.failWith(undefined)
    const replay = await send(svc, 'POST', TRACES, { content: 'alpha again', key: 'ka' })
    expect([replay.status, replay.body.replay_count]).toEqual([200, 1])
    const update = await send(svc, 'PATCH', `${TRACES}/${a.uid}`, { content: 'alpha 2', expected_rev: 1 })
    expect([update.status, update.body.rev]).toEqual([200, 2])
    expect((await send(svc, 'POST', `${TRACES}/${b.uid}/retire`)).body.retired).toBe(true)
  })

  it('propagates JOURNAL_RECORD_TOO_LARGE as 413 and an unknown failure as 500 INTERNAL, with memory unchanged', async () => {
    const journal = faultyJournal(createMemoryJournal())
    const svc = await service(journal)
    journal.failWith(journalErrors.problem('JOURNAL_RECORD_TOO_LARGE'))
    const large = await send(svc, 'POST', TRACES, { content: 'x' })
    expect([large.status, large.body.code]).toEqual([413, 'JOURNAL_RECORD_TOO_LARGE'])
    journal.failWith(new Error('/secret/path: EBADF'))
    const internal = await send(svc, 'POST', TRACES, { content: 'x' })
    expect([internal.status, internal.body.code]).toEqual([500, 'INTERNAL'])
    expect(JSON.stringify(internal.body as Json)).not.toContain('/secret/path')
    expect(svc.stats()).toMatchObject({ traces: 0, keys: 0 })
  })

  it('lets the journal problem reach direct callers unchanged', async () => {
    const journal = faultyJournal(createMemoryJournal())
    const svc = await service(journal)
    const failure = journalErrors.problem('JOURNAL_WRITE_FAILED')
    journal.failWith(failure)
    await expect(svc.add({ content: 'x' })).rejects.toBe(failure)
  })
})
