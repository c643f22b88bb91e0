import type { Journal } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import type { MemoryService } from '../src/index.ts'
import {
  addData,
  addTrace,
  capturingLogger,
  clock,
  dump,
  type Json,
  type MemoryJournal,
  rec,
  rejectionOf,
  send,
  service,
  TRACES,
  uid,
} from './helpers.ts'

const AT = '2025-01-01T00:00:00.000Z'

/** A mixed workload through the handler: adds, keyed adds and their replays, updates, revisions, retires. */
async function workload(svc: MemoryService, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const a = await addTrace(svc, `note ${i} about crew ${i % 3}`, { tags: [`t${i % 4}`], key: `k${i}` })
    await send(svc, 'POST', TRACES, { content: 'ignored', key: `k${i}` })
    await send(svc, 'PATCH', `${TRACES}/${a.uid}`, { content: `note ${i} revised`, expected_rev: 1 })
    const b = await send(svc, 'POST', `${TRACES}/${a.uid}/revise`, { content: `follow-up ${i}` })
    if (i % 2 === 0) await send(svc, 'POST', `${TRACES}/${b.body.uid}/retire`)
  }
}

/** Everything observable about a service's state (not the journal counters, which describe the run). */
function observe(svc: MemoryService, journal: MemoryJournal) {
  const { journal: _counters, ...counts } = svc.stats()
  const traces = dump(svc, journal)
  return {
    counts,
    traces,
    histories: traces.map((t) => (t === undefined ? undefined : svc.history(t.uid))),
    search: svc.search({ text: 'note crew follow-up revised', limit: 100, include_retired: true }),
    tagged: svc.search({ tags: ['t1'], limit: 100 }),
  }
}

describe('replay', () => {
  it('skips and counts records it cannot fold, logs the first reasons once, and keeps the rest', async () => {
    const [a, b, c] = [uid(), uid(), uid()]
    const journal = createMemoryJournal({
      records: [
        rec(1, 'memory.add', addData(a, 'alpha', { tags: ['x'], key: 'ka' })),
        rec(2, 'catalog.registered', { name: 'people' }),
        rec(3, 'memory.add', { uid: b, tags: [], predecessor: null, key: null, at: AT }),
        rec(4, 'memory.update', { uid: c, content: 'nobody', tags: [], at: AT }),
        rec(5, 'memory.retire', { uid: c, at: AT }),
        rec(6, 'memory.key_replay', { uid: a, key: 'not-ka' }),
        rec(7, 'memory.add', 'not an object'),
        rec(8, 'memory.add', addData(a, 'duplicate uid')),
        rec(9, 'memory.add', addData('NOT-A-UID', 'x')),
        rec(10, 'memory.update', { uid: a, content: 'alpha 2', tags: ['UPPER'], at: AT }),
        rec(11, 'memory.add', addData(c, 'gamma', { key: 'ka' })),
        rec(12, 'memory.update', { uid: a, content: 'alpha 2', tags: ['y', 'x', 'y'], at: 'yesterday' }),
        rec(13, 'memory.add', addData(b, 'beta', { predecessor: 'nope' })),
        rec(14, 'memory.update', { uid: a, content: 'alpha 2', tags: ['y', 'x', 'y'], at: AT }),
        rec(15, 'memory.key_replay', { uid: a, key: 'ka' }),
        rec(16, 'memory.add', addData(b, 'beta')),
        rec(17, 'memory.retire', { uid: b, at: AT }),
        rec(18, 'memory.update', { uid: b, content: 'beta 2', tags: [], at: AT }),
        rec(19, 'memory.retire', { uid: b, at: AT }),
        rec(20, 'memory.key_replay', { uid: a }),
      ],
    })
    const log = capturingLogger()
    const svc = await service(journal, { logger: log.logger })
    expect(svc.stats()).toEqual({
      traces: 2,
      retired: 1,
      keys: 1,
      skipped_records: 14,
      journal: { last_seq: 20, replayed: 20, corrupt_skipped: 0, torn_tails: 0 },
    })
    expect(svc.get(a)).toMatchObject({ content: 'alpha 2', tags: ['x', 'y'], rev: 2, replay_count: 1, seq: 1 })
    expect(svc.get(b)).toMatchObject({ content: 'beta', retired: true, rev: 1, seq: 16 })
    expect(svc.get(c)).toBeUndefined()
    const warnings = log.lines().filter((l) => l.level === 'warn')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ msg: 'memory replay skipped records', component: 'memory', skipped: 14 })
    const first = (warnings[0] as Json).first as Json[]
    expect(first.map((f) => f.seq)).toEqual([2, 3, 4, 5, 6])
    expect(first[0]).toEqual({ seq: 2, kind: 'catalog.registered', reason: 'unknown kind "catalog.registered"' })
    // Keys survive: the key of a skipped add stays free, the applied one still answers 200.
    expect((await send(svc, 'POST', TRACES, { content: 'again', key: 'ka' })).body).toMatchObject({ uid: a, replay_count: 2 })
  })

  it('logs no warning for a clean journal', async () => {
    const log = capturingLogger()
    const journal = createMemoryJournal({ records: [rec(1, 'memory.add', addData(uid(), 'fine'))] })
    await service(journal, { logger: log.logger })
    expect(log.lines().filter((l) => l.level === 'warn')).toEqual([])
    expect(log.lines().find((l) => l.msg === 'memory rebuilt')).toMatchObject({
      traces: 1,
      skipped_records: 0,
      checkpoint_seq: null,
      replayed: 1,
    })
  })

  it('rebuilds everything after a restart over the same journal', async () => {
    const journal = createMemoryJournal()
    const first = await service(journal, { config: { checkpointEvery: 0 } })
    await workload(first, 6)
    const before = observe(first, journal)
    await first.close()
    const second = await service(journal, { config: { checkpointEvery: 0 } })
    expect(observe(second, journal)).toEqual(before)
    expect(before.counts).toEqual({ traces: 12, retired: 3, keys: 6, skipped_records: 0 })
    // Keys, revs and retirement are enforced after the restart too.
    const key = await send(second, 'POST', TRACES, { content: 'x', key: 'k0' })
    expect([key.status, key.body.replay_count]).toEqual([200, 2])
    const stale = await send(second, 'PATCH', `${TRACES}/${key.body.uid}`, { content: 'y', expected_rev: 1 })
    expect(stale.body.code).toBe('MEMORY_REV_CONFLICT')
    const retired = before.traces.find((t) => t?.retired) as Json
    expect((await send(second, 'PATCH', `${TRACES}/${retired.uid}`, { content: 'y' })).body.code).toBe('MEMORY_RETIRED')
  })
})

