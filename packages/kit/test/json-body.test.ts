import { describe, expect, it } from 'vitest'
import { isJsonContentType, jsonNestingExceeds, type Problem, parseJsonText, readJsonBody } from '../src/index.ts'

const req = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://lakehouse.test/x', { method: 'POST', body, headers })

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    return (e as Problem).code
  }
}

describe('readJsonBody', () => {
  it('parses a JSON object', async () => {
    await expect(readJsonBody(req('{"a":[1,2]}'))).resolves.toEqual({ a: [1, 2] })
  })

  it('accepts +json types and charset=utf-8, refuses others with 415', () => {
    expect(isJsonContentType('application/json; charset=UTF-8')).toBe(true)
    expect(isJsonContentType('application/problem+json')).toBe(true)
    expect(isJsonContentType('application/json; charset=latin1')).toBe(false)
    expect(isJsonContentType('text/plain')).toBe(false)
    expect(isJsonContentType(null)).toBe(false)
  })

  it('returns 415 for a missing content type', async () => {
    expect(await codeOf(readJsonBody(req('{}', {})))).toBe('HTTP_UNSUPPORTED_MEDIA_TYPE')
  })

  it('returns 413 from Content-Length before reading', async () => {
    const r = req('{}', { 'content-type': 'application/json', 'content-length': '999999999' })
    expect(await codeOf(readJsonBody(r, { maxBytes: 10, maxDepth: 8 }))).toBe('HTTP_BODY_TOO_LARGE')
  })

  it('returns 413 while streaming when no length is declared', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('[1,2,3,4,5]'))
        c.close()
      },
    })
    const r = new Request('http://lakehouse.test/x', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit)
    expect(await codeOf(readJsonBody(r, { maxBytes: 32, maxDepth: 8 }))).toBe('HTTP_BODY_TOO_LARGE')
  })

  it('returns 400 for invalid UTF-8, empty bodies and syntax errors', async () => {
    expect(await codeOf(readJsonBody(req(new Uint8Array([0x22, 0xff, 0x22]))))).toBe('HTTP_MALFORMED_JSON')
    expect(await codeOf(readJsonBody(req('')))).toBe('HTTP_MALFORMED_JSON')
    expect(await codeOf(readJsonBody(req('{"a":')))).toBe('HTTP_MALFORMED_JSON')
  })

  it('words syntax errors without the engine message, so runtimes agree', () => {
    try {
      parseJsonText('{"a":}')
      expect.unreachable()
    } catch (e) {
      expect((e as Problem).detail).toMatch(/position 5/)
    }
  })

  it('refuses nesting beyond the limit before parsing', async () => {
    expect(jsonNestingExceeds('[[["]]]]]]]]"]]]', 3)).toBe(false)
    expect(jsonNestingExceeds('[[[[1]]]]', 3)).toBe(true)
    expect(await codeOf(readJsonBody(req('['.repeat(100_000)), { maxBytes: 1 << 20, maxDepth: 64 }))).toBe('HTTP_JSON_TOO_DEEP')
  })
})
