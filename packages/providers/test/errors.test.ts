import { problemBody } from '@lakehouse/kit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ProviderClient, type ProviderKind, providersErrors } from '../src/index.ts'
import { clientFor, problemOf, recordingSleep } from './helpers.ts'
import { type ProtocolPeer, startProtocolPeer } from './protocol-peer.ts'

let peer: ProtocolPeer
const clients: ProviderClient[] = []
const track = (c: ProviderClient) => {
  clients.push(c)
  return c
}
const EMBED_PATH: Record<ProviderKind, string> = { ollama: '/api/embed', openai: '/v1/embeddings' }

beforeAll(async () => {
  peer = await startProtocolPeer()
})
afterEach(() => peer.reset())
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await peer.close()
})

describe('provider error registry', () => {
  it('pins codes and statuses', () => {
    const table = Object.entries(providersErrors.specs).map(([code, s]) => [code, s.status])
    expect(table).toEqual([
      ['PROVIDER_UNAVAILABLE', 503],
      ['PROVIDER_TIMEOUT', 504],
      ['PROVIDER_BAD_RESPONSE', 502],
      ['PROVIDER_REJECTED', 502],
    ])
  })
})

describe.each(['ollama', 'openai'] as const)('%s client, bad responses', (kind) => {
  const path = EMBED_PATH[kind]
  const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) })
  const wrongCount = kind === 'ollama' ? { embeddings: [[1, 2]] } : { data: [{ index: 0, embedding: [1, 2] }] }
  const ragged =
    kind === 'ollama'
      ? { embeddings: [[1, 2], [3]] }
      : {
          data: [
            { index: 0, embedding: [1, 2] },
            { index: 1, embedding: [3] },
          ],
        }

  it.each([
    ['a body that is not JSON', { status: 200, body: '<html>oops</html>' }, /not JSON/],
    ['an empty body', { status: 200, body: '' }, /not JSON/],
    ['the wrong shape', ok({ vectors: [] }), /without/],
    ['too few vectors', ok(wrongCount), /1 vectors for 2 texts/],
    ['vectors of different lengths', ok(ragged), /different lengths/],
    [
      'a non-finite number',
      {
        status: 200,
        body: kind === 'ollama' ? '{"embeddings":[[1e999],[1]]}' : '{"data":[{"index":0,"embedding":[1e999]},{"index":1,"embedding":[1]}]}',
      },
      /non-number at \[0\]\[0\]/,
    ],
  ])('answers 502 PROVIDER_BAD_RESPONSE for %s, without retrying', async (_label, step, detail) => {
    peer.script(path, [step])
    const p = await problemOf(track(clientFor(peer, kind)).embed('m', ['a', 'b']))
    expect([p.status, p.code]).toEqual([502, 'PROVIDER_BAD_RESPONSE'])
    expect(p.detail).toMatch(detail)
    expect(peer.requests).toHaveLength(1)
  })

  it.each([400, 401, 404, 422, 500])('answers 502 PROVIDER_REJECTED with upstream_status for %i, without retrying', async (status) => {
    peer.script(path, [{ status, body: JSON.stringify({ error: `model "m" said no (${status})` }) }])
    const { waits, sleep } = recordingSleep()
    const p = await problemOf(track(clientFor(peer, kind, {}, { sleep })).embed('m', ['a']))
    expect([p.status, p.code, p.extensions?.upstream_status]).toEqual([502, 'PROVIDER_REJECTED', status])
    expect(p.detail).toBe(
      `${kind} POST ${kind === 'ollama' ? '/api/embed' : '/embeddings'} answered ${status}: model "m" said no (${status})`,
    )
    expect([peer.requests.length, waits]).toEqual([1, []])
  })
})

describe('rejections', () => {
  it('quote the upstream text when it is not JSON, and say so when it is empty', async () => {
    peer.script('/api/embed', [
      { status: 404, body: 'page\r\nnot found' },
      { status: 401, body: '' },
    ])
    const c = track(clientFor(peer, 'ollama'))
    expect((await problemOf(c.embed('m', ['a']))).detail).toBe('ollama POST /api/embed answered 404: page not found')
    expect((await problemOf(c.embed('m', ['a']))).detail).toBe('ollama POST /api/embed answered 401: (empty body)')
  })
})

describe('openai client, item indexes', () => {
  it.each([
    ['repeated', [0, 0]],
    ['out of range', [0, 2]],
    ['missing', [0, null]],
  ])('rejects an index that is %s', async (_label, indexes) => {
    peer.script('/v1/embeddings', [{ status: 200, body: JSON.stringify({ data: indexes.map((index) => ({ index, embedding: [1] })) }) }])
    expect((await problemOf(track(clientFor(peer, 'openai')).embed('m', ['a', 'b']))).code).toBe('PROVIDER_BAD_RESPONSE')
  })
})

describe('chat, bad responses', () => {
  it.each(['ollama', 'openai'] as const)('%s: answers 502 when the content is missing', async (kind) => {
    peer.script(kind === 'ollama' ? '/api/chat' : '/v1/chat/completions', [{ status: 200, body: '{"message":{},"choices":[]}' }])
    const p = await problemOf(track(clientFor(peer, kind)).chat('m', [{ role: 'user', content: 'x' }]))
    expect(p.code).toBe('PROVIDER_BAD_RESPONSE')
  })
})

describe('the API key', () => {
  const KEY = 'sk-live-SECRET-0123456789'

  it('never appears in a problem, even when the upstream echoes it', async () => {
    const guarded = await startProtocolPeer({ apiKey: 'sk-the-right-one' })
    try {
      const c = track(clientFor(guarded, 'openai', { apiKey: KEY }))
      const p = await problemOf(c.embed('m', ['a']))
      expect([p.code, p.extensions?.upstream_status]).toEqual(['PROVIDER_REJECTED', 401])
      // The peer did receive the key, and quoted it back.
      expect(guarded.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
      expect(p.detail).toBe('openai POST /embeddings answered 401: Incorrect API key provided: Bearer [redacted]')
      const everything = JSON.stringify({ body: problemBody(p, '/x'), headers: p.headers, message: p.message })
      expect(everything).not.toContain(KEY)
      expect(everything).not.toContain('SECRET')
    } finally {
      await guarded.close()
    }
  })

  it('is not echoed by timeout, unavailable or bad-response problems', async () => {
    peer.script('/v1/embeddings', ['hang', { status: 503 }, { status: 200, body: 'nope' }])
    const { sleep } = recordingSleep()
    const c = track(clientFor(peer, 'openai', { apiKey: KEY, timeoutMs: 1500, maxRetries: 0 }, { sleep }))
    for (const code of ['PROVIDER_TIMEOUT', 'PROVIDER_UNAVAILABLE', 'PROVIDER_BAD_RESPONSE']) {
      const p = await problemOf(c.embed('m', ['a']))
      expect(p.code).toBe(code)
      expect(JSON.stringify({ body: problemBody(p, '/x'), headers: p.headers })).not.toContain('SECRET')
    }
  })
})
