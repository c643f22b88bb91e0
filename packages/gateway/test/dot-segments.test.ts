import { describe, expect, it } from 'vitest'
import { resolveDotSegments } from '../src/dot-segments.ts'

describe('issue 12: dot segments resolve alike on both runtimes', () => {
  it.each([
    ['/v1/vector/indexes/.tmp/items/..', '/v1/vector/indexes/.tmp/'],
    ['/a/b/../c', '/a/c'],
    ['/a/./b', '/a/b'],
    ['/a/b/.', '/a/b/'],
    ['/a/%2e%2e/b', '/b'],
    ['/a/%2E./b', '/b'],
    ['/../../health', '/health'],
    ['/v1/x/../../health', '/health'],
    ['/a/.hidden/b', '/a/.hidden/b'],
    ['/a/...', '/a/...'],
    ['/', '/'],
  ])('%s → %s', (input, expected) => {
    expect(resolveDotSegments(input)).toBe(expected)
  })

  it('agrees with the WHATWG parser where the runtime gets it right', () => {
    for (const p of ['/a/b/../c', '/a/./b/./c/..', '/x/%2e/y', '/q/%2e%2e']) {
      expect(resolveDotSegments(p)).toBe(new URL(`http://h${p}`).pathname)
    }
  })
})
