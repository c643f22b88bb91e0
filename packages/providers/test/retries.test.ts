import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderClient } from '../src/index.ts'
import { clientFor, problemOf, recordingSleep } from './helpers.ts'
import { type ProtocolPeer, peerVector, startProtocolPeer } from './protocol-peer.ts'

let peer: ProtocolPeer
const clients: ProviderClient[] = []
const track = (c: ProviderClient) => {
  clients.push(c)
  return c
}

beforeAll(async () => {
  peer = await startProtocolPeer()
})
afterEach(() => peer.reset())
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await peer.close()
})

describe('retries on 429 and 503', () => {
  it('honours Retry-After in seconds and then succeeds', async () => {
    peer.script('/api/embed', [
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503, headers: { 'retry-after': '2' } },
    ])
    const { waits, sleep } = recordingSleep()
    expect(await track(clientFor(peer, 'ollama', {}, { sleep })).embed('m', ['ok'])).toEqual([peerVector('ok')])
    expect(waits).toEqual([0, 1000, 2000])
    expect(peer.requests).toHaveLength(4)
  })

  it('honours Retry-After as an HTTP date, relative to the injected clock', async () => {
    peer.script('/v1/chat/completions', [
      { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:02 GMT' } },
      { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' } },
    ])
    const { waits, sleep } = recordingSleep()
    const now = () => Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    const c = track(clientFor(peer, 'openai', {}, { sleep, now }))
    expect((await c.chat('m', [{ role: 'user', content: 'x' }])).content).toBe('echo: x')
    // Two seconds ahead, then a date already past.
    expect(waits).toEqual([2000, 0])
  })

  it('caps a long Retry-After at 30 s', async () => {
    peer.script('/api/embed', [{ status: 429, headers: { 'retry-after': '86400' } }])
    const { waits, sleep } = recordingSleep()
    await track(clientFor(peer, 'ollama', {}, { sleep })).embed('m', ['x'])
    expect(waits).toEqual([30_000])
  })

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    peer.script('/api/embed', [{ status: 503 }, { status: 503 }, { status: 429, headers: { 'retry-after': 'soon' } }])
    const { waits, sleep } = recordingSleep()
    const random = [0, 0.5, 0.999]
    const c = track(clientFor(peer, 'ollama', {}, { sleep, random: () => random.shift() ?? 0 }))
    await c.embed('m', ['x'])
    // 250·2^n scaled into [50 %, 100 %]: 125 (random 0), 375 (0.5 of 500), ≈1000 (0.999 of 1000).
    expect(waits).toEqual([125, 375, 1000])
  })

  it('gives up after maxRetries with 503 PROVIDER_UNAVAILABLE carrying the upstream Retry-After', async () => {
    peer.script('/api/embed', Array(4).fill({ status: 429, headers: { 'retry-after': '7' } }))
    const { waits, sleep } = recordingSleep()
    const p = await problemOf(track(clientFor(peer, 'ollama', {}, { sleep })).embed('m', ['x']))
    expect([p.status, p.code, p.headers?.['retry-after']]).toEqual([503, 'PROVIDER_UNAVAILABLE', '7'])
    expect(p.extensions).toEqual({ provider: 'ollama', attempts: 4, upstream_status: 429 })
    expect(waits).toEqual([7000, 7000, 7000])
    expect(peer.requests).toHaveLength(4)
  })

  it('respects maxRetries: 0 and suggests its own Retry-After when the upstream gave none', async () => {
    peer.script('/v1/embeddings', [{ status: 503 }])
    const { waits, sleep } = recordingSleep()
    const p = await problemOf(track(clientFor(peer, 'openai', { maxRetries: 0 }, { sleep })).embed('m', ['x']))
    expect([p.code, p.headers?.['retry-after'], waits, peer.requests.length]).toEqual(['PROVIDER_UNAVAILABLE', '5', [], 1])
  })
})

describe('retries on connection failures', () => {
  it('retries a dropped connection and succeeds', async () => {
    peer.script('/v1/embeddings', ['reset', 'reset'])
    const { waits, sleep } = recordingSleep()
    expect(await track(clientFor(peer, 'openai', {}, { sleep })).embed('m', ['x'])).toEqual([peerVector('x')])
    expect(waits).toEqual([188, 375])
  })

  it('answers 503 PROVIDER_UNAVAILABLE when nothing listens', async () => {
    const gone = await startProtocolPeer()
    const baseUrl = gone.url
    await gone.close()
    const { waits, sleep } = recordingSleep()
    const p = await problemOf(track(clientFor(gone, 'ollama', { baseUrl, maxRetries: 2 }, { sleep })).embed('m', ['x']))
    expect([p.status, p.code, p.headers?.['retry-after'], p.extensions?.attempts]).toEqual([503, 'PROVIDER_UNAVAILABLE', '5', 3])
    expect(p.detail).toMatch(/^ollama POST \/api\/embed could not be reached \(\w+\) after 3 attempts$/)
    expect(waits).toHaveLength(2)
  })
})

describe('timeouts', () => {
  it('answers 504 PROVIDER_TIMEOUT when the server never answers', async () => {
    peer.script('/api/chat', ['hang', 'hang'])
    const { waits, sleep } = recordingSleep()
    const started = performance.now()
    const p = await problemOf(
      track(clientFor(peer, 'ollama', { timeoutMs: 1000, maxRetries: 1 }, { sleep })).chat('m', [{ role: 'user', content: 'x' }]),
    )
    expect([p.status, p.code]).toEqual([504, 'PROVIDER_TIMEOUT'])
    expect(p.extensions).toEqual({ provider: 'ollama', attempts: 2, timeout_ms: 1000 })
    expect(p.detail).toBe('ollama POST /api/chat did not answer within 1000 ms (2 attempts)')
    expect(waits).toHaveLength(1)
    // Bounded, not hung: two 1 s attempts plus generous slack for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(20_000)
  })

  it('retries after a timeout and succeeds', async () => {
    peer.script('/v1/embeddings', ['hang'])
    const { sleep } = recordingSleep()
    expect(await track(clientFor(peer, 'openai', { timeoutMs: 1000 }, { sleep })).embed('m', ['x'])).toEqual([peerVector('x')])
    expect(peer.requests).toHaveLength(2)
  })

  it('stops waiting when the client is closed', async () => {
    peer.script('/api/embed', ['hang'])
    const c = clientFor(peer, 'ollama')
    const pending = problemOf(c.embed('m', ['x']))
    while (peer.requests.length === 0) await new Promise((r) => setTimeout(r, 5))
    await c.close()
    const p = await pending
    expect([p.code, p.detail]).toEqual(['PROVIDER_UNAVAILABLE', 'ollama provider client is closed'])
    expect((await problemOf(c.embed('m', ['x']))).code).toBe('PROVIDER_UNAVAILABLE')
    await c.close()
  })
})
