import fc from 'fast-check'
import { paramsOf, type Route } from './routes.ts'

/**
 * Generators for well-framed HTTP requests with bad contents, sent with node:http: wrong
 * methods, bad path parameters and query strings, wrong content types, and bodies that are
 * malformed, oversized, deeply nested, wrong-typed, full of unknown members, huge numbers or
 * invalid UTF-8. What an HTTP client refuses to frame lives in raw-cases.ts.
 */
export interface FuzzRequest {
  /** The mutation family, for grouping findings (`body:deep`, `param:dotdot`, …). */
  readonly kind: string
  /** The route it was derived from, `POST /v1/validate`. */
  readonly route: string
  readonly method: string
  /** Request target: path and query, percent-encoded as sent. */
  readonly target: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked: boolean
}

export const TOKEN = 'fuzz-primary-token-0123456789abcdef'
const utf8 = new TextEncoder()
const bytes = (s: string) => utf8.encode(s)
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts))

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const
/** The JSON endpoints' default limits (packages/kit/src/json-body.ts): 1 MiB, depth 64. */
const JSON_MAX_BYTES = 1024 * 1024
const JSON_MAX_DEPTH = 64

// ---------------------------------------------------------------------------------------------
// Path parameters

/** Values a path segment should never be served for; each is the raw, already-encoded segment. */
const BAD_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%00',
  'a%00b',
  '%',
  '%zz',
  '%c3%28',
  '%ed%a0%80',
  '%ff',
  '%c0%af',
  '%0d%0a',
  '%09',
  '%20',
  '%2f',
  'a%2fb',
  'A',
  'UPPER_case',
  '_leading',
  '1digit',
  'caf%c3%a9',
  '%e2%80%ae',
  '-',
  '~',
  '%7f',
  'con',
  '.tmp',
  '.meta',
]

const segmentChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-.~'.split(''))
const plainSegment = fc.string({ unit: segmentChars, minLength: 1, maxLength: 12 })
const longSegment = fc.integer({ min: 64, max: 6000 }).map((n) => 'a'.repeat(n))
const randomEncoded = fc
  .uint8Array({ minLength: 1, maxLength: 8 })
  .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join(''))

function segmentFor(name: string): fc.Arbitrary<{ kind: string; value: string }> {
  const good: Record<string, fc.Arbitrary<string>> = {
    name: fc.oneof(fc.constantFrom('workers', 'fuzz_ds', 'fuzz_index', 'people'), fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/)),
    uid: fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9a-f]{8,40}$/)),
    id: fc.oneof(fc.uuid(), plainSegment, fc.stringMatching(/^W-\d{6}$/)),
    run_id: fc.oneof(fc.uuid(), plainSegment),
  }
  return fc.oneof(
    { weight: 3, arbitrary: (good[name] ?? plainSegment).map((value) => ({ kind: 'param:plain', value })) },
    { weight: 3, arbitrary: fc.constantFrom(...BAD_SEGMENTS).map((value) => ({ kind: 'param:bad', value })) },
    { weight: 1, arbitrary: longSegment.map((value) => ({ kind: 'param:long', value })) },
    { weight: 1, arbitrary: randomEncoded.map((value) => ({ kind: 'param:bytes', value })) },
  )
}

/** A storage key: several segments, some of them bad, sometimes with a leading, trailing or doubled slash. */
const objectKey: fc.Arbitrary<{ kind: string; value: string }> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(plainSegment, { minLength: 1, maxLength: 4 }).map((s) => ({ kind: 'key:plain', value: `fuzz/${s.join('/')}` })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.array(plainSegment, { maxLength: 2 }), fc.constantFrom(...BAD_SEGMENTS), fc.array(plainSegment, { maxLength: 2 }))
      .map(([a, bad, b]) => ({ kind: 'key:bad-segment', value: [...a, bad, ...b].join('/') })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '../etc/passwd',
        'a/../../b',
        '..%2f..%2fetc%2fpasswd',
        '_system/catalog/x.json',
        '_SYSTEM/x',
        'datasets/workers/x.parquet',
        'Datasets/x',
        '.tmp/x',
        '.TMP/x',
        'a/.meta/b',
        'a//b',
        '/a',
        'a/',
        '',
        'a/%00/b',
        'x%00.txt',
      )
      .map((value) => ({ kind: 'key:traversal', value })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 256, max: 3000 }).map((n) => ({ kind: 'key:long', value: `fuzz/${'k'.repeat(n)}` })) },
  { weight: 1, arbitrary: randomEncoded.map((value) => ({ kind: 'key:bytes', value: `fuzz/${value}` })) },
)

