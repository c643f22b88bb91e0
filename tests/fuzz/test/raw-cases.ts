import fc from 'fast-check'
import { TOKEN } from './http-arbitraries.ts'
import type { RawExchange } from './raw-client.ts'

/**
 * Requests below the application, written byte for byte over node:net: what the runtimes' HTTP
 * parsers see before the gateway does. Each case has a kind (its root cause, roughly) so
 * findings group by it and a known gap can be named by it.
 */
export type RawKind =
  | 'bad-request-line'
  | 'bad-version'
  | 'unknown-method'
  | 'connect'
  | 'nul-in-target'
  | 'space-in-target'
  | 'ctl-in-target'
  | 'long-target'
  | 'long-header'
  | 'many-headers'
  | 'http10-no-host'
  | 'bad-host'
  | 'header-syntax'
  | 'dup-content-length'
  | 'bad-content-length'
  | 'cl-and-te'
  | 'bad-chunk-size'
  | 'bad-transfer-encoding'
  | 'truncated-body'
  | 'keep-alive-after-unread-body'

export interface RawCase {
  readonly kind: RawKind
  /** One line for reports. */
  readonly title: string
  readonly exchange: RawExchange
  /** Answers owed on the connection: 2 when a second request follows the first (keep-alive cases). */
  readonly answers: number
  /** False when the client breaks the exchange itself (aborted body): no answer is owed, but no 5xx may be logged. */
  readonly answerOwed: boolean
}

const AUTH = `Authorization: Bearer ${TOKEN}\r\n`
const HOST = 'Host: 127.0.0.1\r\n'
const JSON_TYPE = 'Content-Type: application/json\r\n'

/** Concrete targets on every component, valid enough to reach a handler when the framing is fine. */
export const TARGETS = [
  '/health',
  '/v1/validate',
  '/v1/validate/batch',
  '/v1/catalog/datasets',
  '/v1/catalog/datasets/workers',
  '/v1/storage/objects?prefix=fuzz/',
  '/v1/storage/objects/fuzz/raw.txt',
  '/v1/ingest/fuzz_raw',
  '/v1/query/sql',
  '/v1/embed',
  '/v1/vector/indexes',
  '/v1/vector/indexes/fuzz_raw/search',
  '/v1/matrix/search',
  '/v1/memory/traces',
  '/v1/memory/stats',
  '/v1/observer/events?since=0',
  '/v1/observer/runs',
  '/v1/grants',
  '/v1/chat',
  '/v1/draft/email',
] as const

const target = fc.constantFrom(...TARGETS)
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD')

/** Inserts `what` into `s` at a position past the leading slash. */
function insertAt(s: string, at: number, what: string): string {
  const i = 1 + (at % Math.max(1, s.length - 1))
  return s.slice(0, i) + what + s.slice(i)
}

/** A complete request; the id header ties its access-log line to the case. */
function request(line: string, headers: string, body = ''): string {
  return `${line}\r\n${headers}\r\n${body}`
}

const rid = (n: number) => `X-Request-Id: fzr-${n}\r\n`

type Build = (n: number) => RawCase

const caseOf = (kind: RawKind, title: string, writes: RawExchange['writes'], extra: Partial<RawCase> = {}): Build => {
  return (n) => ({
    kind,
    title,
    exchange: {
      ...extra.exchange,
      writes: writes.map((w) => (typeof w === 'string' ? w.replaceAll('{RID}', rid(n)) : w)),
      head: typeof writes[0] === 'string' && writes[0].startsWith('HEAD '),
    },
    answers: extra.answers ?? 1,
    answerOwed: extra.answerOwed ?? true,
  })
}

const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)

// ---------------------------------------------------------------------------------------------
// The named reproductions of issue 12 (and what the fuzzer found next to them)

