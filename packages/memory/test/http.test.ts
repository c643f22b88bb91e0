import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { MEMORY_MOUNT, UID_PATTERN } from '../src/index.ts'
import { addTrace, clock, type Json, send, service, T0, TRACES } from './helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

describe('POST /v1/memory/traces', () => {
  it('answers 201 with the trace in wire order and a Location', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const r = await send(svc, 'POST', TRACES, { content: 'Call the Smith crew first', tags: ['ops', 'crew', 'ops'] })
    expect(r.status).toBe(201)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.body.uid).toMatch(UID_PATTERN)
    expect(r.headers.get('location')).toBe(`${TRACES}/${r.body.uid}`)
    expect(r.body).toEqual({
      uid: r.body.uid,
      content: 'Call the Smith crew first',
      tags: ['crew', 'ops'],
      created_at: iso(T0),
      updated_at: iso(T0),
      predecessor: null,
      retired: false,
      replay_count: 0,
      rev: 1,
      seq: 1,
    })
    expect(Object.keys(r.body)).toEqual([
      'uid',
      'content',
      'tags',
      'created_at',
      'updated_at',
      'predecessor',
      'retired',
      'replay_count',
      'rev',
      'seq',
    ])
    expect(journal.records().map((rec) => [rec.seq, rec.kind, rec.data])).toEqual([
      [
        1,
        'memory.add',
        { uid: r.body.uid, content: 'Call the Smith crew first', tags: ['crew', 'ops'], predecessor: null, key: null, at: iso(T0) },
      ],
    ])
  })

  it('answers 200 with the same trace and replay_count + 1 when the key was seen, keeping the original content', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const first = await send(svc, 'POST', TRACES, { content: 'original', tags: ['a'], key: 'job-17' })
    expect(first.status).toBe(201)
    const again = await send(svc, 'POST', TRACES, { content: 'something else', tags: ['b'], key: 'job-17' })
    expect(again.status).toBe(200)
    expect(again.headers.get('location')).toBeNull()
    expect(again.body).toEqual({ ...first.body, replay_count: 1 })
    const third = await send(svc, 'POST', TRACES, { content: 'original', key: 'job-17' })
    expect([third.status, third.body.replay_count, third.body.content, third.body.rev]).toEqual([200, 2, 'original', 1])
    expect((await send(svc, 'GET', `${TRACES}/${first.body.uid}`)).body.replay_count).toBe(2)
    // Each replay is persisted, so the count survives a restart.
    expect(journal.records().map((r) => [r.kind, r.data])).toEqual([
      ['memory.add', expect.objectContaining({ key: 'job-17' })],
      ['memory.key_replay', { uid: first.body.uid, key: 'job-17' }],
      ['memory.key_replay', { uid: first.body.uid, key: 'job-17' }],
    ])
    const other = await send(svc, 'POST', TRACES, { content: 'original', key: 'job-18' })
    expect(other.status).toBe(201)
    expect(other.body.uid).not.toBe(first.body.uid)
    expect(svc.stats()).toMatchObject({ traces: 2, keys: 2 })
  })
})

describe('GET /v1/memory/traces/{uid}', () => {
  it('answers 200 with the trace, 404 MEMORY_NOT_FOUND for an unknown uid and 400 MEMORY_INVALID_UID for an impossible one', async () => {
    const svc = await service()
    const t = await addTrace(svc, 'hello')
    const one = await send(svc, 'GET', `${TRACES}/${t.uid}`)
    expect([one.status, one.body]).toEqual([200, t])
    const unknown = '9b2f7c1e-0000-4000-8000-000000000000'
    const missing = await send(svc, 'GET', `${TRACES}/${unknown}`)
    expect(missing.headers.get('content-type')).toBe('application/problem+json')
    expect(missing.body).toMatchObject({
      type: 'urn:lakehouse:problem:MEMORY_NOT_FOUND',
      status: 404,
      code: 'MEMORY_NOT_FOUND',
      instance: `${TRACES}/${unknown}`,
    })
    for (const bad of ['not-a-uid', t.uid.toUpperCase(), `${t.uid}0`, '%20']) {
      const r = await send(svc, 'GET', `${TRACES}/${bad}`)
      expect([bad, r.status, r.body.code]).toEqual([bad, 400, 'MEMORY_INVALID_UID'])
      expect(r.body.errors).toEqual([expect.objectContaining({ kind: 'format', field: 'uid', reason: 'invalid_uid' })])
    }
  })
})