describe('checkpoints', () => {
  /** Records the `after` each replay was asked for, so a test can see the checkpoint was used. */
  function tracking(inner: MemoryJournal): MemoryJournal & { afters: number[] } {
    const afters: number[] = []
    return {
      ...inner,
      replay(options) {
        afters.push(options?.after ?? 0)
        return inner.replay(options)
      },
      afters,
    }
  }

  it('writes a snapshot every checkpointEvery records; checkpoint + tail equals a full replay', async () => {
    const journal = tracking(createMemoryJournal())
    const svc = await service(journal, { config: { checkpointEvery: 7 } })
    await workload(svc, 5) // 5 × 4 records + 3 retires = 23 records
    await svc.close()
    expect(journal.records()).toHaveLength(23)
    const checkpoint = await journal.loadCheckpoint<Json>()
    expect(checkpoint?.seq).toBe(21)
    expect(checkpoint?.state).toMatchObject({ version: 1, skipped: 0 })

    const fromCheckpoint = await service(journal)
    expect(journal.afters).toEqual([0, 21])
    const fullJournal = createMemoryJournal({ records: journal.records() })
    const full = await service(fullJournal)
    expect(observe(fromCheckpoint, journal)).toEqual(observe(full, fullJournal))
    expect(observe(fromCheckpoint, journal)).toEqual(observe(svc, journal))
  })

  it('carries skipped records and the replayed tail through a checkpoint', async () => {
    const journal = tracking(
      createMemoryJournal({
        records: [rec(1, 'memory.add', addData(uid(), 'one')), rec(2, 'other.kind', {}), rec(3, 'memory.retire', { uid: uid(), at: AT })],
      }),
    )
    // The three replayed records count towards the first checkpoint.
    const svc = await service(journal, { now: clock(), config: { checkpointEvery: 4 } })
    await addTrace(svc, 'two')
    await svc.close()
    expect((await journal.loadCheckpoint())?.seq).toBe(4)
    const restarted = await service(journal)
    expect(journal.afters).toEqual([0, 4])
    expect(restarted.stats()).toMatchObject({ traces: 2, skipped_records: 2 })
    expect(observe(restarted, journal)).toEqual(observe(svc, journal))
  })

  it('refuses to start from a checkpoint that is not a memory snapshot', async () => {
    for (const state of [
      null,
      { version: 2, traces: [], keys: [], skipped: 0 },
      { version: 1, traces: [{ uid: 'x' }], keys: [], skipped: 0 },
    ]) {
      const journal = createMemoryJournal()
      await journal.checkpoint(3, state)
      const err = await rejectionOf(service(journal))
      expect([err.code, err.status]).toEqual(['MEMORY_CHECKPOINT_INVALID', 503])
    }
    const dangling = createMemoryJournal()
    await dangling.checkpoint(1, { version: 1, traces: [], keys: [['k', uid()]], skipped: 0 })
    expect((await rejectionOf(service(dangling))).code).toBe('MEMORY_CHECKPOINT_INVALID')
  })

  it('logs a failed checkpoint and keeps serving: the writes were already durable', async () => {
    const inner = createMemoryJournal()
    const journal: Journal = {
      ...inner,
      checkpoint: async () => {
        throw new Error('disk full')
      },
    }
    const log = capturingLogger()
    const svc = await service(journal, { logger: log.logger, config: { checkpointEvery: 2 } })
    for (let i = 0; i < 5; i++) expect((await send(svc, 'POST', TRACES, { content: `n${i}` })).status).toBe(201)
    await svc.close()
    const failures = log.lines().filter((l) => l.msg === 'memory checkpoint failed')
    expect(failures.length).toBeGreaterThanOrEqual(1)
    expect(failures[0]).toMatchObject({ level: 'error', seq: 2 })
    expect(svc.stats().traces).toBe(5)
  })
})

describe('journal errors at start', () => {
  it('rejects when the journal cannot be replayed', async () => {
    const inner = createMemoryJournal()
    const journal: Journal = {
      ...inner,
      // biome-ignore lint/correctness/useYield: the failure is the point
      async *replay() {
        throw new Error('EIO')
      },
    }
    const err = await rejectionOf(service(journal))
    expect(err.message).toBe('EIO')
  })
})
