import { describe, expect, it } from 'vitest'
import { compareResponses, parseBody } from '../../src/diff/index.ts'
import { EMPTY_RULES } from '../../src/model.ts'
import { json, observed, rules, text } from './observed.ts'

const NAMES = { baseline: 'node', candidate: 'bun' }

describe('compareResponses: status', () => {
  it('reports a different status as a breaking status finding', () => {
    expect(compareResponses(json('{}', { status: 200 }), json('{}', { status: 201 }), EMPTY_RULES, NAMES).findings).toEqual([
      {
        class: 'status',
        risk: 'breaking',
        path: 'status',
        baseline: 200,
        candidate: 201,
        shape: '200→201',
        message: 'status 200 on node, status 201 on bun',
      },
    ])
  })

  it('names the sides baseline and candidate when no names are given', () => {
    expect(compareResponses(json('1', { status: 200 }), json('1', { status: 500 }), EMPTY_RULES).findings[0]?.message).toBe(
      'status 200 on baseline, status 500 on candidate',
    )
  })

  it('orders findings status, then headers by name, then body in document order', () => {
    const a = json('{"z":1,"a":[1,2]}', { status: 200, headers: { 'x-b': '1', 'x-a': '1' } })
    const b = json('{"z":2,"a":[1],"m":0}', { status: 404, headers: { 'x-a': '2', 'x-b': '2' } })
    expect(compareResponses(a, b, EMPTY_RULES).findings.map((f) => f.path)).toEqual([
      'status',
      'header:x-a',
      'header:x-b',
      '$.z',
      '$.a[1]',
      '$.m',
    ])
  })
})

describe('compareResponses: body kinds', () => {
  it('reports json against text as one breaking type finding at $', () => {
    expect(compareResponses(json('{"ok":true}'), text('ok'), EMPTY_RULES, NAMES).findings).toEqual([
      {
        class: 'header',
        risk: 'breaking',
        path: 'header:content-type',
        baseline: 'application/json',
        candidate: 'text/plain',
        shape: 'value',
        message: expect.any(String),
      },
      {
        class: 'type',
        risk: 'breaking',
        path: '$',
        baseline: { ok: true },
        candidate: 'ok',
        shape: 'json body→text body',
        message: 'json body on node, text body on bun',
      },
    ])
  })

  it('compares text bodies whole, as a medium value difference', () => {
    expect(compareResponses(text('hello'), text('hello'), EMPTY_RULES).findings).toEqual([])
    expect(compareResponses(text('hello world'), text('hello there'), EMPTY_RULES, NAMES).findings).toEqual([
      {
        class: 'value',
        risk: 'medium',
        path: '$',
        baseline: 'hello world',
        candidate: 'hello there',
        shape: 'text body',
        message: 'text bodies differ from character 6 (11 characters on node, 11 characters on bun)',
      },
    ])
  })

  it('treats a body labelled JSON that does not parse as text', () => {
    expect(parseBody({ kind: 'json', text: '{"a":' })).toMatchObject({ kind: 'text', text: '{"a":' })
    const [f] = compareResponses(json('{"a":1}'), json('{"a":'), EMPTY_RULES, NAMES).findings
    expect(f).toMatchObject({ class: 'type', path: '$', message: 'json body on node, invalid json body on bun' })
  })

  it('compares binary bodies by content and shows sizes, not base64', () => {
    const bin = (base64: string, size: number) => observed({ kind: 'binary', base64, size }, { headers: {} })
    expect(compareResponses(bin('AAEC', 3), bin('AAEC', 3), EMPTY_RULES).findings).toEqual([])
    expect(compareResponses(bin('AAEC', 3), bin('AAED', 3), EMPTY_RULES, NAMES).findings).toEqual([
      {
        class: 'value',
        risk: 'medium',
        path: '$',
        baseline: '<3 bytes of binary>',
        candidate: '<3 bytes of binary>',
        shape: 'binary body',
        message: 'binary bodies differ (3 bytes on node, 3 bytes on bun)',
      },
    ])
  })

  it('finds nothing between two empty bodies, and a type change from empty to json', () => {
    const empty = observed({ kind: 'empty' }, { headers: {} })
    expect(compareResponses(empty, empty, EMPTY_RULES).findings).toEqual([])
    expect(compareResponses(empty, observed({ kind: 'json', text: 'null' }, { headers: {} }), EMPTY_RULES, NAMES).findings).toEqual([
      {
        class: 'type',
        risk: 'breaking',
        path: '$',
        candidate: null,
        shape: 'empty body→json body',
        message: 'empty body on node, json body on bun',
      },
    ])
  })

  it('keeps duplicate JSON keys as JSON.parse does (last wins) instead of failing', () => {
    expect(parseBody({ kind: 'json', text: '{"a":1,"a":2}' })).toMatchObject({ kind: 'json' })
    expect(compareResponses(json('{"a":1,"a":2}'), json('{"a":2}'), EMPTY_RULES).findings).toEqual([])
  })
})

