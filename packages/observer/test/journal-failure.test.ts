import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { createObserverService, EVENT_RECORD_KIND, NODE_RECORD_KIND, RUN_RECORD_KIND } from '../src/index.ts'
import { createFakeDispatch, createFlakyJournal, getEvents, getJson, postEvents, runWorkflow, until } from './helpers.ts'

async function flakySetup() {
  const inner = createMemoryJournal()
  const flaky = createFlakyJournal(inner)
  const dispatch = createFakeDispatch()
  const svc = await createObserverService({}, { journal: flaky.journal, dispatch: dispatch.handler })
  return { svc, inner, flaky, dispatch }
}

const WORKFLOW = {
  name: 'w',
  nodes: [
    { id: 'a', mode: 'embed', input: { texts: ['a'] } },
    { id: 'b', mode: 'embed', depends_on: ['a'], input: { texts: ['b'] } },
  ],
}

describe('a failed journal append', () => {
  it('answers 503 JOURNAL_WRITE_FAILED for events and leaves the ring and counters untouched', async () => {
    const { svc, inner, flaky } = await flakySetup()
    await postEvents(svc, { type: 'before' })
    const statsBefore = svc.stats()
    flaky.failWhen((k) => k.includes(EVENT_RECORD_KIND))
    const r = await postEvents(svc, { events: [{ type: 'lost' }, { type: 'lost' }] })
    expect([r.status, r.body.code]).toEqual([503, 'JOURNAL_WRITE_FAILED'])
    expect(svc.stats()).toEqual(statsBefore)
    expect((await getEvents(svc)).body.events.map((e: { type: string }) => e.type)).toEqual(['before'])
    expect(inner.records()).toHaveLength(1)
    flaky.heal()
    expect((await postEvents(svc, { type: 'after' })).body).toEqual({ accepted: 1, first_seq: 2, last_seq: 2 })
  })

  it('does not let one failed publish block or reorder the ones behind it', async () => {
    const { svc, flaky } = await flakySetup()
    let calls = 0
    flaky.failWhen(() => ++calls === 2)
    const replies = await Promise.all([1, 2, 3].map((i) => postEvents(svc, { type: 'p', data: i })))
    expect(replies.map((r) => r.status)).toEqual([202, 503, 202])
    expect((await getEvents(svc)).body.events.map((e: { data: number }) => e.data)).toEqual([1, 3])
  })

  it('answers 503 when a node record cannot be written, and keeps no trace of the run in memory', async () => {
    const { svc, inner, flaky, dispatch } = await flakySetup()
    flaky.failWhen((k) => k.includes(NODE_RECORD_KIND))
    const r = await runWorkflow(svc, WORKFLOW)
    expect([r.status, r.body.code]).toEqual([503, 'JOURNAL_WRITE_FAILED'])
    // Scheduling stopped at the first failed append: b was never called.
    expect(dispatch.calls).toHaveLength(1)
    expect(inner.records()).toEqual([])
    expect(svc.stats().runs).toEqual({ total: 0, failed: 0, kept: 0, running: 0 })
    expect((await getJson(svc, '/v1/observer/runs')).body.runs).toEqual([])
  })

  it('answers 503 when the run record cannot be written; the node rows stay audit-only', async () => {
    const { svc, inner, flaky } = await flakySetup()
    flaky.failWhen((k) => k.includes(RUN_RECORD_KIND))
    const r = await runWorkflow(svc, WORKFLOW)
    expect([r.status, r.body.code]).toEqual([503, 'JOURNAL_WRITE_FAILED'])
    expect(inner.records().map((rec) => rec.kind)).toEqual([NODE_RECORD_KIND, NODE_RECORD_KIND])
    expect(svc.stats().runs.total).toBe(0)
    expect((await getJson(svc, '/v1/observer/runs')).body.runs).toEqual([])
    // A restart over the same journal agrees: node rows without a run record are not a run.
    const again = await createObserverService({}, { journal: inner, dispatch: createFakeDispatch().handler })
    expect(again.stats().runs.total).toBe(0)
    flaky.heal()
    expect((await runWorkflow(svc, WORKFLOW)).status).toBe(200)
  })

  it('answers 503 for skipped-node records too, after waiting for running nodes', async () => {
    const { svc, inner, flaky, dispatch } = await flakySetup()
    // The first node row (from `bad`) lands; the skip row for `skip` is the one that fails.
    flaky.failWhen((k) => k.length > 0 && k.every((kind) => kind === NODE_RECORD_KIND) && inner.records().length >= 1)
    const r = await runWorkflow(svc, {
      name: 'skips',
      nodes: [
        { id: 'bad', mode: 'validate', input: { kind: 'reject' } },
        { id: 'skip', mode: 'embed', depends_on: ['bad'], input: { texts: ['x'] } },
        { id: 'slow', mode: 'embed', input: { texts: ['slow:50'] } },
      ],
    })
    expect([r.status, r.body.code]).toEqual([503, 'JOURNAL_WRITE_FAILED'])
    // `slow` was already running: it was awaited (not abandoned), and `skip` never ran.
    expect(dispatch.calls.map((c) => c.path).sort()).toEqual(['/v1/embed', '/v1/validate'])
    expect(inner.records().map((rec) => rec.kind)).toEqual([NODE_RECORD_KIND])
    expect(svc.stats().runs).toEqual({ total: 0, failed: 0, kept: 0, running: 0 })
  })
})

describe('close()', () => {
  it('waits for running workflows, then refuses new events and runs with 503 OBSERVER_CLOSED', async () => {
    const { svc } = await flakySetup()
    await postEvents(svc, { type: 'kept' })
    const running = runWorkflow(svc, { name: 'slow', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['slow:80'] } }] })
    await until(() => svc.stats().runs.running === 1)
    await svc.close()
    expect(svc.stats().runs).toMatchObject({ total: 1, running: 0 })
    expect((await running).status).toBe(200)
    const ev = await postEvents(svc, { type: 'late' })
    expect([ev.status, ev.body.code]).toEqual([503, 'OBSERVER_CLOSED'])
    const run = await runWorkflow(svc, WORKFLOW)
    expect([run.status, run.body.code]).toEqual([503, 'OBSERVER_CLOSED'])
    // Reads still work.
    expect((await getEvents(svc)).body.events).toHaveLength(1)
  })

  it('gives up waiting after closeTimeoutMs', async () => {
    const dispatch = createFakeDispatch()
    const svc = await createObserverService({ closeTimeoutMs: 30 }, { journal: createMemoryJournal(), dispatch: dispatch.handler })
    const running = runWorkflow(svc, { name: 'slow', nodes: [{ id: 'a', mode: 'embed', input: { texts: ['slow:300'] } }] })
    await until(() => svc.stats().runs.running === 1)
    const t0 = performance.now()
    await svc.close()
    expect(performance.now() - t0).toBeLessThan(250)
    expect((await running).status).toBe(200)
  })
})