describe('PATCH /v1/memory/traces/{uid}', () => {
  it('updates content and tags in place with rev + 1, keeping uid, seq and created_at', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const t = await addTrace(svc, 'v1', { tags: ['x'] })
    const content = await send(svc, 'PATCH', `${TRACES}/${t.uid}`, { content: 'v2' })
    expect([content.status, content.body]).toEqual([200, { ...t, content: 'v2', rev: 2, updated_at: iso(T0 + 1000) }])
    const tags = await send(svc, 'PATCH', `${TRACES}/${t.uid}`, { tags: ['z', 'y'], expected_rev: 2 })
    expect([tags.status, tags.body]).toEqual([200, { ...t, content: 'v2', tags: ['y', 'z'], rev: 3, updated_at: iso(T0 + 2000) }])
    expect((await send(svc, 'GET', `${TRACES}/${t.uid}`)).body).toEqual(tags.body)
    expect(journal.records().at(-1)).toMatchObject({ kind: 'memory.update', data: { uid: t.uid, content: 'v2', tags: ['y', 'z'] } })
  })

  it('answers 409 MEMORY_REV_CONFLICT when expected_rev is stale, and writes nothing', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const t = await addTrace(svc, 'v1')
    await send(svc, 'PATCH', `${TRACES}/${t.uid}`, { content: 'v2', expected_rev: 1 })
    const stale = await send(svc, 'PATCH', `${TRACES}/${t.uid}`, { content: 'v3', expected_rev: 1 })
    expect(stale.body).toMatchObject({ status: 409, code: 'MEMORY_REV_CONFLICT', uid: t.uid, expected_rev: 1, current_rev: 2 })
    expect(svc.get(t.uid)).toMatchObject({ content: 'v2', rev: 2 })
    expect(journal.records()).toHaveLength(2)
  })

  it('answers 409 MEMORY_RETIRED for a retired trace, 404 for an unknown one and 400 for an impossible uid', async () => {
    const svc = await service()
    const t = await addTrace(svc, 'v1')
    await send(svc, 'POST', `${TRACES}/${t.uid}/retire`)
    const retired = await send(svc, 'PATCH', `${TRACES}/${t.uid}`, { content: 'v2' })
    expect([retired.status, retired.body.code]).toEqual([409, 'MEMORY_RETIRED'])
    const unknown = await send(svc, 'PATCH', `${TRACES}/9b2f7c1e-0000-4000-8000-000000000000`, { content: 'v2' })
    expect([unknown.status, unknown.body.code]).toEqual([404, 'MEMORY_NOT_FOUND'])
    const bad = await send(svc, 'PATCH', `${TRACES}/nope`, { bogus: true })
    expect([bad.status, bad.body.code]).toEqual([400, 'MEMORY_INVALID_UID'])
  })
})

describe('POST /v1/memory/traces/{uid}/revise', () => {
  it('answers 201 with a new trace linked to its predecessor, inheriting tags unless given', async () => {
    const svc = await service()
    const a = await addTrace(svc, 'first thought', { tags: ['plan'] })
    const b = await send(svc, 'POST', `${TRACES}/${a.uid}/revise`, { content: 'second thought' })
    expect(b.status).toBe(201)
    expect(b.headers.get('location')).toBe(`${TRACES}/${b.body.uid}`)
    expect(b.body).toEqual({
      uid: b.body.uid,
      content: 'second thought',
      tags: ['plan'],
      created_at: iso(T0 + 1000),
      updated_at: iso(T0 + 1000),
      predecessor: a.uid,
      retired: false,
      replay_count: 0,
      rev: 1,
      seq: 2,
    })
    expect(b.body.uid).not.toBe(a.uid)
    const c = await send(svc, 'POST', `${TRACES}/${b.body.uid}/revise`, { content: 'third', tags: ['final'] })
    expect([c.status, c.body.predecessor, c.body.tags]).toEqual([201, b.body.uid, ['final']])
    // The predecessor is untouched.
    expect(svc.get(a.uid)).toEqual(a)
  })

  it('answers 404 MEMORY_PREDECESSOR_NOT_FOUND for an unknown predecessor and 400 for an impossible uid', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const unknown = '9b2f7c1e-0000-4000-8000-000000000000'
    const r = await send(svc, 'POST', `${TRACES}/${unknown}/revise`, { content: 'x' })
    expect(r.body).toMatchObject({ status: 404, code: 'MEMORY_PREDECESSOR_NOT_FOUND', predecessor: unknown })
    const bad = await send(svc, 'POST', `${TRACES}/xyz/revise`, { content: 'x' })
    expect([bad.status, bad.body.code]).toEqual([400, 'MEMORY_INVALID_UID'])
    expect(journal.records()).toEqual([])
  })

  it('may revise a retired trace', async () => {
    const svc = await service()
    const a = await addTrace(svc, 'old')
    await svc.retire(a.uid)
    const r = await send(svc, 'POST', `${TRACES}/${a.uid}/revise`, { content: 'new' })
    expect([r.status, r.body.predecessor, r.body.retired]).toEqual([201, a.uid, false])
  })
})