describe('compareResponses: ignore rules', () => {
  const a = json('{"items":[{"id":1,"ts":"10:00"},{"id":2,"ts":"10:01"}],"meta":{"took":3}}')
  const b = json('{"items":[{"id":1,"ts":"11:00"},{"id":3,"ts":"11:01"}],"meta":{"took":5}}')

  it('moves findings under a wildcard rule to ignored and lists the rule as matched', () => {
    const result = compareResponses(a, b, rules({ ignore: ['$.items[*].ts', '$.meta'] }))
    expect(result.findings.map((f) => f.path)).toEqual(['$.items[1].id'])
    expect(result.ignored.map((f) => f.path)).toEqual(['$.items[0].ts', '$.items[1].ts', '$.meta.took'])
    expect(result.matchedRules).toEqual(['$.items[*].ts', '$.meta'])
  })

  it('leaves a rule that matched nothing out of matchedRules (a stale rule)', () => {
    const result = compareResponses(a, b, rules({ ignore: ['$.items[*].ts', '$.gone', '$.meta.took', 'header:etag'] }))
    expect(result.matchedRules).toEqual(['$.items[*].ts', '$.meta.took'])
    const stale = ['$.items[*].ts', '$.gone', '$.meta.took', 'header:etag'].filter((r) => !result.matchedRules.includes(r))
    expect(stale).toEqual(['$.gone', 'header:etag'])
  })

  it('matches rules against keyed paths and the status line', () => {
    const keyed = rules({ arrayKeys: { '$.items': 'id' }, ignore: ["$.items[?(@.id=='1')]", 'status'] })
    const result = compareResponses(
      json('{"items":[{"id":1,"ts":1}]}', { status: 200 }),
      json('{"items":[{"id":1,"ts":2}]}', { status: 202 }),
      keyed,
    )
    expect(result.findings).toEqual([])
    expect(result.ignored.map((f) => f.path)).toEqual(['status', "$.items[?(@.id=='1')].ts"])
    expect(result.matchedRules).toEqual(["$.items[?(@.id=='1')]", 'status'])
  })

  it('reports an unparseable rule as never matching rather than throwing', () => {
    const result = compareResponses(json('{"a":1}'), json('{"a":2}'), rules({ ignore: ['a'] }))
    expect(result.findings).toHaveLength(1)
    expect(result.matchedRules).toEqual([])
  })
})

describe('compareResponses: headers derived from the body', () => {
  const withEtag = (body: string, etag: string, extra: Record<string, string> = {}) =>
    json(body, { headers: { 'content-type': 'application/json', etag, ...extra } })

  it('keeps an etag difference beside a body difference out of the findings', () => {
    const cmp = compareResponses(withEtag('{"id":1}', 'W/"a"'), withEtag('{"id":"1"}', 'W/"b"'), EMPTY_RULES, NAMES)
    expect(cmp.findings.map((f) => f.path)).toEqual(['$.id'])
    expect(cmp.ignored.map((f) => f.path)).toEqual(['header:etag'])
  })

  it('reports an etag difference when the bodies are byte-equal', () => {
    const cmp = compareResponses(withEtag('{"id":1}', '"a"'), withEtag('{"id":1}', 'W/"a"'), EMPTY_RULES, NAMES)
    expect(cmp.findings).toMatchObject([{ class: 'header', path: 'header:etag', shape: 'value' }])
    expect(cmp.ignored).toEqual([])
  })

  it('treats bodies equal as JSON but not as bytes as different: the etag may follow the bytes', () => {
    const cmp = compareResponses(withEtag('{"id":1}', '"a"'), withEtag('{ "id": 1 }', '"b"'), EMPTY_RULES, NAMES)
    expect(cmp.findings).toEqual([])
    expect(cmp.ignored.map((f) => f.path)).toEqual(['header:etag'])
  })

  it('still reports content-length when a case compares it and the bodies are equal', () => {
    const strict = rules({ headers: { 'content-length': 'equal' } })
    const a = withEtag('{}', '"x"', { 'content-length': '2' })
    const b = withEtag('{}', '"x"', { 'content-length': '3' })
    expect(compareResponses(a, b, strict, NAMES).findings.map((f) => f.path)).toEqual(['header:content-length'])
    const c = withEtag('{"a":1}', '"x"', { 'content-length': '7' })
    expect(compareResponses(a, c, strict, NAMES).findings.map((f) => f.path)).toEqual(['$.a'])
  })
})

describe('compareResponses: a body-derived header sent by one side only', () => {
  it('is reported even when the bodies differ', () => {
    const a = json('{"id":1}', { headers: { 'content-type': 'application/json', etag: 'W/"a"' } })
    const b = json('{"id":"1"}', { headers: { 'content-type': 'application/json' } })
    const cmp = compareResponses(a, b, EMPTY_RULES, NAMES)
    expect(cmp.findings.map((f) => [f.path, f.shape])).toEqual([
      ['header:etag', 'present→absent'],
      ['$.id', 'integer→string'],
    ])
  })
})