// ---------------------------------------------------------------------------------------------
// Query strings

const QUERY_NAMES = ['prefix', 'limit', 'since', 'type', 'cursor', 'x']
const queryValue = fc.oneof(
  fc.constantFrom('', '0', '-1', '1', '10', '10000', '10001', '1e3', '0x10', '1.5', '%201', 'NaN', 'Infinity', '99999999999999999999999'),
  fc.constantFrom('%00', '%zz', '%', '%c3%28', '..', '_system/', 'datasets/', 'a%2f..%2fb', '%0d%0aX-Injected:%201'),
  plainSegment,
  randomEncoded,
)
const queryString: fc.Arbitrary<{ kind: string; value: string }> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'query:none', value: '' }) },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { minLength: 1, maxLength: 4 })
      .map((pairs) => ({ kind: 'query:params', value: `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('?', '?&&', '?=', '?limit', '?%zz=1', '?limit=1&limit=2', '?a[b]=1')
      .map((value) => ({ kind: 'query:odd', value })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 8000 }).map((n) => ({ kind: 'query:long', value: `?prefix=${'p'.repeat(n)}` })) },
)

// ---------------------------------------------------------------------------------------------
// JSON values

/** The members each JSON endpoint documents, so bodies reach past the envelope check. */
const MEMBERS: Record<string, readonly string[]> = {
  'POST /v1/catalog/datasets': ['name', 'fingerprint', 'schema', 'object_key', 'row_count'],
  'POST /v1/chat': ['model', 'messages', 'temperature', 'max_tokens'],
  'POST /v1/draft/email': ['worker_id', 'job', 'model'],
  'POST /v1/draft/sms': ['worker_id', 'job', 'model'],
  'POST /v1/embed': ['texts', 'model'],
  'POST /v1/grants': ['scope', 'ttl'],
  'POST /v1/grants/verify': ['token', 'scope'],
  'POST /v1/matrix/search': ['query', 'corpora', 'k', 'min_score', 'filters', 'exclude_ids', 'use_playbook'],
  'POST /v1/matrix/playbooks/record': ['query', 'worker_ids', 'outcome', 'corpus', 'note', 'items'],
  'POST /v1/memory/traces': ['content', 'tags', 'key'],
  'PATCH /v1/memory/traces/:uid': ['content', 'tags', 'expected_rev'],
  'POST /v1/memory/traces/:uid/revise': ['content', 'tags'],
  'POST /v1/memory/search': ['text', 'tags', 'limit', 'include_retired'],
  'POST /v1/observer/events': ['type', 'source', 'data', 'events'],
  'POST /v1/observer/workflows/run': ['name', 'nodes'],
  'POST /v1/query/sql': ['sql', 'limit'],
  'POST /v1/validate': ['kind', 'payload'],
  'POST /v1/validate/batch': ['items'],
  'POST /v1/vector/indexes': ['name', 'dim', 'metric', 'model'],
  'POST /v1/vector/indexes/:name/items': ['items'],
  'POST /v1/vector/indexes/:name/search': ['vector', 'text', 'k', 'exclude_ids', 'filter'],
}

const HUGE_NUMBERS = [
  '1e309',
  '-1e309',
  '1e-400',
  '123456789012345678901234567890',
  '-123456789012345678901234567890',
  '9007199254740993',
  '-0',
  '0.1e999999999',
  '1E+2',
  '18446744073709551616',
  '4.9e-324',
  '1.7976931348623157e308',
]

const nastyString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ufeff',
  '\u202e',
  '{{placeholder}}',
  '123-45-6789',
  "'; DROP TABLE x; --",
  '../../etc/passwd',
  "SELECT * FROM read_csv('/etc/passwd')",
  '$.__proto__',
  '__proto__',
  'constructor',
  '\r\n',
  '😀'.repeat(50),
  'x'.repeat(40_000),
)

/** Plausible values for a member name: enough of them valid that the request gets past the first check. */
const memberValues = new Map<string, fc.Arbitrary<unknown>>()

function memberValue(member: string): fc.Arbitrary<unknown> {
  const cached = memberValues.get(member)
  if (cached !== undefined) return cached
  const specific: Record<string, fc.Arbitrary<unknown>> = {
    kind: fc.constantFrom('email', 'sms', 'fill', 'schema', 'EMAIL', 'unknown', ''),
    payload: fc.oneof(
      fc.constant({ to: 'a@b.example', subject: 'hi', body: 'hello' }),
      fc.constant({ to: '+15555550100', body: 'hi' }),
      fc.constant({ candidate_ids: ['W-000001'], role: 'x' }),
      fc.constant({ schema: { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }, data: { a: 'aaaa' } }),
      fc.constant({ schema: { type: 'string', pattern: '(?<=a)b' }, data: 'ab' }),
      fc.constant({ schema: { $ref: '#/nope' }, data: 1 }),
    ),
    sql: fc.constantFrom(
      'SELECT 1',
      'SELECT * FROM workers LIMIT 5',
      'select 1; select 2',
      'DROP TABLE workers',
      "COPY (SELECT 1) TO '/tmp/x.csv'",
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT current_setting('threads')",
      'PRAGMA version',
      '',
      ';;',
      '-- only a comment',
      'SELECT',
      "SELECT 'a' || NULL",
      'SELECT 1e309',
      'SELECT 12345678901234567890123456789::HUGEINT',
    ),
    limit: fc.oneof(fc.integer({ min: -2, max: 200_000 }), fc.constantFrom(0, 1.5, '10', 1e21)),
    k: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.constantFrom(1.5, '3', 0)),
    dim: fc.oneof(fc.integer({ min: -1, max: 5000 }), fc.constantFrom(0, 1, 3, 4096, 4097, 2.5, '8')),
    metric: fc.constantFrom('cos', 'l2sq', 'ip', 'euclidean', 'COS', ''),
    model: fc.constantFrom(
      'local/lexical-384',
      'local/lexical-7',
      'local/lexical-4097',
      'local/template',
      'ollama/llama3',
      'openai/gpt',
      'nope',
      '',
    ),
    texts: fc.oneof(fc.array(fc.string({ maxLength: 40 }), { maxLength: 5 }), fc.constant([]), fc.constant(['x'.repeat(40_000)])),
    vector: fc.oneof(fc.array(fc.double(), { maxLength: 8 }), fc.array(fc.integer(), { maxLength: 4 })),
    items: fc.oneof(
      fc.array(fc.record({ id: fc.string({ maxLength: 10 }), vector: fc.array(fc.double({ noNaN: true }), { maxLength: 4 }) }), {
        maxLength: 3,
      }),
      fc.array(fc.record({ kind: fc.constantFrom('email', 'sms', 'x'), payload: fc.object({ maxDepth: 1 }) }), { maxLength: 3 }),
      fc.constant([]),
    ),
    messages: fc.oneof(
      fc.array(fc.record({ role: fc.constantFrom('user', 'system', 'assistant', 'tool', ''), content: fc.string({ maxLength: 30 }) }), {
        maxLength: 3,
      }),
      fc.constant([]),
    ),
    nodes: fc.oneof(
      fc.array(
        fc.record({
          id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,6}$/),
          mode: fc.constantFrom('validate', 'embed', 'sql', 'memory.search', 'matrix.search', 'draft', 'nope'),
          input: fc.oneof(fc.constant({}), fc.constant({ sql: 'SELECT 1' }), fc.constant({ texts: ['a'] }), fc.constant({ $from: 'x' })),
        }),
        { maxLength: 4 },
      ),
      fc.constant([]),
    ),
    scope: fc.constantFrom('dataset.replace:workers', 'dataset.replace:*', 'sql.write', 'root', ''),
    ttl: fc.constantFrom('10m', '500ms', '8d', '-1', 0, 1e15, 'forever'),
    name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.constantFrom('', 'A', '..', 'x'.repeat(200))),
  }
  const arb = fc.oneof({ weight: 2, arbitrary: specific[member] ?? fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: wrongValue })
  memberValues.set(member, arb)
  return arb
}

/** Any JSON value, biased towards the awkward ones. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 30 }),
  nastyString,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
)

const UNKNOWN_MEMBERS = ['extra', '__proto__', 'constructor', '', 'KIND', 'Kind', 'kind ', '\u0000', 'a.b', '$ref']

interface Body {
  readonly kind: string
  readonly bytes: Uint8Array
}

const json = (kind: string, value: unknown): Body => ({ kind, bytes: bytes(JSON.stringify(value)) })

/** An object with (some of) the route's members, values plausible or wrong, maybe unknown members added. */
function shapedBody(routeKey: string): fc.Arbitrary<Body> {
  const members = MEMBERS[routeKey] ?? ['value']
  const shaped = fc
    .tuple(...members.map((m) => fc.option(memberValue(m), { nil: undefined, freq: 4 })))
    .map((values) => Object.fromEntries(members.flatMap((m, i) => (values[i] === undefined ? [] : [[m, values[i]]]))))
  return fc.oneof(
    { weight: 4, arbitrary: shaped.map((o) => json('body:shaped', o)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shaped, fc.constantFrom(...UNKNOWN_MEMBERS), wrongValue)
        // JSON text, not an object literal: `__proto__` must arrive as a member name.
        .map(([o, k, v]) => {
          const text = JSON.stringify(o)
          const extra = `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`
          return { kind: 'body:unknown-member', bytes: bytes(text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`) }
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...members), fc.constantFrom(...HUGE_NUMBERS))
        .map(([m, n]) => ({ kind: 'body:huge-number', bytes: bytes(`{${JSON.stringify(m)}:${n}}`) })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...members), fc.constantFrom(...members)).map(([a, b]) => ({
        kind: 'body:duplicate-member',
        bytes: bytes(`{${JSON.stringify(a)}:1,${JSON.stringify(b)}:"x",${JSON.stringify(a)}:[]}`),
      })),
    },
  )
}