export const REPRODUCTIONS = {
  nulInTarget: caseOf('nul-in-target', 'GET /v1/validate\\x00x HTTP/1.1', [
    request('GET /v1/validate\x00x HTTP/1.1', `${HOST}${AUTH}{RID}`),
  ]),
  spaceInTarget: caseOf('space-in-target', 'GET /v1/a b HTTP/1.1', [request('GET /v1/a b HTTP/1.1', `${HOST}${AUTH}{RID}`)]),
  unknownMethod: caseOf('unknown-method', 'FOO /health HTTP/1.1', [request('FOO /health HTTP/1.1', `${HOST}${AUTH}{RID}`)]),
  connect: caseOf('connect', 'CONNECT 127.0.0.1:80 HTTP/1.1', [
    request('CONNECT 127.0.0.1:80 HTTP/1.1', `Host: 127.0.0.1:80\r\n${AUTH}{RID}`),
  ]),
  longTarget: caseOf('long-target', 'GET /v1/<100 KB> HTTP/1.1', [
    request(`GET /v1/${'a'.repeat(100 * 1024)} HTTP/1.1`, `${HOST}${AUTH}{RID}`),
  ]),
  longHeader: caseOf('long-header', 'GET /health with a 100 KB header', [
    request('GET /health HTTP/1.1', `${HOST}${AUTH}{RID}X-Big: ${'a'.repeat(100 * 1024)}\r\n`),
  ]),
  http10NoHost: caseOf('http10-no-host', 'GET /v1/catalog/datasets HTTP/1.0 without Host', [
    request('GET /v1/catalog/datasets HTTP/1.0', `${AUTH}{RID}`),
  ]),
  badHost: caseOf('bad-host', 'GET /v1/catalog/datasets with Host: [::1', [
    request('GET /v1/catalog/datasets HTTP/1.1', `Host: [::1\r\n${AUTH}{RID}`),
  ]),
  duplicateContentLength: caseOf('dup-content-length', 'POST /v1/validate with Content-Length: 2 and Content-Length: 3', [
    request('POST /v1/validate HTTP/1.1', `${HOST}${AUTH}{RID}${JSON_TYPE}Content-Length: 2\r\nContent-Length: 3\r\n`, '{}'),
  ]),
  badChunkSize: caseOf('bad-chunk-size', 'POST /v1/validate, chunked, chunk size "zz"', [
    request('POST /v1/validate HTTP/1.1', `${HOST}${AUTH}{RID}${JSON_TYPE}Transfer-Encoding: chunked\r\n`, 'zz\r\n{}\r\n0\r\n\r\n'),
  ]),
  truncatedBody: caseOf(
    'truncated-body',
    'POST /v1/validate, Content-Length: 100, 7 bytes sent, then the client closes',
    [request('POST /v1/validate HTTP/1.1', `${HOST}${AUTH}{RID}${JSON_TYPE}Content-Length: 100\r\n`, '{"kind"')],
    { exchange: { writes: [], after: 'end' }, answerOwed: false },
  ),
  manyHeaders: caseOf('many-headers', 'GET /health with 200 headers of ~12 bytes', [
    request('GET /health HTTP/1.1', `${HOST}{RID}${Array.from({ length: 200 }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}`),
  ]),
  delInTarget: caseOf('ctl-in-target', 'GET /v1/gra\\x7fnts HTTP/1.1', [request('GET /v1/gra\x7fnts HTTP/1.1', `${HOST}${AUTH}{RID}`)]),
  doubleSpace: caseOf('bad-request-line', 'GET  /health HTTP/1.1 (two spaces after the method)', [
    request('GET  /health HTTP/1.1', `${HOST}${AUTH}{RID}`),
  ]),
  keepAliveAfterUnreadBody: caseOf(
    'keep-alive-after-unread-body',
    'PUT /v1/draft/sms with a 600 KB body (405, body unread), then GET /health on the same connection',
    [
      request('PUT /v1/draft/sms HTTP/1.1', `${HOST}${AUTH}{RID}${JSON_TYPE}Content-Length: ${600_000}\r\n`, '{'.repeat(600_000)),
      100,
      request('GET /health HTTP/1.1', HOST),
    ],
    { answers: 2 },
  ),
} satisfies Record<string, Build>

// ---------------------------------------------------------------------------------------------
// Generators

const token = fc.stringMatching(/^[A-Z]{1,12}$/)