describe('POST /v1/memory/traces/{uid}/retire', () => {
  it('retires once and is idempotent after; the trace stays readable and in history but leaves search', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const a = await addTrace(svc, 'crew alpha is reliable', { tags: ['crew'] })
    const b = await send(svc, 'POST', `${TRACES}/${a.uid}/revise`, { content: 'crew alpha was reliable' })
    const r = await send(svc, 'POST', `${TRACES}/${a.uid}/retire`)
    expect([r.status, r.body]).toEqual([200, { ...a, retired: true, updated_at: iso(T0 + 2000) }])
    const again = await send(svc, 'POST', `${TRACES}/${a.uid}/retire`)
    expect([again.status, again.body]).toEqual([200, r.body])
    expect(journal.records().map((x) => x.kind)).toEqual(['memory.add', 'memory.add', 'memory.retire'])
    expect((await send(svc, 'GET', `${TRACES}/${a.uid}`)).body).toEqual(r.body)
    const history = await send(svc, 'GET', `${TRACES}/${b.body.uid}/history`)
    expect(history.body.chain.map((t: Json) => [t.uid, t.retired])).toEqual([
      [a.uid, true],
      [b.body.uid, false],
    ])
    const search = await send(svc, 'POST', '/v1/memory/search', { text: 'crew alpha' })
    expect(search.body.items.map((i: Json) => i.trace.uid)).toEqual([b.body.uid])
    const all = await send(svc, 'POST', '/v1/memory/search', { text: 'crew alpha', include_retired: true })
    expect(all.body.items.map((i: Json) => i.trace.uid)).toEqual([b.body.uid, a.uid])
    expect(svc.stats()).toMatchObject({ traces: 2, retired: 1 })
  })

  it('answers 404 for an unknown uid and 400 for an impossible one', async () => {
    const svc = await service()
    const unknown = await send(svc, 'POST', `${TRACES}/9b2f7c1e-0000-4000-8000-000000000000/retire`)
    expect([unknown.status, unknown.body.code]).toEqual([404, 'MEMORY_NOT_FOUND'])
    const bad = await send(svc, 'POST', `${TRACES}/1234/retire`)
    expect([bad.status, bad.body.code]).toEqual([400, 'MEMORY_INVALID_UID'])
  })
})

describe('GET /v1/memory/traces/{uid}/history', () => {
  it('answers the chain oldest first with truncated false, 404 for an unknown uid and 400 for an impossible one', async () => {
    const svc = await service()
    const a = await addTrace(svc, 'a')
    const b = await svc.revise(a.uid, { content: 'b' })
    const c = await svc.revise(b.uid, { content: 'c' })
    const r = await send(svc, 'GET', `${TRACES}/${c.uid}/history`)
    expect([r.status, r.body]).toEqual([200, { uid: c.uid, chain: [a, b, c], truncated: false, missing: null }])
    expect(Object.keys(r.body)).toEqual(['uid', 'chain', 'truncated', 'missing'])
    const single = await send(svc, 'GET', `${TRACES}/${a.uid}/history`)
    expect(single.body).toEqual({ uid: a.uid, chain: [a], truncated: false, missing: null })
    const unknown = await send(svc, 'GET', `${TRACES}/9b2f7c1e-0000-4000-8000-000000000000/history`)
    expect([unknown.status, unknown.body.code]).toEqual([404, 'MEMORY_NOT_FOUND'])
    const bad = await send(svc, 'GET', `${TRACES}/zzz/history`)
    expect([bad.status, bad.body.code]).toEqual([400, 'MEMORY_INVALID_UID'])
  })
})

