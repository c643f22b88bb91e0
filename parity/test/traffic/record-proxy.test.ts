import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusExchanges, type LoggedExchange, openExchangeLog, readExchangeLog } from '../../src/traffic/exchange-log.ts'
import { type RecordProxy, RecordProxyError, startRecordProxy } from '../../src/traffic/record-proxy.ts'
import { BINARY, deadUrl, GZIP_JSON, type RecordFixture, startRecordFixture } from './record-fixture.ts'

const CAP = 64 * 1024

let fixture: RecordFixture
let proxy: RecordProxy
let agent: Agent
let dir: string
let logPath: string
let log: ReturnType<typeof openExchangeLog>
const seen: LoggedExchange[] = []
const targetErrors: string[] = []

beforeAll(async () => {
  fixture = await startRecordFixture(CAP * 3)
  dir = mkdtempSync(join(tmpdir(), 'parity-record-'))
  logPath = join(dir, 'exchanges.ndjson')
  log = openExchangeLog(logPath, true)
  proxy = await startRecordProxy({
    host: '127.0.0.1',
    port: 0,
    target: fixture.url,
    maxBodyBytes: CAP,
    onExchange(entry) {
      log.append(entry)
      seen.push(entry)
    },
    onTargetError: (_m, _t, message) => targetErrors.push(message),
  })
  agent = new Agent({ connections: 32 })
})

