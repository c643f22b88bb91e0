import { isProblem } from '@lakehouse/kit'
import { providersErrors } from '@lakehouse/providers'
import { describe, expect, it } from 'vitest'
import { createEmbedService, createLexicalModel, embedErrors, routeModel } from '../src/index.ts'
import { fakeProvider, problemOf } from './helpers.ts'

describe('embed error registry', () => {
  it('pins codes and statuses', () => {
    expect(Object.entries(embedErrors.specs).map(([code, s]) => [code, s.status])).toEqual([['EMBED_UNKNOWN_MODEL', 400]])
  })
})

describe('routeModel', () => {
  it.each([
    ['local/lexical-384', { kind: 'local', model: 'local/lexical-384', dim: 384 }],
    ['local/lexical-8', { kind: 'local', model: 'local/lexical-8', dim: 8 }],
    ['local/lexical-4096', { kind: 'local', model: 'local/lexical-4096', dim: 4096 }],
    ['ollama/nomic-embed-text', { kind: 'provider', model: 'ollama/nomic-embed-text', prefix: 'ollama', remote: 'nomic-embed-text' }],
    ['openai/org/model:v1', { kind: 'provider', model: 'openai/org/model:v1', prefix: 'openai', remote: 'org/model:v1' }],
  ])('routes %s', (name, route) => {
    expect(routeModel(name, ['ollama', 'openai'])).toEqual(route)
  })

  it.each([
    'local/lexical-7',
    'local/lexical-4097',
    'local/lexical-0384',
    'local/lexical-',
    'local/lexical-384 ',
    'local/other',
    'Local/lexical-384',
    'lexical-384',
    'openai/x',
    'ollama/',
    'foo/bar',
    '',
  ])('answers EMBED_UNKNOWN_MODEL for %j', (name) => {
    try {
      routeModel(name, ['ollama'])
      expect.unreachable()
    } catch (err) {
      expect(isProblem(err) && [err.status, err.code]).toEqual([400, 'EMBED_UNKNOWN_MODEL'])
    }
  })

  it('lists what is available', async () => {
    const p = await problemOf(createEmbedService({}, { providers: { ollama: fakeProvider(() => []) } }).embed(['x'], 'openai/m'))
    expect(p.detail).toBe(
      'unknown model "openai/m": no provider is configured for "openai/"; available: local/lexical-<8..4096>, ollama/<model>',
    )
    expect(p.extensions).toEqual({ available: ['local/lexical-<8..4096>', 'ollama/<model>'] })
  })
})

describe('embed() with the built-in model', () => {
  it('defaults to local/lexical-<config.dim>', async () => {
    expect(createEmbedService().defaultModel).toBe('local/lexical-384')
    const svc = createEmbedService({ dim: 64 })
    expect(svc.defaultModel).toBe('local/lexical-64')
    const result = await svc.embed(['welder', 'cook'])
    expect([result.model, result.dim, result.vectors.length]).toEqual(['local/lexical-64', 64, 2])
    expect(result.vectors[0]).toBeInstanceOf(Float32Array)
    expect(result.vectors[0]).toEqual(createLexicalModel(64).embed('welder'))
  })

  it('serves any local/lexical-<dim> by name, whatever the default', async () => {
    const result = await createEmbedService().embed(['welder'], 'local/lexical-1000')
    expect([result.model, result.dim, result.vectors[0]?.length]).toEqual(['local/lexical-1000', 1000, 1000])
  })

  it('takes batches larger than maxTexts in-process, and an empty batch', async () => {
    const svc = createEmbedService({ maxTexts: 2 })
    expect((await svc.embed(['a', 'b', 'c', 'd', 'e'])).vectors).toHaveLength(5)
    expect(await svc.embed([])).toEqual({ model: 'local/lexical-384', dim: 384, vectors: [] })
  })

  it('refuses a text over maxTextChars or that is not a string with HTTP_INVALID_REQUEST', async () => {
    const svc = createEmbedService({ maxTextChars: 10 })
    const long = await problemOf(svc.embed(['ok', 'x'.repeat(11)]))
    expect([long.code, long.errors?.[0]?.field, long.errors?.[0]?.reason]).toEqual(['HTTP_INVALID_REQUEST', '$.texts[1]', 'too_long'])
    const wrong = await problemOf(svc.embed([7 as unknown as string]))
    expect([wrong.code, wrong.errors?.[0]?.reason]).toEqual(['HTTP_INVALID_REQUEST', 'type'])
  })
})

