import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createEmbedService, createLexicalModel, EMBED_MOUNT } from '../src/index.ts'
import { fakeProvider, post, send, triples } from './helpers.ts'

const svc = createEmbedService({ maxTexts: 4, maxTextChars: 50, maxBodyBytes: 4096 })

describe('POST /v1/embed', () => {
  it('answers 200 {model, dim, vectors} with the Float32 values as JSON numbers', async () => {
    expect(EMBED_MOUNT).toBe('/v1/embed')
    const r = await post(svc, { texts: ['industrial electrician', 'line cook'] })
    expect([r.status, r.headers.get('content-type')]).toEqual([200, 'application/json'])
    expect(Object.keys(r.body)).toEqual(['model', 'dim', 'vectors'])
    expect([r.body.model, r.body.dim, r.body.vectors.length]).toEqual(['local/lexical-384', 384, 2])
    const model = createLexicalModel(384)
    // Each number parses back to exactly the float32 the model produced.
    expect(Float32Array.from(r.body.vectors[0])).toEqual(model.embed('industrial electrician'))
    expect(Float32Array.from(r.body.vectors[1])).toEqual(model.embed('line cook'))
    expect(r.text).toContain(`[${model.embed('line cook').join(',')}]`)
  })

  it('honours model, including provider models', async () => {
    const ollama = fakeProvider((_m, texts) => texts.map(() => [0.1, 0.2]))
    const withProvider = createEmbedService({}, { providers: { ollama } })
    expect((await post(withProvider, { texts: ['a'], model: 'local/lexical-16' })).body.dim).toBe(16)
    const r = await post(withProvider, { texts: ['a'], model: 'ollama/nomic-embed-text' })
    // 0.1 is not a float32; the answer carries the float32 nearest to it.
    expect(r.text).toBe(`{"model":"ollama/nomic-embed-text","dim":2,"vectors":[[${Math.fround(0.1)},${Math.fround(0.2)}]]}`)
  })

  it('returns zero vectors for texts without words', async () => {
    const r = await post(svc, { texts: ['', '!!!'], model: 'local/lexical-8' })
    expect(r.body.vectors).toEqual([Array(8).fill(0), Array(8).fill(0)])
  })

  it('answers 400 EMBED_UNKNOWN_MODEL for a model nothing serves', async () => {
    const r = await post(svc, { texts: ['a'], model: 'ollama/llama' })
    expect([r.status, r.body.code, r.headers.get('content-type')]).toEqual([400, 'EMBED_UNKNOWN_MODEL', 'application/problem+json'])
  })

  it.each([
    ['a body that is not an object', ['a'], [['schema', '$', 'type']]],
    ['a null body', null, [['schema', '$', 'type']]],
    ['a missing texts', { model: 'local/lexical-8' }, [['schema', '$.texts', 'required']]],
    ['texts that is a string', { texts: 'a' }, [['schema', '$.texts', 'type']]],
    ['no texts', { texts: [] }, [['length', '$.texts', 'empty']]],
    ['too many texts', { texts: ['a', 'b', 'c', 'd', 'e'] }, [['length', '$.texts', 'too_long']]],
    [
      'texts that are not strings',
      { texts: ['a', 1, null] },
      [
        ['schema', '$.texts[1]', 'type'],
        ['schema', '$.texts[2]', 'type'],
      ],
    ],
    ['a text that is too long', { texts: ['a', 'x'.repeat(51)] }, [['length', '$.texts[1]', 'too_long']]],
    ['a model that is not a string', { texts: ['a'], model: 384 }, [['schema', '$.model', 'type']]],
    ['an empty model', { texts: ['a'], model: '' }, [['length', '$.model', 'empty']]],
    ['a model name that is too long', { texts: ['a'], model: `ollama/${'m'.repeat(200)}` }, [['length', '$.model', 'too_long']]],
    ['an unknown member', { texts: ['a'], input: ['b'] }, [['schema', '$.input', 'additional_property']]],
    [
      'the OpenAI spelling input for texts',
      { input: ['a'] },
      [
        ['schema', '$.texts', 'required'],
        ['schema', '$.input', 'additional_property'],
      ],
    ],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (_label, body, expected) => {
    const r = await post(svc, body)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(triples(r.body.errors)).toEqual(expected)
    expect(r.body.detail).toMatch(/^\d+ problems? in the request body; first: /)
  })

  it('lists every mistake of one body at once', async () => {
    const r = await post(svc, { texts: ['a', 7, 'x'.repeat(51)], model: '', inputs: 1 })
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.inputs', 'additional_property'],
      ['schema', '$.texts[1]', 'type'],
      ['length', '$.texts[2]', 'too_long'],
      ['length', '$.model', 'empty'],
    ])
  })

  it('counts maxTextChars in code points, as the schema does', async () => {
    const r = await post(svc, { texts: ['\u{1F600}'.repeat(50)], model: 'local/lexical-8' })
    expect([r.status, r.body.dim]).toEqual([200, 8])
  })

  it('answers 400 for malformed JSON', async () => {
    const r = await post(svc, '{"texts": [')
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_MALFORMED_JSON'])
  })

  it('answers 415 for a body that is not JSON', async () => {
    const r = await send(
      svc,
      new Request(`${TEST_ORIGIN}/v1/embed`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }),
    )
    expect([r.status, r.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
  })

  it('answers 413 past maxBodyBytes', async () => {
    const r = await post(svc, { texts: ['x'.repeat(5000)] })
    expect([r.status, r.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
  })

  it('answers 404 off the route and 405 with Allow for other methods', async () => {
    expect((await post(svc, { texts: ['a'] }, '/v1/embed/x')).body.code).toBe('HTTP_NOT_FOUND')
    const wrong = await send(svc, jsonRequest('GET', '/v1/embed'))
    expect([wrong.status, wrong.body.code, wrong.headers.get('allow')]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED', 'POST'])
  })
})
