import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderClient, ProviderKind } from '../src/index.ts'
import { clientFor } from './helpers.ts'
import { type ProtocolPeer, peerVector, startProtocolPeer } from './protocol-peer.ts'

let peer: ProtocolPeer
const clients: ProviderClient[] = []
const open = (kind: ProviderKind, apiKey?: string) => {
  const c = clientFor(peer, kind, apiKey === undefined ? {} : { apiKey })
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

describe('ollama client', () => {
  it('embeds a batch with POST /api/embed {model, input}', async () => {
    const vectors = await open('ollama').embed('nomic-embed-text', ['hello', 'a longer text'])
    expect(vectors).toEqual([peerVector('hello'), peerVector('a longer text')])
    expect(peer.requests).toHaveLength(1)
    expect(peer.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/embed',
      body: { model: 'nomic-embed-text', input: ['hello', 'a longer text'] },
    })
    expect(peer.requests[0]?.headers['content-type']).toBe('application/json')
  })

  it('chats with stream: false and maps options and token counts', async () => {
    const completion = await open('ollama').chat(
      'llama3',
      [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      {
        temperature: 0.2,
        maxTokens: 64,
      },
    )
    expect(completion).toEqual({ content: 'echo: hi', usage: { prompt_tokens: 7, completion_tokens: 3 } })
    expect(peer.requests[0]).toMatchObject({
      path: '/api/chat',
      body: {
        model: 'llama3',
        stream: false,
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi' },
        ],
        options: { temperature: 0.2, num_predict: 64 },
      },
    })
  })

  it('leaves unset chat options out of the body', async () => {
    await open('ollama').chat('llama3', [{ role: 'user', content: 'x' }])
    expect(peer.requests[0]?.body).toEqual({ model: 'llama3', messages: [{ role: 'user', content: 'x' }], stream: false, options: {} })
  })

  it('makes no request for an empty batch', async () => {
    expect(await open('ollama').embed('m', [])).toEqual([])
    expect(peer.requests).toHaveLength(0)
  })
})

describe('openai client', () => {
  it('embeds with POST {base}/embeddings and orders the vectors by index', async () => {
    const texts = ['first', 'second', 'third']
    // The peer answers `data` in reverse; the client must restore input order.
    expect(await open('openai').embed('text-embedding-3-small', texts)).toEqual(texts.map((t) => peerVector(t)))
    expect(peer.requests[0]).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: texts } })
  })

  it('chats with POST {base}/chat/completions and maps max_tokens and usage', async () => {
    const completion = await open('openai').chat('gpt-4o-mini', [{ role: 'user', content: 'hello' }], { temperature: 0, maxTokens: 10 })
    expect(completion).toEqual({ content: 'echo: hello', usage: { prompt_tokens: 11, completion_tokens: 5 } })
    expect(peer.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
      temperature: 0,
      max_tokens: 10,
    })
  })

  it('sends Authorization: Bearer only when an apiKey is configured', async () => {
    await open('openai', 'sk-test-123').embed('m', ['x'])
    await open('openai').embed('m', ['x'])
    expect(peer.requests.map((r) => r.headers.authorization)).toEqual(['Bearer sk-test-123', undefined])
  })

  it('answers without usage when the server sends none', async () => {
    peer.script('/v1/chat/completions', [{ status: 200, body: JSON.stringify({ choices: [{ message: { content: 'ok' } }] }) }])
    expect(await open('openai').chat('m', [{ role: 'user', content: 'x' }])).toEqual({ content: 'ok' })
  })
})