describe('embed() through a provider client', () => {
  it('routes by prefix, strips it, and converts to Float32Array', async () => {
    const ollama = fakeProvider((_m, texts) => texts.map((t) => [t.length, 0.1, -2]))
    const openai = fakeProvider((_m, texts) => texts.map(() => [1, 2]))
    const svc = createEmbedService({}, { providers: { ollama, openai } })
    const result = await svc.embed(['hello', 'hi'], 'ollama/nomic-embed-text')
    expect(ollama.calls).toEqual([{ model: 'nomic-embed-text', texts: ['hello', 'hi'] }])
    expect(openai.calls).toEqual([])
    expect(result).toEqual({
      model: 'ollama/nomic-embed-text',
      dim: 3,
      vectors: [Float32Array.of(5, 0.1, -2), Float32Array.of(2, 0.1, -2)],
    })
    expect((await svc.embed(['x'], 'openai/text-embedding-3-small')).dim).toBe(2)
  })

  it('sends at most maxTexts texts per provider call', async () => {
    const ollama = fakeProvider((_m, texts) => texts.map(() => [1]))
    const result = await createEmbedService({ maxTexts: 2 }, { providers: { ollama } }).embed(['a', 'b', 'c', 'd', 'e'], 'ollama/m')
    expect(ollama.calls.map((c) => c.texts)).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    expect(result.vectors).toHaveLength(5)
  })

  it('makes no call for an empty batch', async () => {
    const ollama = fakeProvider(() => [])
    expect(await createEmbedService({}, { providers: { ollama } }).embed([], 'ollama/m')).toEqual({
      model: 'ollama/m',
      dim: 0,
      vectors: [],
    })
    expect(ollama.calls).toEqual([])
  })

  it.each([
    ['too few vectors', () => [[1, 2]], /1 vectors for 2 texts/],
    ['not an array', () => ({ embeddings: [] }), /no vectors for 2 texts/],
    ['vectors of different dimensions', () => [[1, 2], [3]], /has 1 dimensions, the first had 2/],
    ['an empty vector', () => [[], []], /not a non-empty array/],
    [
      'a non-number',
      () => [
        [1, '2'],
        [3, 4],
      ],
      /non-finite value at 1/,
    ],
    [
      'a value beyond Float32 range',
      () => [
        [1, 1e39],
        [3, 4],
      ],
      /non-finite value at 1/,
    ],
  ])('answers 502 PROVIDER_BAD_RESPONSE for %s', async (_label, answer, detail) => {
    const svc = createEmbedService({}, { providers: { ollama: fakeProvider(answer) } })
    const p = await problemOf(svc.embed(['a', 'b'], 'ollama/m'))
    expect([p.status, p.code]).toEqual([502, 'PROVIDER_BAD_RESPONSE'])
    expect(p.detail).toMatch(detail)
  })

  it('checks dimensions across batches too', async () => {
    let call = 0
    const ollama = fakeProvider((_m, texts) => texts.map(() => (call++ < 2 ? [1, 2] : [1, 2, 3])))
    expect((await problemOf(createEmbedService({ maxTexts: 2 }, { providers: { ollama } }).embed(['a', 'b', 'c'], 'ollama/m'))).code).toBe(
      'PROVIDER_BAD_RESPONSE',
    )
  })

  it('passes provider problems through unchanged', async () => {
    const down = providersErrors.problem('PROVIDER_UNAVAILABLE', { headers: { 'retry-after': '5' } })
    const ollama = fakeProvider(() => {
      throw down
    })
    expect(await problemOf(createEmbedService({}, { providers: { ollama } }).embed(['a'], 'ollama/m'))).toBe(down)
  })
})

describe('createEmbedService config', () => {
  it.each([{ dim: 7 }, { dim: 4097 }, { maxTexts: 0 }, { maxTextChars: 0 }, { maxBodyBytes: 10 }])(
    'refuses %j with CONFIG_INVALID',
    (config) => {
      expect(() => createEmbedService(config)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    },
  )

  it.each(['local', 'Ollama', 'open ai', ''])('refuses the provider prefix %j', (prefix) => {
    expect(() => createEmbedService({}, { providers: { [prefix]: fakeProvider(() => []) } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    )
  })

  it('does not close the provider clients it was given', async () => {
    let closed = false
    const ollama = {
      ...fakeProvider(() => []),
      close: async () => {
        closed = true
      },
    }
    const svc = createEmbedService({}, { providers: { ollama } })
    await svc.close()
    await svc.close()
    expect(closed).toBe(false)
  })
})
