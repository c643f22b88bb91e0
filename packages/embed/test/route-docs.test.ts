import { kitErrors, problemResponse } from '@lakehouse/kit'
import { documentedAnswers, jsonRequest } from '@lakehouse/kit/testing'
import { providersErrors } from '@lakehouse/providers'
import { describe, expect, it } from 'vitest'
import { createEmbedService, EMBED_MOUNT, embedErrors } from '../src/index.ts'
import { fakeProvider } from './helpers.ts'

// A provider that answers what each test needs: vectors, a ragged answer, or a failure.
const ollama = fakeProvider((model, texts) => {
  if (model === 'ragged') return [[0.1, 0.2], [0.3]]
  if (model === 'down') throw providersErrors.problem('PROVIDER_UNAVAILABLE', { detail: 'the fake provider is down' })
  return texts.map(() => [0.1, 0.2, 0.3])
})
const svc = createEmbedService({ maxTexts: 4, maxTextChars: 50 }, { providers: { ollama } })
const check = documentedAnswers(svc.handler, [embedErrors, providersErrors])

/** Sends the request and returns its status, code (for a problem) and what is not as documented. */
async function documented(req: Request): Promise<{ status: number; code: unknown; wrong: string[] }> {
  const res = await svc.handler(req)
  const wrong = await check(req, res)
  const body = res.headers.get('content-type') === 'application/problem+json' ? ((await res.json()) as { code: unknown }) : undefined
  return { status: res.status, code: body?.code, wrong }
}

describe('POST /v1/embed answers as documented', () => {
  it.each([
    ['the default model', { texts: ['welder', 'line cook'] }, 200, undefined],
    ['a built-in model', { texts: ['a'], model: 'local/lexical-8' }, 200, undefined],
    ['a provider model', { texts: ['a', 'b'], model: 'ollama/nomic' }, 200, undefined],
    ['a body that does not fit', { texts: [], extra: 1 }, 400, 'HTTP_INVALID_REQUEST'],
    ['a model nothing serves', { texts: ['a'], model: 'openai/m' }, 400, 'EMBED_UNKNOWN_MODEL'],
    ['a provider answering ragged vectors', { texts: ['a', 'b'], model: 'ollama/ragged' }, 502, 'PROVIDER_BAD_RESPONSE'],
    ['a provider that is down', { texts: ['a'], model: 'ollama/down' }, 503, 'PROVIDER_UNAVAILABLE'],
    ['JSON that does not parse', '{"texts": [', 400, 'HTTP_MALFORMED_JSON'],
  ])('%s', async (_what, body, status, code) => {
    const r = await documented(jsonRequest('POST', EMBED_MOUNT, body))
    expect(r).toEqual({ status, code, wrong: [] })
  })

  it('tells an answer that is not as documented', async () => {
    const req = jsonRequest('POST', EMBED_MOUNT, { texts: ['a'] })
    const json = { 'content-type': 'application/json' }
    expect(await check(req, new Response('{"model":"m","dim":2,"vectors":[[1,2]],"extra":1}', { headers: json }))).not.toEqual([])
    expect(await check(req, new Response('{}', { status: 201, headers: json }))).not.toEqual([])
    // A documented status with a code the route does not list.
    expect(await check(req, problemResponse(kitErrors.problem('HTTP_BAD_REQUEST', { detail: 'x' }), EMBED_MOUNT))).not.toEqual([])
  })
})
