import { compileBodySchema } from '@lakehouse/kit'
import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { eventsBodyCheck } from '../src/event-input.ts'
import { EVENT_RECORD_KIND } from '../src/index.ts'
import { FIXED_NOW, getEvents, kinds, postEvents, send, setup } from './helpers.ts'

const ev = (type: string, data: unknown = null) => ({ type, source: 'test', data })

describe('POST /v1/observer/events', () => {
  it('answers 202 with the journal seqs and stores {seq, type, source, data, at}', async () => {
    const { svc, journal } = await setup()
    const r = await postEvents(svc, { type: 'job.created', source: 'ingest', data: { id: 7 } })
    expect(r.status).toBe(202)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.body).toEqual({ accepted: 1, first_seq: 1, last_seq: 1 })
    const records = journal.records()
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      seq: 1,
      kind: EVENT_RECORD_KIND,
      data: { type: 'job.created', source: 'ingest', data: { id: 7 }, at: FIXED_NOW.toISOString() },
    })
    const page = await getEvents(svc)
    expect(page.body).toEqual({
      events: [{ seq: 1, type: 'job.created', source: 'ingest', data: { id: 7 }, at: FIXED_NOW.toISOString() }],
      next: 1,
      gap: false,
      oldest_seq: 1,
      last_seq: 1,
    })
  })

  it('defaults source and data to null', async () => {
    const { svc } = await setup()
    await postEvents(svc, { type: 'ping' })
    expect((await getEvents(svc)).body.events[0]).toEqual({ seq: 1, type: 'ping', source: null, data: null, at: FIXED_NOW.toISOString() })
  })

  it('accepts a batch in one appendMany with consecutive seqs', async () => {
    const { svc, journal } = await setup()
    const r = await postEvents(svc, { events: [ev('a.one'), ev('a.two'), ev('a.three')] })
    expect([r.status, r.body]).toEqual([202, { accepted: 3, first_seq: 1, last_seq: 3 }])
    expect(journal.stats().commits).toBe(1)
    expect(kinds(journal)).toEqual([EVENT_RECORD_KIND, EVENT_RECORD_KIND, EVENT_RECORD_KIND])
    expect((await getEvents(svc)).body.events.map((e: { type: string }) => e.type)).toEqual(['a.one', 'a.two', 'a.three'])
  })

  it('accepts a batch of exactly maxBatchEvents and refuses one more', async () => {
    const { svc } = await setup({ maxBatchEvents: 5 })
    expect((await postEvents(svc, { events: Array.from({ length: 5 }, () => ev('x')) })).status).toBe(202)
    const over = await postEvents(svc, { events: Array.from({ length: 6 }, () => ev('x')) })
    expect([over.status, over.body.code, over.body.errors[0].reason]).toEqual([400, 'HTTP_INVALID_REQUEST', 'too_long'])
  })

  it('keeps concurrent publishes in seq order in the ring', async () => {
    const { svc } = await setup()
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => postEvents(svc, { events: [ev('c', i), ev('c', i)] })))
    expect(replies.every((r) => r.status === 202)).toBe(true)
    const seqs = (await getEvents(svc, '?limit=1000')).body.events.map((e: { seq: number }) => e.seq)
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
  })

  it('never refuses when the ring is full: it evicts the oldest', async () => {
    const { svc } = await setup({ ringCapacity: 3 })
    for (let i = 1; i <= 5; i++) expect((await postEvents(svc, ev('tick', i))).status).toBe(202)
    const page = await getEvents(svc)
    expect(page.body.events.map((e: { data: number }) => e.data)).toEqual([3, 4, 5])
    expect(page.body).toMatchObject({ oldest_seq: 3, last_seq: 5, next: 5 })
    expect(svc.stats().events).toMatchObject({ accepted: 5, ring_size: 3, ring_capacity: 3, evicted: 2, evicted_through: 2 })
  })

  const BAD_BODIES: [string, unknown, string, string][] = [
    ['a non-object body', [1, 2], '$', 'type'],
    ['a missing type', { source: 'x' }, '$.type', 'required'],
    ['a non-string type', { type: 5 }, '$.type', 'type'],
    ['an upper-case type', { type: 'Job.Created' }, '$.type', 'pattern'],
    ['a type of 65 characters', { type: `a${'b'.repeat(64)}` }, '$.type', 'pattern'],
    ['an empty source', { type: 'a', source: '' }, '$.source', 'empty'],
    ['a source of 257 characters', { type: 'a', source: 's'.repeat(257) }, '$.source', 'too_long'],
    ['a numeric source', { type: 'a', source: 3 }, '$.source', 'type'],
    ['an unknown member', { type: 'a', extra: true }, '$.extra', 'additional_property'],
    ['events that is not an array', { events: {} }, '$.events', 'type'],
    ['an empty batch', { events: [] }, '$.events', 'empty'],
    ['a bad event in a batch', { events: [{ type: 'ok' }, { type: '' }] }, '$.events[1].type', 'pattern'],
    ['an unknown member in a batched event', { events: [{ type: 'ok', sauce: 1 }] }, '$.events[0].sauce', 'additional_property'],
    ['a batch with a stray member', { events: [{ type: 'ok' }], type: 'x' }, '$.type', 'additional_property'],
  ]

  describe.each(BAD_BODIES)('with %s', (_label, body, field, reason) => {
    it('answers 400 HTTP_INVALID_REQUEST naming the field and reason, and records nothing', async () => {
      const { svc, journal } = await setup()
      const r = await postEvents(svc, body)
      expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
      expect(r.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])).toContainEqual([field, reason])
      for (const e of r.body.errors) expect(Object.keys(e).sort()).toEqual(['field', 'kind', 'message', 'reason'])
      expect(journal.records()).toEqual([])
      expect(svc.stats().events.ring_size).toBe(0)
    })
  })

  it('checks each body against the form its members pick, with the verdict of the published oneOf schema', async () => {
    const { svc } = await setup({ maxBatchEvents: 2 })
    const published = compileBodySchema(eventsBodyCheck(2).schema)
    const good: unknown[] = [{ type: 'a' }, { type: 'a', source: null, data: [1] }, { events: [{ type: 'a' }, { type: 'b' }] }]
    const more: unknown[] = [{}, null, { events: [ev('a'), ev('b'), ev('c')] }, { events: [{ type: 'a' }], source: 'x' }]
    for (const body of [...good, ...more, ...BAD_BODIES.map(([, b]) => b)]) {
      const accepted = (await postEvents(svc, body)).status === 202
      let fits = true
      try {
        published(body)
      } catch {
        fits = false
      }
      expect([body, accepted]).toEqual([body, fits])
    }
  })

  it('answers 413 OBSERVER_EVENT_TOO_LARGE for an event over maxEventBytes, naming the index in a batch', async () => {
    const { svc, journal } = await setup({ maxEventBytes: 1024 })
    const single = await postEvents(svc, ev('big', 'x'.repeat(2000)))
    expect([single.status, single.body.code, single.body.limit_bytes]).toEqual([413, 'OBSERVER_EVENT_TOO_LARGE', 1024])
    const batch = await postEvents(svc, { events: [ev('ok'), ev('big', 'x'.repeat(2000))] })
    expect([batch.status, batch.body.code, batch.body.index]).toEqual([413, 'OBSERVER_EVENT_TOO_LARGE', 1])
    const one = await postEvents(svc, { events: [ev('big', 'x'.repeat(2000))] })
    expect([one.status, one.body.index]).toEqual([413, 0])
    expect(single.body).not.toHaveProperty('index')
    expect(journal.records()).toEqual([])
  })

  it('accepts an event of exactly the default 16 KiB', async () => {
    const { svc } = await setup()
    const overhead = JSON.stringify({ type: 'edge', source: null, data: '' }).length
    expect((await postEvents(svc, { type: 'edge', data: 'x'.repeat(16 * 1024 - overhead) })).status).toBe(202)
    expect((await postEvents(svc, { type: 'edge', data: 'x'.repeat(16 * 1024 - overhead + 1) })).status).toBe(413)
  })

  it('answers 415, 400 and 413 from the body reader', async () => {
    const { svc } = await setup({ maxBodyBytes: 2048 })
    const noType = await send(svc, new Request(`${TEST_ORIGIN}/v1/observer/events`, { method: 'POST', body: '{"type":"a"}' }))
    expect([noType.status, noType.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    const malformed = await postEvents(svc, '{"type":')
    expect([malformed.status, malformed.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
    const big = await postEvents(svc, { type: 'a', data: 'x'.repeat(4096) })
    expect([big.status, big.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
    const deep = await postEvents(svc, `{"type":"a","data":${'['.repeat(100)}${']'.repeat(100)}}`)
    expect([deep.status, deep.body.code]).toEqual([400, 'HTTP_JSON_TOO_DEEP'])
  })

  it('answers 405 with Allow on other methods', async () => {
    const { svc } = await setup()
    const r = await send(svc, jsonRequest('DELETE', '/v1/observer/events'))
    expect([r.status, r.body.code, r.headers.get('allow')]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED', 'GET, HEAD, POST'])
  })
})

describe('GET /v1/observer/events', () => {
  it('pages with since and limit; next is the last returned seq, or since when nothing is newer', async () => {
    const { svc } = await setup()
    await postEvents(svc, { events: Array.from({ length: 7 }, (_, i) => ev('page', i)) })
    const first = await getEvents(svc, '?limit=3')
    expect(first.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3])
    expect(first.body.next).toBe(3)
    const second = await getEvents(svc, `?since=${first.body.next}&limit=3`)
    expect(second.body.events.map((e: { seq: number }) => e.seq)).toEqual([4, 5, 6])
    const third = await getEvents(svc, `?since=${second.body.next}&limit=3`)
    expect(third.body.events.map((e: { seq: number }) => e.seq)).toEqual([7])
    const empty = await getEvents(svc, `?since=${third.body.next}&limit=3`)
    expect(empty.body).toEqual({ events: [], next: 7, gap: false, oldest_seq: 1, last_seq: 7 })
    const future = await getEvents(svc, '?since=100')
    expect(future.body).toMatchObject({ events: [], next: 100, gap: false })
  })

  it('defaults limit to 100 and caps it at 1,000', async () => {
    const { svc } = await setup()
    await postEvents(svc, { events: Array.from({ length: 1000 }, () => ev('bulk')) })
    await postEvents(svc, { events: Array.from({ length: 50 }, () => ev('bulk')) })
    expect((await getEvents(svc)).body.events).toHaveLength(100)
    expect((await getEvents(svc, '?limit=1000')).body.events).toHaveLength(1000)
    const over = await getEvents(svc, '?limit=1001')
    expect([over.status, over.body.code, over.body.errors[0].field]).toEqual([400, 'HTTP_INVALID_REQUEST', 'limit'])
  })

  it('filters by type', async () => {
    const { svc } = await setup()
    await postEvents(svc, { events: [ev('a'), ev('b'), ev('a'), ev('b')] })
    const r = await getEvents(svc, '?type=b')
    expect(r.body.events.map((e: { seq: number }) => e.seq)).toEqual([2, 4])
    expect(r.body.next).toBe(4)
  })

  it('says gap exactly when events newer than since were evicted', async () => {
    const { svc } = await setup({ ringCapacity: 4 })
    await postEvents(svc, { events: Array.from({ length: 10 }, (_, i) => ev('g', i + 1)) })
    // Seqs 1..6 evicted, 7..10 kept.
    const at = async (since: number) => (await getEvents(svc, `?since=${since}`)).body
    expect(await at(0)).toMatchObject({ gap: true, oldest_seq: 7, last_seq: 10 })
    expect((await at(0)).events.map((e: { seq: number }) => e.seq)).toEqual([7, 8, 9, 10])
    expect((await at(5)).gap).toBe(true)
    expect((await at(6)).gap).toBe(false)
    expect((await at(6)).events).toHaveLength(4)
    expect((await at(9)).gap).toBe(false)
    expect(svc.stats().events.evicted_through).toBe(6)
  })

  it('lets a client that keeps up never see a gap while the ring wraps', async () => {
    const { svc } = await setup({ ringCapacity: 5 })
    let cursor = 0
    const seen: number[] = []
    for (let round = 0; round < 6; round++) {
      await postEvents(svc, { events: [ev('w'), ev('w'), ev('w')] })
      const page = (await getEvents(svc, `?since=${cursor}`)).body
      expect(page.gap).toBe(false)
      seen.push(...page.events.map((e: { seq: number }) => e.seq))
      cursor = page.next
    }
    expect(seen).toEqual(Array.from({ length: 18 }, (_, i) => i + 1))
  })

  it.each([
    ['?since=-1', 'since'],
    ['?since=abc', 'since'],
    ['?since=1.5', 'since'],
    ['?since=99999999999999999', 'since'],
    ['?limit=0', 'limit'],
    ['?limit=ten', 'limit'],
    ['?type=Bad%20Type', 'type'],
    ['?type=', 'type'],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (query, field) => {
    const { svc } = await setup()
    const r = await getEvents(svc, query)
    expect([r.status, r.body.code, r.body.errors[0].field]).toEqual([400, 'HTTP_INVALID_REQUEST', field])
  })

  it('reports an empty ring as oldest_seq null and last_seq 0', async () => {
    const { svc } = await setup()
    expect((await getEvents(svc)).body).toEqual({ events: [], next: 0, gap: false, oldest_seq: null, last_seq: 0 })
  })
})