const builds: fc.Arbitrary<Build>[] = [
  fc
    .oneof(
      fc.constantFrom(
        'GET',
        '/ HTTP/1.1',
        'GET  / HTTP/1.1',
        'GET / HTTP/1.1 extra',
        ' GET / HTTP/1.1',
        'GET\t/\tHTTP/1.1',
        '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
        'PRI * HTTP/2.0',
        'GET http://evil.example/ HTTP/1.1',
        'GET * HTTP/1.1',
        'OPTIONS * HTTP/1.1',
        'GET //health HTTP/1.1',
        'GET ../../etc/passwd HTTP/1.1',
        'GET health HTTP/1.1',
      ),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => Buffer.from(b.filter((x) => x !== 10 && x !== 13)).toString('latin1')),
    )
    .map((line) => caseOf('bad-request-line', `request line ${JSON.stringify(printable(line))}`, [request(line, `${HOST}${AUTH}{RID}`)])),
  fc
    .tuple(
      fc.constantFrom('HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9', 'HTTP/9.9', 'http/1.1', 'HTTP/1', 'HTTP/1.1.1', 'HTTP/11', 'HTTPS/1.1', ''),
      target,
    )
    .map(([v, t]) => caseOf('bad-version', `GET ${t} ${v}`, [request(`GET ${t} ${v}`.trimEnd(), `${HOST}${AUTH}{RID}`)])),
  fc
    .tuple(fc.oneof(token, fc.constantFrom('get', 'Get', 'PROPFIND', 'TRACE', 'PURGE', 'MKCOL', 'G\x00T', 'GET\x7f', 'PATCH ')), target)
    .filter(([m]) => !['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT'].includes(m))
    .map(([m, t]) => caseOf('unknown-method', `${printable(m)} ${t}`, [request(`${m} ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}`)])),
  fc
    .constantFrom('127.0.0.1:80', 'evil.example:443', '[::1]:22', '/v1/validate', 'localhost')
    .map((t) => caseOf('connect', `CONNECT ${t}`, [request(`CONNECT ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}`)])),
  fc.tuple(method, target, fc.nat(), fc.constantFrom('\x00', '%00\x00', '\x00\x00')).map(([m, t, at, nul]) => {
    const bad = insertAt(t, at, nul)
    return caseOf('nul-in-target', `${m} ${printable(bad)}`, [request(`${m} ${bad} HTTP/1.1`, `${HOST}${AUTH}{RID}`)])
  }),
  fc.tuple(method, target, fc.nat(), fc.constantFrom(' ', '  ', ' x ')).map(([m, t, at, sp]) => {
    const bad = insertAt(t, at, sp)
    return caseOf('space-in-target', `${m} ${JSON.stringify(bad)}`, [request(`${m} ${bad} HTTP/1.1`, `${HOST}${AUTH}{RID}`)])
  }),
  fc
    .tuple(method, target, fc.nat(), fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant(127), fc.integer({ min: 128, max: 255 })))
    .filter(([, , , c]) => c !== 9 && c !== 10 && c !== 13)
    .map(([m, t, at, c]) => {
      const bad = insertAt(t, at, String.fromCharCode(c))
      return caseOf('ctl-in-target', `${m} ${printable(bad)}`, [request(`${m} ${bad} HTTP/1.1`, `${HOST}${AUTH}{RID}`)])
    }),
  fc
    .tuple(method, fc.integer({ min: 8 * 1024, max: 200 * 1024 }))
    .map(([m, n]) =>
      caseOf('long-target', `${m} /v1/<${n} bytes>`, [request(`${m} /v1/${'a'.repeat(n)} HTTP/1.1`, `${HOST}${AUTH}{RID}`)]),
    ),
  fc
    .tuple(target, fc.integer({ min: 8 * 1024, max: 200 * 1024 }), fc.boolean())
    .map(([t, n, inName]) =>
      caseOf('long-header', `GET ${t} with a ${n}-byte header ${inName ? 'name' : 'value'}`, [
        request(`GET ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${inName ? `X-${'n'.repeat(n)}: 1` : `X-Big: ${'v'.repeat(n)}`}\r\n`),
      ]),
    ),
  fc
    .tuple(target, fc.integer({ min: 100, max: 3000 }))
    .map(([t, n]) =>
      caseOf('many-headers', `GET ${t} with ${n} headers`, [
        request(`GET ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${Array.from({ length: n }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}`),
      ]),
    ),
  fc
    .tuple(fc.constantFrom('GET', 'HEAD', 'POST'), target, fc.boolean())
    .map(([m, t, body]) =>
      caseOf('http10-no-host', `${m} ${t} HTTP/1.0 without Host${body ? ', with a JSON body' : ''}`, [
        request(`${m} ${t} HTTP/1.0`, `${AUTH}{RID}${body ? `${JSON_TYPE}Content-Length: 2\r\n` : ''}`, body ? '{}' : ''),
      ]),
    ),
  fc
    .tuple(
      fc.constantFrom(
        '[::1',
        '[::1]:99999',
        '[::1]x',
        '[zz]',
        '::1',
        'a b',
        '',
        '127.0.0.1:abc',
        '127.0.0.1:',
        ':80',
        'user@127.0.0.1',
        'localhost\x00.evil',
        '%00',
        '127.0.0.1, evil.example',
        '[',
        ']',
        'http://127.0.0.1',
        '127.0.0.1/x',
        '127.0.0.1?x',
        '127.0.0.1#x',
        'xn--80ak6aa92e.com',
        '\xff\xfe',
      ),
      target,
      fc.constantFrom('HTTP/1.1', 'HTTP/1.0'),
      fc.boolean(),
    )
    .map(([h, t, v, twice]) =>
      caseOf('bad-host', `GET ${t} ${v} with Host: ${JSON.stringify(printable(h))}${twice ? ' (twice)' : ''}`, [
        request(`GET ${t} ${v}`, `Host: ${h}\r\n${twice ? `Host: ${h}\r\n` : ''}${AUTH}{RID}`),
      ]),
    ),
  fc
    .tuple(
      fc.constantFrom(
        'NoColon\r\n',
        'Space Name: x\r\n',
        'Name : x\r\n',
        ': novalue\r\n',
        'X-Fold: a\r\n continued\r\n',
        'X-Nul: a\x00b\r\n',
        'X-Ctl: a\x01b\r\n',
        'X-Bare-Lf: a\nX-Other: b\r\n',
        'X-Cr: a\rb\r\n',
        'X-High: \xff\xfe\r\n',
        'Transfer-Encoding : chunked\r\n',
        '\x00: x\r\n',
        'X-Request-Id: a\x00b\r\n',
        'Authorization: Bearer \x00\r\n',
      ),
      target,
    )
    .map(([h, t]) =>
      caseOf('header-syntax', `GET ${t} with header ${JSON.stringify(printable(h))}`, [
        request(`GET ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${h}`),
      ]),
    ),
  fc
    .tuple(
      fc.constantFrom(['2', '3'], ['2', '2'], ['0', '2'], ['2', ' 2'], ['2', '']),
      fc.constantFrom('/v1/validate', '/v1/query/sql', '/v1/embed'),
    )
    .map(([[a, b], t]) =>
      caseOf('dup-content-length', `POST ${t} with Content-Length: ${a} and Content-Length: ${b}`, [
        request(`POST ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${JSON_TYPE}Content-Length: ${a}\r\nContent-Length: ${b}\r\n`, '{}'),
      ]),
    ),
  fc
    .tuple(
      fc.constantFrom('-1', '1e3', '+2', '0x10', '2, 2', '2,3', 'abc', '99999999999999999999', '18446744073709551617', '2 2', '', ' '),
      fc.constantFrom('/v1/validate', '/v1/query/sql', '/v1/storage/objects/fuzz/raw.txt'),
    )
    .map(([cl, t]) =>
      caseOf('bad-content-length', `POST ${t} with Content-Length: ${JSON.stringify(cl)}`, [
        request(`POST ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${JSON_TYPE}Content-Length: ${cl}\r\n`, '{}'),
      ]),
    ),
  fc
    .constantFrom('/v1/validate', '/v1/query/sql')
    .map((t) =>
      caseOf('cl-and-te', `POST ${t} with Content-Length and Transfer-Encoding: chunked`, [
        request(
          `POST ${t} HTTP/1.1`,
          `${HOST}${AUTH}{RID}${JSON_TYPE}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n`,
          '2\r\n{}\r\n0\r\n\r\n',
        ),
      ]),
    ),
  fc
    .tuple(
      fc.constantFrom(
        'zz\r\n{}\r\n0\r\n\r\n',
        '-1\r\n{}\r\n0\r\n\r\n',
        'ffffffffffffffffff\r\n{}\r\n0\r\n\r\n',
        '2\r\n{}0\r\n\r\n',
        '5\r\n{}\r\n0\r\n\r\n',
        '2 \r\n{}\r\n0\r\n\r\n',
        '0x2\r\n{}\r\n0\r\n\r\n',
        '\r\n{}\r\n0\r\n\r\n',
        '2\n{}\n0\n\n',
        '1;a=\x00\r\n{\r\n0\r\n\r\n',
        '0\r\nX-Trailer: \x00\r\n\r\n',
      ),
      fc.constantFrom('/v1/validate', '/v1/memory/search', '/v1/storage/objects/fuzz/raw.txt'),
    )
    .map(([chunks, t]) =>
      caseOf('bad-chunk-size', `POST ${t}, chunked body ${JSON.stringify(printable(chunks))}`, [
        request(`POST ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${JSON_TYPE}Transfer-Encoding: chunked\r\n`, chunks),
      ]),
    ),
  fc
    .constantFrom('gzip, chunked', 'chunked, identity', 'xchunked', 'chunked, chunked', 'identity', 'CHUNKED', 'chunked\x00')
    .map((te) =>
      caseOf('bad-transfer-encoding', `POST /v1/validate with Transfer-Encoding: ${JSON.stringify(printable(te))}`, [
        request('POST /v1/validate HTTP/1.1', `${HOST}${AUTH}{RID}${JSON_TYPE}Transfer-Encoding: ${te}\r\n`, '2\r\n{}\r\n0\r\n\r\n'),
      ]),
    ),
  fc
    .tuple(
      fc.constantFrom('/v1/validate', '/v1/query/sql', '/v1/storage/objects/fuzz/raw.txt', '/v1/ingest/fuzz_raw', '/v1/memory/traces'),
      fc.integer({ min: 10, max: 5_000_000 }),
      fc.integer({ min: 0, max: 9 }),
      fc.boolean(),
    )
    .map(([t, declared, sent, chunked]) => {
      const m = t.includes('/storage/') ? 'PUT' : 'POST'
      const type = t.includes('/ingest/')
        ? 'Content-Type: text/csv\r\n'
        : t.includes('/storage/')
          ? 'Content-Type: application/octet-stream\r\n'
          : JSON_TYPE
      const framing = chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${declared}\r\n`
      const body = chunked ? `${declared.toString(16)}\r\n${'{"a":1}'.slice(0, sent)}` : '{"a":1}'.slice(0, sent)
      return caseOf(
        'truncated-body',
        `${m} ${t}, ${chunked ? `chunk of ${declared}` : `Content-Length: ${declared}`}, ${sent} bytes sent, then the client closes`,
        [request(`${m} ${t} HTTP/1.1`, `${HOST}${AUTH}{RID}${type}${framing}`, body)],
        { exchange: { writes: [], after: 'end' }, answerOwed: false },
      )
    }),
  fc
    .tuple(
      fc.constantFrom(
        ['POST /v1/validate', 'Content-Type: text/plain\r\n'],
        ['DELETE /v1/validate', JSON_TYPE],
        ['POST /v1/nope', JSON_TYPE],
        ['POST /v1/vector/indexes/Bad/search', JSON_TYPE],
        ['GET /health', JSON_TYPE],
        ['POST /v1/validate', 'Content-Type: application/json\r\nOrigin: https://evil.example\r\n'],
      ),
      fc.integer({ min: 1, max: 300_000 }),
      fc.boolean(),
    )
    .map(([[line, headers], size, chunked]) => {
      const body = '{'.repeat(size)
      const framing = chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${size}\r\n`
      return caseOf(
        'keep-alive-after-unread-body',
        `${line} with a ${size}-byte ${chunked ? 'chunked ' : ''}body it refuses, then GET /health on the same connection`,
        [
          request(
            `${line} HTTP/1.1`,
            `${HOST}${AUTH}{RID}${headers}${framing}`,
            chunked ? `${size.toString(16)}\r\n${body}\r\n0\r\n\r\n` : body,
          ),
          50,
          request('GET /health HTTP/1.1', HOST),
        ],
        { answers: 2 },
      )
    }),
]

/** One generated raw case (n numbers its request id, `fzr-<n>`). */
export const rawCase: fc.Arbitrary<Build> = fc.oneof(...builds)

/** Every kind the generator can produce, for the coverage check. */
export const RAW_KINDS: readonly RawKind[] = [
  'bad-request-line',
  'bad-version',
  'unknown-method',
  'connect',
  'nul-in-target',
  'space-in-target',
  'ctl-in-target',
  'long-target',
  'long-header',
  'many-headers',
  'http10-no-host',
  'bad-host',
  'header-syntax',
  'dup-content-length',
  'bad-content-length',
  'cl-and-te',
  'bad-chunk-size',
  'bad-transfer-encoding',
  'truncated-body',
  'keep-alive-after-unread-body',
]