const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":}',
  '{"a":1,}',
  '[1,2,]',
  "{'a':1}",
  '{a:1}',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":0x10}',
  '{"a":01}',
  '{"a":.5}',
  '{"a":1.}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"unterminated}',
  '{"a":"tab\there"}',
  '{"a":1} trailing',
  '{"a":1}{"b":2}',
  '/* c */ {"a":1}',
  '{"a":1} // c',
  '\u0000',
  ' ',
  'true false',
  '{"a" 1}',
  '{"a"::1}',
  '[',
  '"',
  '\\',
]

const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe],
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xe2, 0x82, 0x28],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc3],
]

function deep(depth: number, style: 'array' | 'object' | 'mixed'): string {
  const open = style === 'array' ? '[' : style === 'object' ? '{"a":' : '[{"a":'
  const close = style === 'array' ? ']' : style === 'object' ? '}' : '}]'
  const unit = style === 'mixed' ? Math.ceil(depth / 2) : depth
  return open.repeat(unit) + close.repeat(unit)
}

/** Any body for a JSON endpoint. */
function jsonBody(routeKey: string): fc.Arbitrary<Body> {
  const members = MEMBERS[routeKey] ?? ['value']
  return fc.oneof(
    { weight: 8, arbitrary: shapedBody(routeKey) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => json('body:random-json', v)) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('[]', '""', '"x"', '0', '-1', 'null', 'true', '[{}]', '{}')
        .map((t) => ({ kind: 'body:wrong-top-level', bytes: bytes(t) })),
    },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((t) => ({ kind: 'body:malformed', bytes: bytes(t) })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shapedBody(routeKey), fc.nat())
        .map(([b, at]) => ({ kind: 'body:truncated-json', bytes: b.bytes.subarray(0, b.bytes.length > 1 ? at % b.bytes.length : 0) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(
            { weight: 2, arbitrary: fc.integer({ min: JSON_MAX_DEPTH - 3, max: JSON_MAX_DEPTH + 3 }) },
            { weight: 2, arbitrary: fc.integer({ min: JSON_MAX_DEPTH, max: 5_000 }) },
            { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 100_000 }) },
          ),
          fc.constantFrom('array', 'object', 'mixed' as const),
          fc.constantFrom(...members),
          fc.boolean(),
        )
        .map(([d, style, m, wrapped]) => ({
          kind: 'body:deep',
          bytes: bytes(wrapped ? `{${JSON.stringify(m)}:${deep(d, style)}}` : deep(d, style)),
        })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...members), fc.constantFrom(...INVALID_UTF8), fc.boolean()).map(([m, bad, inKey]) => ({
        kind: 'body:invalid-utf8',
        bytes: inKey
          ? concat(bytes('{"'), Uint8Array.from(bad), bytes(`":1,${JSON.stringify(m)}:"x"}`))
          : concat(bytes(`{${JSON.stringify(m)}:"a`), Uint8Array.from(bad), bytes('b"}')),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...members), fc.constantFrom('\\ud800', '\\udc00', '\\ud800\\ud800', '\\u0000', '\\uffff', '\\ufeff'))
        .map(([m, esc]) => ({ kind: 'body:lone-surrogate', bytes: bytes(`{${JSON.stringify(m)}:"x${esc}y"}`) })),
    },
    {
      weight: 1,
      arbitrary: shapedBody(routeKey).map((b) => ({ kind: 'body:bom', bytes: concat(Uint8Array.of(0xef, 0xbb, 0xbf), b.bytes) })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ kind: 'body:binary', bytes: b })),
    },
  )
}

