import { createHash } from 'node:crypto'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { EVENT_RECORD_KIND, NODE_RECORD_KIND, RUN_RECORD_KIND } from '../src/index.ts'
import { getEvents, getJson, type Json, kinds, postEvents, runWorkflow, SQL_ANSWER, setup } from './helpers.ts'

const WORKFLOW = {
  name: 'audited',
  nodes: [
    { id: 'q', mode: 'sql', input: { sql: 'SELECT 1' } },
    { id: 'bad', mode: 'validate', depends_on: ['q'], input: { kind: 'reject' } },
    { id: 'after', mode: 'embed', depends_on: ['bad'], input: { texts: ['x'] } },
  ],
}

describe('audit records', () => {
  it('appends one observer.node per node (as it finishes) and one observer.run at the end', async () => {
    const { svc, journal } = await setup()
    const r = await runWorkflow(svc, WORKFLOW)
    expect(kinds(journal)).toEqual([NODE_RECORD_KIND, NODE_RECORD_KIND, NODE_RECORD_KIND, RUN_RECORD_KIND])
    const [q, bad, after, run] = journal.records().map((rec) => rec.data as Json)
    const sqlText = JSON.stringify(SQL_ANSWER)
    expect(q).toEqual({
      run_id: r.body.run_id,
      workflow: 'audited',
      node: 'q',
      mode: 'sql',
      status: 'ok',
      started_at: r.body.nodes[0].started_at,
      duration_ms: r.body.nodes[0].duration_ms,
      output_digest: { bytes: Buffer.byteLength(sqlText), sha256: createHash('sha256').update(sqlText).digest('hex') },
    })
    expect(bad).toMatchObject({ node: 'bad', status: 'failed', error_code: 'VALIDATION_FAILED', error_status: 422 })
    expect(bad.output_digest).toBeUndefined()
    expect(after).toMatchObject({ node: 'after', status: 'skipped', skipped_because: 'bad', started_at: null, duration_ms: 0 })
    // The run record is the run as answered (it fits), outputs included.
    expect(run).toEqual(r.body)
    expect(svc.stats().runs).toMatchObject({ total: 1, failed: 1, kept: 1, running: 0 })
  })

  it('truncates the run record to maxRunRecordBytes (largest outputs first) but answers the whole run', async () => {
    const { svc, journal } = await setup({ maxRunRecordBytes: 48 * 1024 })
    const r = await runWorkflow(svc, {
      name: 'big',
      nodes: [
        { id: 'large', mode: 'embed', input: { texts: ['huge:40000'] } },
        { id: 'larger', mode: 'embed', input: { texts: ['huge:45000'] } },
        { id: 'small', mode: 'embed', input: { texts: ['huge:10'] } },
      ],
    })
    expect(r.body.truncated).toBe(false)
    expect(r.body.nodes[1].output.blob).toHaveLength(45000)
    const stored = journal.records().at(-1)
    expect(stored?.kind).toBe(RUN_RECORD_KIND)
    expect(Buffer.byteLength(JSON.stringify(stored?.data))).toBeLessThanOrEqual(48 * 1024)
    const data = stored?.data as Json
    expect(data.truncated).toBe(true)
    expect(data.nodes[1]).not.toHaveProperty('output')
    expect(data.nodes[1].output_truncated).toBe(true)
    // Dropping the largest output was enough; the others are kept.
    expect(data.nodes[0].output.blob).toHaveLength(40000)
    expect(data.nodes[2].output).toEqual({ blob: 'x'.repeat(10) })
    const got = await getJson(svc, `/v1/observer/runs/${r.body.run_id}`)
    expect(got.body).toEqual(data)
  })
})

describe('restart', () => {
  it('rebuilds runs and the event ring (with its gap watermark) from the journal', async () => {
    const journal = createMemoryJournal()
    const first = await setup({ ringCapacity: 3 }, journal)
    await postEvents(first.svc, { events: [{ type: 'a' }, { type: 'b' }] })
    const run = await runWorkflow(first.svc, WORKFLOW)
    await postEvents(first.svc, { events: [{ type: 'c' }, { type: 'd' }, { type: 'e' }] })
    const before = {
      events: (await getEvents(first.svc)).body,
      stats: first.svc.stats(),
      runs: (await getJson(first.svc, '/v1/observer/runs')).body,
    }
    expect(before.events.gap).toBe(true)
    await first.svc.close()

    const second = await setup({ ringCapacity: 3 }, journal)
    expect((await getEvents(second.svc)).body).toEqual(before.events)
    expect((await getEvents(second.svc, `?since=${before.stats.events.evicted_through}`)).body.gap).toBe(false)
    expect(second.svc.stats()).toEqual({ ...before.stats, runs: { ...before.stats.runs, running: 0 } })
    expect((await getJson(second.svc, `/v1/observer/runs/${run.body.run_id}`)).body).toEqual(run.body)
    expect((await getJson(second.svc, '/v1/observer/runs')).body).toEqual(before.runs)

    // New events continue after the journal's seq.
    const more = await postEvents(second.svc, { type: 'f' })
    expect(more.body.first_seq).toBe(journal.stats().last_seq)
  })

  it('keeps the newest ringCapacity events and maxRuns runs when the journal holds more', async () => {
    const journal = createMemoryJournal()
    const big = await setup({}, journal)
    await postEvents(big.svc, { events: Array.from({ length: 10 }, (_, i) => ({ type: 'n', data: i })) })
    for (let i = 0; i < 4; i++)
      await runWorkflow(big.svc, { name: `run${i}`, nodes: [{ id: 'a', mode: 'embed', input: { texts: ['x'] } }] })
    const small = await setup({ ringCapacity: 4, maxRuns: 2 }, journal)
    const page = (await getEvents(small.svc)).body
    expect(page.events.map((e: Json) => e.data)).toEqual([6, 7, 8, 9])
    expect(page.gap).toBe(true)
    expect(small.svc.stats().events).toMatchObject({ accepted: 10, ring_size: 4, evicted: 6, evicted_through: 6 })
    expect((await getJson(small.svc, '/v1/observer/runs')).body.runs.map((r: Json) => r.name)).toEqual(['run3', 'run2'])
    expect(small.svc.stats().runs).toMatchObject({ total: 4, kept: 2 })
  })

  it("ignores other components' records and counts observer records of the wrong shape", async () => {
    const journal = createMemoryJournal()
    await journal.append('memory.trace', { uid: 't1' })
    await journal.append(EVENT_RECORD_KIND, { type: 'ok', source: null, data: 1, at: '2025-01-01T00:00:00.000Z' })
    await journal.append(EVENT_RECORD_KIND, { nonsense: true })
    await journal.append(RUN_RECORD_KIND, 'not a run')
    const { svc } = await setup({}, journal)
    expect((await getEvents(svc)).body.events).toEqual([{ seq: 2, type: 'ok', source: null, data: 1, at: '2025-01-01T00:00:00.000Z' }])
    expect(svc.stats().replay_skipped).toBe(2)
    expect(svc.stats().journal).toEqual({ last_seq: 4, corrupt_skipped: 0, torn_tails: 0 })
  })
})
