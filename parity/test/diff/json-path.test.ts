import { describe, expect, it } from 'vitest'
import { formatPath, isValidRulePath, normalizePath, parsePath, pathMatches } from '../../src/diff/index.ts'

describe('parsePath / formatPath', () => {
  it('round-trips identifiers, odd names, indexes and key filters', () => {
    for (const path of [
      '$',
      '$.a.b[2]',
      "$['odd key'].x",
      "$['it\\'s']",
      "$.items[?(@.id=='x')].n",
      "$.items[?(@['odd key']=='a\\'b')]",
      '$[0][1]',
    ]) {
      const segments = parsePath(path)
      expect(segments, path).toBeDefined()
      expect(formatPath(segments ?? [])).toBe(path)
    }
  })

  it('quotes names that are not identifiers', () => {
    expect(
      formatPath([
        { kind: 'member', name: 'a.b' },
        { kind: 'member', name: 'content-type' },
        { kind: 'member', name: '1st' },
      ]),
    ).toBe("$['a.b']['content-type']['1st']")
  })

  it('reads hand-written rule forms liberally', () => {
    expect(parsePath('$.foo-bar')).toEqual([{ kind: 'member', name: 'foo-bar' }])
    expect(parsePath('$["x y"].*[*]')).toEqual([{ kind: 'member', name: 'x y' }, { kind: 'wildcard' }, { kind: 'wildcard' }])
    expect(parsePath('$.items[?(@.id==7)]')).toEqual([
      { kind: 'member', name: 'items' },
      { kind: 'filter', key: 'id', value: '7' },
    ])
  })

  it('rejects what is not a path', () => {
    for (const bad of ['', 'a.b', '$.', '$[', "$['open", '$[?(@.id)]', '$a']) expect(parsePath(bad), bad).toBeUndefined()
    expect(isValidRulePath('items[*]')).toBe(false)
    expect(isValidRulePath('header:')).toBe(false)
    expect(isValidRulePath('header:ETag')).toBe(true)
    expect(isValidRulePath('status')).toBe(true)
  })
})

describe('pathMatches', () => {
  it('matches the path itself and everything below it', () => {
    expect(pathMatches('$.a', '$.a')).toBe(true)
    expect(pathMatches('$.a', '$.a.b[3]')).toBe(true)
    expect(pathMatches('$', '$.anything')).toBe(true)
    expect(pathMatches('$.a.b', '$.a')).toBe(false)
    expect(pathMatches('$.a', '$.ab')).toBe(false)
  })

  it('lets [*] stand for any index or key filter and .* for any member', () => {
    expect(pathMatches('$.items[*].ts', '$.items[3].ts')).toBe(true)
    expect(pathMatches('$.items[*].ts', "$.items[?(@.id=='b')].ts")).toBe(true)
    expect(pathMatches('$.items[*].ts', '$.items[3].tz')).toBe(false)
    expect(pathMatches('$.meta.*.at', "$.meta['odd key'].at")).toBe(true)
    expect(pathMatches("$.items[?(@.id=='b')]", "$.items[?(@.id=='b')].n")).toBe(true)
    expect(pathMatches("$.items[?(@.id=='b')]", "$.items[?(@.id=='c')].n")).toBe(false)
  })

  it('treats equivalent spellings of a name alike', () => {
    expect(pathMatches("$['a']", '$.a.b')).toBe(true)
    expect(pathMatches('$.foo-bar', "$['foo-bar']")).toBe(true)
  })

  it('matches headers by case-insensitive name and status by itself, never body paths', () => {
    expect(pathMatches('header:ETag', 'header:etag')).toBe(true)
    expect(pathMatches('header:*', 'header:x-anything')).toBe(true)
    expect(pathMatches('header:etag', '$.etag')).toBe(false)
    expect(pathMatches('status', 'status')).toBe(true)
    expect(pathMatches('$', 'status')).toBe(false)
    expect(pathMatches('not a rule', '$.a')).toBe(false)
  })
})

describe('normalizePath', () => {
  it('turns positions and key filters into [*] and keeps member names', () => {
    expect(normalizePath('$.items[3].n')).toBe('$.items[*].n')
    expect(normalizePath("$.items[?(@.id=='b')].tags[0]")).toBe('$.items[*].tags[*]')
    expect(normalizePath("$['odd key'][2]")).toBe("$['odd key'][*]")
    expect(normalizePath('header:Content-Type')).toBe('header:content-type')
    expect(normalizePath('status')).toBe('status')
    expect(normalizePath('garbage')).toBe('garbage')
  })
})