describe('POST /v1/memory/search', () => {
  it('answers {items: [{score, trace}], total}', async () => {
    const svc = await service()
    const a = await addTrace(svc, 'Forklift certified crew in Austin', { tags: ['crew', 'tx'] })
    const b = await addTrace(svc, 'Austin crew prefers mornings', { tags: ['crew'] })
    await addTrace(svc, 'Unrelated note')
    const r = await send(svc, 'POST', '/v1/memory/search', { text: 'forklift crew', tags: ['crew'] })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      items: [
        { score: 1, trace: a },
        { score: 0.5, trace: b },
      ],
      total: 2,
    })
    const limited = await send(svc, 'POST', '/v1/memory/search', { tags: ['crew'], limit: 1 })
    expect(limited.body).toEqual({ items: [{ score: 1, trace: b }], total: 2 })
  })
})

describe('GET /v1/memory/stats', () => {
  it('reports memory counts and the journal counters', async () => {
    const svc = await service()
    const a = await addTrace(svc, 'a', { key: 'k1' })
    await addTrace(svc, 'b')
    await svc.retire(a.uid)
    const r = await send(svc, 'GET', `${MEMORY_MOUNT}/stats`)
    expect([r.status, r.body]).toEqual([
      200,
      { traces: 2, retired: 1, keys: 1, skipped_records: 0, journal: { last_seq: 3, replayed: 3, corrupt_skipped: 0, torn_tails: 0 } },
    ])
    expect(svc.stats()).toEqual(r.body)
  })
})

describe('routing', () => {
  it('answers 404 HTTP_NOT_FOUND for unknown paths and 405 with Allow for wrong methods', async () => {
    const svc = await service()
    const t = await addTrace(svc, 'x')
    for (const path of [MEMORY_MOUNT, `${MEMORY_MOUNT}/nope`, `${TRACES}/${t.uid}/nope`, `${TRACES}/${t.uid}/history/x`]) {
      const r = await send(svc, 'GET', path)
      expect([path, r.status, r.body.code]).toEqual([path, 404, 'HTTP_NOT_FOUND'])
    }
    const del = await send(svc, 'DELETE', `${TRACES}/${t.uid}`)
    expect([del.status, del.body.code, del.headers.get('allow')]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED', 'GET, HEAD, PATCH'])
    const getRetire = await send(svc, 'GET', `${TRACES}/${t.uid}/retire`)
    expect([getRetire.status, getRetire.headers.get('allow')]).toEqual([405, 'POST'])
    const getTraces = await send(svc, 'GET', TRACES)
    expect([getTraces.status, getTraces.headers.get('allow')]).toEqual([405, 'POST'])
    const postStats = await send(svc, 'POST', `${MEMORY_MOUNT}/stats`, {})
    expect([postStats.status, postStats.headers.get('allow')]).toEqual([405, 'GET, HEAD'])
  })
})

describe('copies', () => {
  it('never hands out stored state: mutating any returned trace leaves the next read unchanged', async () => {
    const svc = await service(createMemoryJournal(), { now: clock() })
    const added = (await svc.add({ content: 'keep me', tags: ['a'] })).trace as Json
    const before = svc.get(added.uid)
    added.content = 'changed'
    added.tags.push('b')
    const got = svc.get(added.uid) as Json
    expect(got).toEqual(before)
    got.tags.length = 0
    got.retired = true
    const revised = (await svc.revise(added.uid, { content: 'next' })) as Json
    const history = svc.history(revised.uid) as Json
    history.chain[0].content = 'rewritten'
    history.chain[0].tags.push('zzz')
    const found = svc.search({ text: 'keep' }) as Json
    found.items[0].trace.tags.push('zzz')
    found.items[0].trace.rev = 99
    const updated = (await svc.update(added.uid, { tags: ['c'] })) as Json
    updated.tags.push('d')
    expect(svc.get(added.uid)).toMatchObject({ content: 'keep me', tags: ['c'], retired: false, rev: 2 })
    expect(svc.history(revised.uid).chain[0]).toEqual(svc.get(added.uid))
  })

  it('keeps an input array the caller mutates later out of the stored trace', async () => {
    const svc = await service()
    const tags = ['a']
    const { trace } = await svc.add({ content: 'x', tags })
    tags.push('b')
    expect(svc.get(trace.uid)?.tags).toEqual(['a'])
  })
})