/** Rarely: a body just over the 1 MiB JSON limit (a string member that pushes it past). */
const oversizedJson: fc.Arbitrary<Body> = fc
  .integer({ min: 1, max: 64 * 1024 })
  .map((extra) => ({ kind: 'body:oversized', bytes: bytes(`{"x":"${'y'.repeat(JSON_MAX_BYTES + extra)}"}`) }))

// ---------------------------------------------------------------------------------------------
// CSV and object bodies

const CSV_BODIES = [
  '',
  'a,b\n',
  'a,b\n1,2\n',
  'a,b\n1,2,3\n',
  'a,a\n1,2\n',
  ',\n,\n',
  '"a,b\n1,2\n',
  'a,"b\n1,"2\n',
  'a;b\n1;2\n',
  'a,b\r\n1,2\r\n',
  '\ufeffa,b\n1,2\n',
  'a\tb\n1\t2\n',
  'a,b\n"x""y",2\n',
  'worker_id,name\nW-000001,Ada\n',
  'a\n1\n2\nnot-a-number\n',
  '\u0000,\u0000\n',
  'a,b\n1e309,-0\n',
]

const csvBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CSV_BODIES).map((t) => ({ kind: 'csv:template', bytes: bytes(t) })) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
      .map((rows) => ({ kind: 'csv:random', bytes: bytes(`${rows.map((r) => r.join(',')).join('\n')}\n`) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...INVALID_UTF8)
      .map((bad) => ({ kind: 'csv:invalid-utf8', bytes: concat(bytes('a,b\n1,'), Uint8Array.from(bad), bytes('\n')) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 200, max: 3000 })
      .map((n) => ({ kind: 'csv:wide', bytes: bytes(`${Array.from({ length: n }, (_, i) => `c${i}`).join(',')}\n`) })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 128 }).map((b) => ({ kind: 'csv:binary', bytes: b })) },
)

