import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { backoffMs, createProviderClient, MAX_RETRY_WAIT_MS, type ProviderEndpoint, parseRetryAfterMs, retryWaitMs } from '../src/index.ts'

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z')
  it.each([
    ['0', 0],
    ['1', 1000],
    [' 120 ', 120_000],
    ['Wed, 01 Jan 2025 00:00:03 GMT', 3000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfterMs(value, now)).toBe(ms)
  })

  it.each([undefined, '', '-1', '1.5', 'soon', 'Foo, 99 Bar 2025'])('ignores %j', (value) => {
    expect(parseRetryAfterMs(value, now)).toBeUndefined()
  })
})

describe('backoffMs', () => {
  it('doubles from 250 ms, jittered into [50 %, 100 %], capped at 30 s', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n, () => 0))).toEqual([125, 250, 500, 1000])
    expect([0, 1, 2, 3].map((n) => backoffMs(n, () => 0.9999999))).toEqual([250, 500, 1000, 2000])
    expect(backoffMs(20, () => 0.5)).toBe(MAX_RETRY_WAIT_MS)
  })

  it('prefers a readable Retry-After and caps it', () => {
    expect(retryWaitMs(3, '2', 0, () => 0)).toBe(2000)
    expect(retryWaitMs(0, '3600', 0, () => 0)).toBe(MAX_RETRY_WAIT_MS)
    expect(retryWaitMs(1, 'later', 0, () => 0)).toBe(250)
  })
})

describe('createProviderClient endpoint checks', () => {
  const codeAndKey = (endpoint: ProviderEndpoint) => {
    try {
      createProviderClient(endpoint)
    } catch (err) {
      if (isProblem(err)) return [err.code, err.extensions?.key]
      throw err
    }
    return ['created']
  }

  it.each([
    [{ kind: 'grpc', baseUrl: 'http://127.0.0.1:1' }, 'providers.grpc.kind'],
    [{ kind: 'ollama', baseUrl: 'localhost:11434' }, 'providers.ollama.baseUrl'],
    [{ kind: 'ollama', baseUrl: 'ftp://127.0.0.1/' }, 'providers.ollama.baseUrl'],
    [{ kind: 'openai', baseUrl: 'http://user:pw@127.0.0.1/v1' }, 'providers.openai.baseUrl'],
    [{ kind: 'openai', baseUrl: 'http://127.0.0.1/v1?x=1' }, 'providers.openai.baseUrl'],
    [{ kind: 'openai', baseUrl: 'http://127.0.0.1/v1', timeoutMs: 0 }, 'providers.openai.timeoutMs'],
    [{ kind: 'openai', baseUrl: 'http://127.0.0.1/v1', maxRetries: -1 }, 'providers.openai.maxRetries'],
    [{ kind: 'openai', baseUrl: 'http://127.0.0.1/v1', apiKey: 'a\nb' }, 'providers.openai.apiKey'],
  ])('refuses %j at create time with CONFIG_INVALID', (endpoint, key) => {
    expect(codeAndKey(endpoint as ProviderEndpoint)).toEqual(['CONFIG_INVALID', key])
  })

  it('accepts a base URL with or without a trailing slash', async () => {
    for (const baseUrl of ['https://api.example.test/v1/', 'https://api.example.test/v1', 'http://127.0.0.1:11434']) {
      const c = createProviderClient({ kind: 'openai', baseUrl, apiKey: 'sk-x' })
      expect(c.kind).toBe('openai')
      await c.close()
    }
  })

  it('never echoes the API key in a config problem', () => {
    try {
      createProviderClient({ kind: 'openai', baseUrl: 'http://127.0.0.1/v1', apiKey: 'sk-secret\n' })
      expect.unreachable()
    } catch (err) {
      expect(isProblem(err) && err.detail).toBe('providers.openai.apiKey: must be a single-line string')
    }
  })
})
