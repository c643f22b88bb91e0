import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { addTrace, type Json, ORIGIN, rejectionOf, send, service, TRACES } from './helpers.ts'

const SEARCH = '/v1/memory/search'
const reasons = (body: Json) => body.errors.map((e: Json) => [e.field, e.reason])

describe('request bodies', () => {
  it('answers 400 HTTP_INVALID_REQUEST naming each bad member of an add, and writes nothing', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const cases: [unknown, [string, string][]][] = [
      [{}, [['$.content', 'required']]],
      [{ content: 42 }, [['$.content', 'type']]],
      [{ content: '' }, [['$.content', 'empty']]],
      [{ content: null }, [['$.content', 'type']]],
      [{ content: 'x', tags: 'ops' }, [['$.tags', 'type']]],
      [
        { content: 'x', tags: [1, 'Ops', 'ok', '-x', 'a b', 'x'.repeat(65)] },
        [
          ['$.tags[0]', 'type'],
          ['$.tags[1]', 'pattern'],
          ['$.tags[3]', 'pattern'],
          ['$.tags[4]', 'pattern'],
          ['$.tags[5]', 'too_long'],
        ],
      ],
      [{ content: 'x', tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, [['$.tags', 'too_long']]],
      [{ content: 'x', key: 7 }, [['$.key', 'type']]],
      [{ content: 'x', key: '' }, [['$.key', 'empty']]],
      [{ content: 'x', key: 'k'.repeat(201) }, [['$.key', 'too_long']]],
      [
        { content: 'x', extra: 1, uid: 'mine' },
        [
          ['$.extra', 'additional_property'],
          ['$.uid', 'additional_property'],
        ],
      ],
      [
        { content: 1, tags: {}, key: [], rev: 2 },
        [
          ['$.rev', 'additional_property'],
          ['$.content', 'type'],
          ['$.tags', 'type'],
          ['$.key', 'type'],
        ],
      ],
    ]
    for (const [body, expected] of cases) {
      const r = await send(svc, 'POST', TRACES, body)
      expect([JSON.stringify(body).slice(0, 60), r.status, r.body.code]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
        'HTTP_INVALID_REQUEST',
      ])
      expect(reasons(r.body)).toEqual(expected)
      for (const e of r.body.errors) expect(Object.keys(e)).toEqual(['kind', 'field', 'reason', 'message'])
    }
    for (const body of [[], 'a string', 7, null, true]) {
      const r = await send(svc, 'POST', TRACES, JSON.stringify(body))
      expect([r.status, r.body.code, reasons(r.body)]).toEqual([400, 'HTTP_INVALID_REQUEST', [['$', 'type']]])
    }
    expect(journal.records()).toEqual([])
  })

  it('answers 400 for content over maxContentChars and accepts content exactly at the limit', async () => {
    const svc = await service()
    const over = await send(svc, 'POST', TRACES, { content: 'x'.repeat(16 * 1024 + 1) })
    expect([over.status, over.body.code, reasons(over.body)]).toEqual([400, 'HTTP_INVALID_REQUEST', [['$.content', 'too_long']]])
    const at = await send(svc, 'POST', TRACES, { content: 'é'.repeat(16 * 1024), tags: Array.from({ length: 32 }, (_, i) => `t${i}`) })
    expect(at.status).toBe(201)
    const small = await service(createMemoryJournal(), { config: { maxContentChars: 10, maxTags: 2, maxKeyChars: 3 } })
    const r = await send(small, 'POST', TRACES, { content: 'x'.repeat(11), tags: ['a', 'b', 'c'], key: 'abcd' })
    expect(reasons(r.body)).toEqual([
      ['$.content', 'too_long'],
      ['$.tags', 'too_long'],
      ['$.key', 'too_long'],
    ])
  })

  it('answers 400 for an empty body or bad JSON, 415 for another media type and 413 for an oversize body', async () => {
    const svc = await service(createMemoryJournal(), { config: { maxBodyBytes: 2048 } })
    const empty = await send(svc, 'POST', TRACES, '')
    expect([empty.status, empty.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
    const noBody = await svc.handler(new Request(`${ORIGIN}${TRACES}`, { method: 'POST', headers: { 'content-type': 'application/json' } }))
    expect(noBody.status).toBe(400)
    const bad = await send(svc, 'POST', TRACES, '{"content":')
    expect([bad.status, bad.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
    const deep = await send(svc, 'POST', SEARCH, `{"text":${'['.repeat(40)}${']'.repeat(40)}}`)
    expect([deep.status, deep.body.code]).toEqual([400, 'HTTP_JSON_TOO_DEEP'])
    const text = await send(svc, 'POST', TRACES, JSON.stringify({ content: 'x' }), { 'content-type': 'text/plain' })
    expect([text.status, text.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    const big = await send(svc, 'POST', TRACES, { content: 'x'.repeat(4000) })
    expect([big.status, big.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
    expect(svc.stats().traces).toBe(0)
  })

  it('checks PATCH bodies: at least one of content/tags, a positive integer expected_rev, no unknown members', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const t = await addTrace(svc, 'x')
    const cases: [unknown, [string, string][]][] = [
      [{}, [['$', 'no_matching_alternative']]],
      [{ expected_rev: 1 }, [['$', 'no_matching_alternative']]],
      [{ content: 'y', expected_rev: 0 }, [['$.expected_rev', 'too_small']]],
      [{ content: 'y', expected_rev: 1.5 }, [['$.expected_rev', 'type']]],
      [{ content: 'y', expected_rev: '1' }, [['$.expected_rev', 'type']]],
      [{ content: '' }, [['$.content', 'empty']]],
      [{ tags: [true] }, [['$.tags[0]', 'type']]],
      [{ content: 'y', retired: true }, [['$.retired', 'additional_property']]],
      [{ content: null }, [['$.content', 'type']]],
    ]
    for (const [body, expected] of cases) {
      const r = await send(svc, 'PATCH', `${TRACES}/${t.uid}`, body)
      expect([r.status, r.body.code, reasons(r.body)]).toEqual([400, 'HTTP_INVALID_REQUEST', expected])
    }
    const notObject = await send(svc, 'PATCH', `${TRACES}/${t.uid}`, '["content"]')
    expect(reasons(notObject.body)).toEqual([['$', 'type']])
    expect(journal.records()).toHaveLength(1)
  })

  it('checks revise bodies', async () => {
    const svc = await service()
    const t = await addTrace(svc, 'x')
    const cases: [unknown, [string, string][]][] = [
      [{}, [['$.content', 'required']]],
      [{ content: 'y', tags: 'a' }, [['$.tags', 'type']]],
      [{ content: 'y', predecessor: t.uid }, [['$.predecessor', 'additional_property']]],
      [{ content: 'y', key: 'k' }, [['$.key', 'additional_property']]],
    ]
    for (const [body, expected] of cases) {
      const r = await send(svc, 'POST', `${TRACES}/${t.uid}/revise`, body)
      expect([r.status, r.body.code, reasons(r.body)]).toEqual([400, 'HTTP_INVALID_REQUEST', expected])
    }
    const malformed = await send(svc, 'POST', `${TRACES}/${t.uid}/revise`, '{')
    expect([malformed.status, malformed.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
  })

  it('checks search bodies', async () => {
    const svc = await service()
    const cases: [unknown, [string, string][]][] = [
      [{}, [['$', 'no_matching_alternative']]],
      [{ tags: [] }, [['$', 'no_matching_alternative']]],
      [{ limit: 5 }, [['$', 'no_matching_alternative']]],
      [{ text: '' }, [['$.text', 'empty']]],
      [{ text: '!!! ...' }, [['$.text', 'no_tokens']]],
      [{ text: 5 }, [['$.text', 'type']]],
      [{ text: 'a', limit: 0 }, [['$.limit', 'too_small']]],
      [{ text: 'a', limit: 101 }, [['$.limit', 'too_large']]],
      [{ text: 'a', limit: '5' }, [['$.limit', 'type']]],
      [{ text: 'a', limit: 2.5 }, [['$.limit', 'type']]],
      [{ text: 'a', include_retired: 'yes' }, [['$.include_retired', 'type']]],
      [{ text: 'a', tags: ['UPPER'] }, [['$.tags[0]', 'pattern']]],
      [{ text: 'a', q: 'a' }, [['$.q', 'additional_property']]],
      [{ text: 'x'.repeat(16 * 1024 + 1) }, [['$.text', 'too_long']]],
    ]
    for (const [body, expected] of cases) {
      const r = await send(svc, 'POST', SEARCH, body)
      expect([JSON.stringify(body).slice(0, 40), r.status, r.body.code, reasons(r.body)]).toEqual([
        JSON.stringify(body).slice(0, 40),
        400,
        'HTTP_INVALID_REQUEST',
        expected,
      ])
    }
    const ok = await send(svc, 'POST', SEARCH, { text: 'a', tags: [], limit: 100, include_retired: false })
    expect([ok.status, ok.body]).toEqual([200, { items: [], total: 0 }])
  })

  it('applies the same checks to direct calls, which reject with the same codes', async () => {
    const journal = createMemoryJournal()
    const svc = await service(journal)
    const t = (await svc.add({ content: 'x' })).trace
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller can pass anything
    const loose = svc as any
    expect((await rejectionOf(loose.add({ content: 1 }))).code).toBe('HTTP_INVALID_REQUEST')
    expect((await rejectionOf(loose.add(null))).code).toBe('HTTP_INVALID_REQUEST')
    expect((await rejectionOf(loose.update(t.uid, {}))).code).toBe('HTTP_INVALID_REQUEST')
    expect((await rejectionOf(loose.update('nope', { content: 'y' }))).code).toBe('MEMORY_INVALID_UID')
    expect((await rejectionOf(loose.revise(42, { content: 'y' }))).code).toBe('MEMORY_INVALID_UID')
    expect((await rejectionOf(loose.retire(undefined))).code).toBe('MEMORY_INVALID_UID')
    expect((await rejectionOf(() => loose.search({ limit: 3 }))).code).toBe('HTTP_INVALID_REQUEST')
    expect((await rejectionOf(() => loose.history('nope'))).code).toBe('MEMORY_INVALID_UID')
    expect(loose.get('nope')).toBeUndefined()
    expect(loose.get(42)).toBeUndefined()
    expect(journal.records()).toHaveLength(1)
  })
})