function multipart(boundary: string, parts: string): Uint8Array {
  return bytes(parts.replaceAll('{B}', boundary))
}

const MULTIPARTS = [
  '--{B}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,\r\n--{B}--\r\n',
  '--{B}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--{B}--\r\n',
  '--{B}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n',
  '--{B}--\r\n',
  'no boundary here',
  '--{B}\r\n\r\n\r\n--{B}--\r\n',
  '--{B}\r\nContent-Disposition: form-data; name="file"; filename="../../x.csv"\r\n\r\n"a\r\n--{B}--\r\n',
]

const multipartBody: fc.Arbitrary<{ body: Body; contentType: string }> = fc
  .tuple(fc.constantFrom(...MULTIPARTS), fc.constantFrom('fuzzb', 'x', '', '"quoted"', 'a'.repeat(100)), fc.boolean())
  .map(([parts, b, declareBoundary]) => ({
    body: { kind: 'multipart', bytes: multipart(b, parts) },
    contentType: declareBoundary ? `multipart/form-data; boundary=${b}` : 'multipart/form-data',
  }))

// ---------------------------------------------------------------------------------------------
// Content types and headers

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/problem+json', 'application/json;charset="UTF-8"']
const WRONG_TYPES = [
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'json',
  '*/*',
  'application/octet-stream',
  'application/xml',
  ';;;',
  'application/json; boundary=x; charset',
  'APPLICATION/JSON',
  ' application/json ',
]

