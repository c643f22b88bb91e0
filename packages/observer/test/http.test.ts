import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { getJson, postEvents, runWorkflow, send, setup } from './helpers.ts'

const GARBAGE: unknown[] = [
  null,
  0,
  'text',
  [],
  {},
  { type: null },
  { events: null },
  { events: [null] },
  { name: 'w', nodes: [{ id: 'a', mode: 'embed', input: { $from: 'a' } }] },
  { name: 'w', nodes: [{ id: 'a', mode: 'draft', input: { channel: 'fax' } }] },
  { name: 'w', nodes: [{ id: 'a', mode: '__proto__', input: {} }] },
  { name: 'w', nodes: [{ id: 'a', mode: 'embed', input: {}, depends_on: [null] }] },
  { name: ['w'], nodes: 'a' },
]

describe('the observer HTTP surface', () => {
  it('serves stats with the journal counters', async () => {
    const { svc } = await setup()
    await postEvents(svc, { type: 'a' })
    await runWorkflow(svc, { name: 'w', nodes: [{ id: 'a', mode: 'validate', input: { kind: 'reject' } }] })
    const r = await getJson(svc, '/v1/observer/stats')
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      events: { accepted: 1, ring_size: 1, ring_capacity: 10_000, evicted: 0, evicted_through: 0, oldest_seq: 1, last_seq: 1 },
      runs: { total: 1, failed: 1, kept: 1, running: 0 },
      journal: { last_seq: 3, corrupt_skipped: 0, torn_tails: 0 },
      replay_skipped: 0,
    })
  })

  it('answers every malformed body on every endpoint with a 4xx problem, never a 5xx', async () => {
    const { svc } = await setup()
    for (const path of ['/v1/observer/events', '/v1/observer/workflows/run']) {
      for (const body of GARBAGE) {
        const r = await send(svc, jsonRequest('POST', path, JSON.stringify(body)))
        expect(r.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400)
        expect(r.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500)
        expect(r.headers.get('content-type')).toBe('application/problem+json')
        expect(r.body.instance).toBe(path)
      }
      const empty = await send(svc, new Request(TEST_ORIGIN + path, { method: 'POST', headers: { 'content-type': 'application/json' } }))
      expect([empty.status, empty.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
      const latin = await send(
        svc,
        new Request(TEST_ORIGIN + path, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' }),
      )
      expect(latin.status).toBe(415)
    }
    for (const path of [
      '/v1/observer/events?since=%00',
      '/v1/observer/events?limit=-5',
      '/v1/observer/events?type=%F0%9F%98%80',
      '/v1/observer/runs?limit=1e3',
      '/v1/observer/runs/..%2F..%2Fetc',
      '/v1/observer/stats?x=1',
    ]) {
      const r = await getJson(svc, path)
      expect(r.status, path).toBeLessThan(500)
    }
  })
})