afterAll(async () => {
  await proxy?.close()
  log?.close()
  await agent?.close()
  await fixture?.close()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

async function send(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Answer> {
  const res = await request(`${base}${path}`, {
    dispatcher: agent,
    method: (init.method ?? 'GET') as 'GET',
    ...(init.headers === undefined ? {} : { headers: init.headers }),
    ...(init.body === undefined ? {} : { body: init.body }),
  })
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) }
}

/** The entry logged for `path` (the target as sent), waiting for none: the answer is complete before the client has it. */
function entryFor(method: string, path: string): LoggedExchange {
  const found = seen.filter((e) => e.method === method && e.target === path)
  expect(found, `${method} ${path} logged once`).toHaveLength(1)
  return found[0] as LoggedExchange
}

/** The answer through the proxy equals the direct one: status, body bytes, headers the target chose. */
async function expectSameAnswer(path: string, init: Parameters<typeof send>[2] = {}): Promise<Answer> {
  const direct = await send(fixture.url, path, init)
  const proxied = await send(proxy.url, path, init)
  expect(proxied.status).toBe(direct.status)
  expect(proxied.body.equals(direct.body)).toBe(true)
  for (const name of ['content-type', 'content-length', 'etag', 'set-cookie', 'content-encoding', 'x-query']) {
    expect(proxied.headers[name], name).toEqual(direct.headers[name])
  }
  return proxied
}

describe('startRecordProxy', () => {
  it('forwards a GET of JSON byte for byte and records it', async () => {
    const answer = await expectSameAnswer('/json?x=1')
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    const e = entryFor('GET', '/json?x=1')
    expect(e.status).toBe(200)
    expect(e.responseBody).toEqual({ kind: 'json', text: '{"id":1,"title":"first post"}' })
    expect(e.responseHeaders.etag).toBe('"v1"')
    expect(e.responseHeaders['set-cookie']).toBe('a=1; Path=/, b=2; Path=/')
    expect(e.requestBody).toEqual({ kind: 'empty' })
    expect(e.truncated).toBeUndefined()
    expect(Number.isNaN(Date.parse(e.startedAt))).toBe(false)
  })

  it('forwards a POST of JSON and records both bodies', async () => {
    const body = '{"title":"new","tags":["a"]}'
    await expectSameAnswer('/echo?post=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const e = entryFor('POST', '/echo?post=1')
    expect(e.status).toBe(201)
    expect(e.requestBody).toEqual({ kind: 'json', text: body })
    expect(e.responseBody).toEqual({ kind: 'json', text: body })
    expect(e.requestHeaders['content-type']).toBe('application/json')
  })

  it('records binary bodies as base64 and passes them through unchanged', async () => {
    await expectSameAnswer('/binary')
    expect(entryFor('GET', '/binary').responseBody).toEqual({ kind: 'binary', base64: BINARY.toString('base64'), size: 256 })
    await expectSameAnswer('/echo?bin=1', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: BINARY })
    const e = entryFor('PUT', '/echo?bin=1')
    expect(e.requestBody).toEqual({ kind: 'binary', base64: BINARY.toString('base64'), size: 256 })
  })

  it('passes a body over the cap through whole and logs it as truncated, left out of the corpus', async () => {
    const answer = await expectSameAnswer('/large')
    expect(answer.body.byteLength).toBe(fixture.largeSize)
    const e = entryFor('GET', '/large')
    expect(e.truncated).toEqual({ response: fixture.largeSize })
    expect(e.responseBody).toEqual({ kind: 'empty' })
    const big = Buffer.alloc(CAP + 1, 'x')
    const echoed = await send(proxy.url, '/echo?big=1', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: big })
    expect(echoed.body.equals(big)).toBe(true)
    expect(entryFor('POST', '/echo?big=1').truncated).toEqual({ request: CAP + 1, response: CAP + 1 })
    const { exchanges, truncated } = corpusExchanges([
      entryFor('GET', '/large'),
      entryFor('POST', '/echo?big=1'),
      entryFor('GET', '/binary'),
    ])
    expect(truncated).toBe(2)
    expect(exchanges.map((x) => x.target)).toEqual(['/binary'])
    expect('truncated' in (exchanges[0] as object)).toBe(false)
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    const answer = await expectSameAnswer('/json?head=1', { method: 'HEAD' })
    expect(answer.body.byteLength).toBe(0)
    const e = entryFor('HEAD', '/json?head=1')
    expect(e.status).toBe(200)
    expect(e.responseBody).toEqual({ kind: 'empty' })
  })

  it('passes compressed bytes through and records the decoded body', async () => {
    const answer = await expectSameAnswer('/gzip', { headers: { 'accept-encoding': 'gzip' } })
    expect(answer.headers['content-encoding']).toBe('gzip')
    const e = entryFor('GET', '/gzip')
    expect(e.responseBody).toEqual({ kind: 'json', text: GZIP_JSON })
    expect(e.responseHeaders['content-encoding']).toBeUndefined()
  })

  it('sets host to the target and drops hop-by-hop headers, also those Connection names', async () => {
    // Raw bytes: undici would rewrite a Connection header naming other fields.
    const { port } = new URL(proxy.url)
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1')
      const chunks: Buffer[] = []
      socket.on('data', (c) => chunks.push(c))
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()))
      socket.on('error', reject)
      socket.write('GET /headers HTTP/1.1\r\nHost: proxy\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nX-Kept: 2\r\n\r\n')
    })
    const answer = { body: Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4)) }
    const received = JSON.parse(answer.body.toString()) as Record<string, string>
    expect(received.host).toBe(new URL(fixture.url).host)
    expect(received['x-hop']).toBeUndefined()
    expect(received['x-kept']).toBe('2')
    const e = entryFor('GET', '/headers')
    expect(e.requestHeaders['x-kept']).toBe('2')
    expect(e.requestHeaders['x-hop']).toBeUndefined()
    expect(e.requestHeaders.connection).toBeUndefined()
  })

  it('keeps 20 concurrent exchanges apart', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i * 100) }))
    const answers = await Promise.all(
      bodies.map((body, i) => send(proxy.url, `/echo?c=${i}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
    )
    answers.forEach((a, i) => {
      expect(a.status).toBe(201)
      expect(a.body.toString()).toBe(bodies[i])
      const e = entryFor('POST', `/echo?c=${i}`)
      expect(e.requestBody).toEqual({ kind: 'json', text: bodies[i] })
      expect(e.responseBody).toEqual({ kind: 'json', text: bodies[i] })
    })
  })

  it('streams: the client holds the first chunk before the target sends the last', async () => {
    const chunks: string[] = []
    const reading = (async () => {
      const res = await request(`${proxy.url}/slow`, { dispatcher: agent })
      for await (const chunk of res.body) {
        if (chunks.length === 0) {
          // A buffering proxy never gets here: the target holds its last chunk until now.
          expect(fixture.slowFinished()).toBe(false)
          fixture.releaseSlow()
        }
        chunks.push(String(chunk))
      }
    })()
    let timer: NodeJS.Timeout | undefined
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the first chunk never reached the client: the proxy buffers')), 10_000)
    })
    try {
      await Promise.race([reading, stuck])
    } finally {
      clearTimeout(timer)
      fixture.releaseSlow()
      await reading.catch(() => {})
    }
    expect(chunks.join('')).toBe('first;last')
    expect(entryFor('GET', '/slow').responseBody).toEqual({ kind: 'text', text: 'first;last' })
  })

  it('answers 502 problem+json when the target is down, and records nothing', async () => {
    const down = await startRecordProxy({
      host: '127.0.0.1',
      port: 0,
      target: await deadUrl(),
      onExchange: () => seen.push({} as LoggedExchange),
    })
    try {
      const before = seen.length
      const answer = await send(down.url, '/json')
      expect(answer.status).toBe(502)
      expect(answer.headers['content-type']).toBe('application/problem+json')
      expect(JSON.parse(answer.body.toString())).toMatchObject({ status: 502, title: 'Bad Gateway' })
      expect(down.stats()).toMatchObject({ recorded: 0, targetErrors: 1 })
      expect(seen.length).toBe(before)
    } finally {
      await down.close()
    }
  })

  it('cuts the client off when the target fails mid-answer, and records nothing', async () => {
    const before = proxy.stats().targetErrors
    const res = await request(`${proxy.url}/cut`, { dispatcher: agent })
    expect(res.statusCode).toBe(200)
    await expect(res.body.arrayBuffer()).rejects.toThrow()
    expect(proxy.stats().targetErrors).toBe(before + 1)
    expect(seen.filter((e) => e.target === '/cut')).toHaveLength(0)
  })

  it('records nothing of an exchange the client abandons', async () => {
    const before = proxy.stats().aborted
    const abort = new AbortController()
    const res = await request(`${proxy.url}/slow?abandon=1`, { dispatcher: agent, signal: abort.signal })
    for await (const _chunk of res.body) {
      abort.abort()
      break
    }
    // Bounded wait for the proxy to see the hang-up (at most 200 × 10 ms); no timing asserted.
    for (let i = 0; i < 200 && proxy.stats().aborted === before; i++) await new Promise((r) => setTimeout(r, 10))
    fixture.releaseSlow()
    expect(proxy.stats().aborted).toBe(before + 1)
    expect(seen.filter((e) => e.target === '/slow?abandon=1')).toHaveLength(0)
  })

  it('refuses past --max-exchanges with 503 and says so once', async () => {
    let limits = 0
    const small = await startRecordProxy({ host: '127.0.0.1', port: 0, target: fixture.url, maxExchanges: 2, onLimit: () => limits++ })
    try {
      expect((await send(small.url, '/json')).status).toBe(200)
      expect(limits).toBe(0)
      expect((await send(small.url, '/json')).status).toBe(200)
      expect(limits).toBe(1)
      expect((await send(small.url, '/json')).status).toBe(503)
      expect(small.stats()).toMatchObject({ recorded: 2, refused: 1, inFlight: 0 })
      expect(limits).toBe(1)
    } finally {
      await small.close()
    }
  })

  it('binds 127.0.0.1 only', async () => {
    await expect(startRecordProxy({ host: '0.0.0.0', port: 0, target: fixture.url })).rejects.toThrow(RecordProxyError)
    await expect(startRecordProxy({ host: '127.0.0.1', port: 0, target: 'ftp://x' })).rejects.toThrow(/http\(s\) URL/)
  })

  it('has logged every exchange; the log re-reads in start order and survives a torn last line', () => {
    log.close()
    appendFileSync(logPath, '{"startedAt":"2026-01-01T00:00:00.000Z","method":"GET","tar')
    const { entries, malformed } = readExchangeLog(logPath)
    expect(malformed).toBe(1)
    expect(entries).toHaveLength(seen.length)
    const byStart = [...seen].sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    expect(entries.map((e) => e.startedAt)).toEqual(byStart.map((e) => e.startedAt))
    expect(new Set(entries.map((e) => `${e.method} ${e.target}`))).toEqual(new Set(seen.map((e) => `${e.method} ${e.target}`)))
    for (const e of entries) expect(e).toEqual(seen.find((s) => s.method === e.method && s.target === e.target))
  })
})