const authHeader: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 20, arbitrary: fc.constant({ authorization: `Bearer ${TOKEN}` }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        undefined,
        'Bearer',
        'Bearer ',
        `Bearer ${TOKEN}x`,
        `bearer ${TOKEN}`,
        `Bearer  ${TOKEN}`,
        'Basic dXNlcjpwYXNz',
        `Bearer ${'a'.repeat(5000)}`,
        'Bearer \u00ff\u00fe',
        'Token x',
      )
      .map((v): Record<string, string> => (v === undefined ? {} : { authorization: v })),
  },
)

const edgeHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 20, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { host: 'rebind.attacker.example' },
      { host: 'localhost' },
      { host: '127.0.0.1:1' },
      { host: '[::1]' },
      { host: '' },
      { 'x-request-id': 'bad id with spaces' },
      { 'x-request-id': 'x'.repeat(200) },
      { 'lakehouse-grant': 'lhg1.AAAA.BBBB' },
      { 'lakehouse-grant': 'garbage' },
      { 'if-match': '"nope"' },
      { 'if-none-match': '*' },
      { 'content-encoding': 'gzip' },
      { 'content-encoding': 'br' },
      { expect: '100-continue' },
      { 'access-control-request-method': 'POST', origin: 'https://evil.example' },
      { range: 'bytes=0-0' },
      { range: 'bytes=99999999999-' },
    ),
  },
)

// ---------------------------------------------------------------------------------------------
// The request

function fillPattern(pattern: string, values: readonly string[]): string {
  let i = 0
  return pattern
    .split('/')
    .map((s) => (s.startsWith(':') || s === '*' ? (values[i++] ?? '') : s))
    .join('/')
}

const routeKeyOf = (r: Route) => `${r.method} ${r.pattern}`
const isJsonRoute = (r: Route) => r.method !== 'GET' && r.method !== 'DELETE' && r.component !== 'ingest' && r.component !== 'storage'

