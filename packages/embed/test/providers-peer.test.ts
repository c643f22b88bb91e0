import { createProviderClient, type ProviderClient } from '@lakehouse/providers'
import { type ProtocolPeer, peerVector, startProtocolPeer } from '@lakehouse/providers/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedService, type EmbedService } from '../src/index.ts'
import { post } from './helpers.ts'

let peer: ProtocolPeer
let ollama: ProviderClient
let openai: ProviderClient
let svc: EmbedService

beforeAll(async () => {
  peer = await startProtocolPeer({ dim: 3 })
  const waits = async () => undefined
  ollama = createProviderClient({ kind: 'ollama', baseUrl: peer.url, timeoutMs: 2000, maxRetries: 1 }, { sleep: waits })
  openai = createProviderClient({ kind: 'openai', baseUrl: `${peer.url}/v1`, apiKey: 'sk-peer' }, { sleep: waits })
  svc = createEmbedService({}, { providers: { ollama, openai } })
})
afterAll(async () => {
  await svc.close()
  await Promise.all([ollama.close(), openai.close()])
  await peer.close()
})

describe('embed through the real provider clients', () => {
  it.each([
    ['ollama/nomic-embed-text', '/api/embed', 'nomic-embed-text'],
    ['openai/text-embedding-3-small', '/v1/embeddings', 'text-embedding-3-small'],
  ])('serves %s from the peer', async (model, path, remote) => {
    peer.reset()
    const texts = ['welder', 'forklift operator', '']
    const result = await svc.embed(texts, model)
    expect(result).toEqual({ model, dim: 3, vectors: texts.map((t) => Float32Array.from(peerVector(t, 3))) })
    expect(peer.requests.map((r) => [r.path, r.body])).toEqual([[path, { model: remote, input: texts }]])
  })

  it('answers the HTTP route from the peer', async () => {
    const r = await post(svc, { texts: ['cook'], model: 'openai/m' })
    expect([r.status, r.body]).toEqual([200, { model: 'openai/m', dim: 3, vectors: [peerVector('cook', 3)] }])
  })

  it('turns an exhausted provider into 503 PROVIDER_UNAVAILABLE with Retry-After', async () => {
    peer.reset()
    peer.script('/api/embed', [
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': '2' } },
    ])
    const r = await post(svc, { texts: ['x'], model: 'ollama/m' })
    expect([r.status, r.body.code, r.headers.get('retry-after')]).toEqual([503, 'PROVIDER_UNAVAILABLE', '2'])
  })

  it('turns a hung provider into 504 PROVIDER_TIMEOUT', async () => {
    peer.reset()
    peer.script('/api/embed', ['hang', 'hang'])
    const r = await post(svc, { texts: ['x'], model: 'ollama/m' })
    expect([r.status, r.body.code]).toEqual([504, 'PROVIDER_TIMEOUT'])
  })

  it('turns a ragged provider answer into 502 PROVIDER_BAD_RESPONSE', async () => {
    peer.reset()
    peer.script('/api/embed', [
      {
        status: 200,
        body: JSON.stringify({
          embeddings: [
            [1, 2, 3],
            [1, 2],
          ],
        }),
      },
    ])
    const r = await post(svc, { texts: ['a', 'b'], model: 'ollama/m' })
    expect([r.status, r.body.code]).toEqual([502, 'PROVIDER_BAD_RESPONSE'])
  })
})