function bodyFor(route: Route): fc.Arbitrary<{ body: Body | undefined; contentType: string | undefined }> {
  const key = routeKeyOf(route)
  const typed = (arb: fc.Arbitrary<Body>, types: readonly string[]) =>
    fc.tuple(arb, fc.constantFrom(...types)).map(([body, contentType]) => ({ body, contentType }))
  if (route.component === 'ingest') {
    return fc.oneof(
      { weight: 4, arbitrary: typed(csvBody, ['text/csv', 'text/csv; charset=utf-8', 'text/csv; charset=latin1']) },
      { weight: 3, arbitrary: multipartBody },
      { weight: 1, arbitrary: typed(csvBody, WRONG_TYPES) },
      { weight: 1, arbitrary: typed(jsonBody(key), JSON_TYPES) },
      { weight: 1, arbitrary: fc.constant({ body: undefined, contentType: undefined }) },
    )
  }
  if (route.component === 'storage' && route.method === 'PUT') {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: typed(
          fc.uint8Array({ maxLength: 256 }).map((b) => ({ kind: 'object:bytes', bytes: b })),
          ['application/octet-stream', 'text/plain'],
        ),
      },
      { weight: 1, arbitrary: fc.constant({ body: undefined, contentType: undefined }) },
      { weight: 1, arbitrary: typed(jsonBody('PUT object'), [...WRONG_TYPES, ...JSON_TYPES]) },
    )
  }
  if (isJsonRoute(route)) {
    return fc.oneof(
      { weight: 14, arbitrary: typed(jsonBody(key), JSON_TYPES) },
      { weight: 3, arbitrary: typed(jsonBody(key), WRONG_TYPES) },
      { weight: 1, arbitrary: jsonBody(key).map((body) => ({ body, contentType: undefined })) },
      { weight: 1, arbitrary: fc.constant({ body: undefined, contentType: 'application/json' }) },
      { weight: 1, arbitrary: fc.constant({ body: { kind: 'body:empty', bytes: new Uint8Array(0) }, contentType: 'application/json' }) },
    )
  }
  // GET and DELETE: usually no body; sometimes one anyway.
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant({ body: undefined, contentType: undefined }) },
    { weight: 1, arbitrary: typed(jsonBody(key), JSON_TYPES) },
  )
}

/** The generator for one route, built once: arbitraries are made at create time, not per run. */
function requestFor(route: Route): fc.Arbitrary<FuzzRequest> {
  const params = paramsOf(route.pattern)
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(route.method as string) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      segments: fc.tuple(...params.map((p) => (p === '*' ? objectKey : segmentFor(p)))),
      suffix: fc.oneof(
        { weight: 30, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: fc.constantFrom('/', '//', '/x', '/..', '%2f', '.json') },
      ),
      query: queryString,
      payload: bodyFor(route),
      oversized: fc.oneof({ weight: 400, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: oversizedJson }),
      auth: authHeader,
      edge: edgeHeaders,
      chunked: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .map((g): FuzzRequest => {
      const body = g.oversized ?? g.payload.body
      const contentType = g.oversized === undefined ? g.payload.contentType : 'application/json'
      const kinds = [
        g.method === route.method ? undefined : 'method:wrong',
        ...g.segments.map((s) => s.kind).filter((k) => !k.endsWith(':plain')),
        g.suffix === '' ? undefined : 'path:suffix',
        g.query.kind === 'query:none' ? undefined : g.query.kind,
        body?.kind,
        contentType === undefined ? (body === undefined ? undefined : 'ctype:none') : undefined,
        Object.keys(g.edge).length > 0 ? `header:${Object.keys(g.edge).join('+')}` : undefined,
        g.auth.authorization === `Bearer ${TOKEN}` ? undefined : 'auth:bad',
      ].filter((k): k is string => k !== undefined)
      return {
        kind: kinds.length === 0 ? 'plain' : kinds.join(' '),
        route: routeKeyOf(route),
        method: g.method,
        target:
          fillPattern(
            route.pattern,
            g.segments.map((s) => s.value),
          ) +
          g.suffix +
          g.query.value,
        headers: { ...g.auth, ...g.edge, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
        body: body?.bytes,
        chunked: g.chunked && body !== undefined,
      }
    })
}

/** One generated request for one of `routes`, each route as likely; about one in 400 carries a body over the JSON limit. */
export function fuzzRequest(routes: readonly Route[]): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...routes.map(requestFor))
}
