import { RE2JS, RE2JSException } from 're2js'
import { describe, expect, it } from 'vitest'
import { translatePattern } from '../src/pattern-syntax.ts'

/**
 * Pins the re2js 2.10 behaviours src/caller-regexp.ts relies on (numbered as there), and the
 * differences from ECMAScript that src/pattern-syntax.ts bridges, on whichever runtime runs
 * the suite. If one of these starts failing after an upgrade, revisit the translation.
 */

const re2 = (source: string) => RE2JS.compile(source)
const translated = (pattern: string) => {
  const t = translatePattern(pattern)
  if (!t.ok) throw new Error(t.message)
  return re2(t.source)
}
const BMP = Array.from({ length: 0x10000 }, (_, cp) => String.fromCharCode(cp))

describe('re2js 2.10', () => {
  it('1. test() is an unanchored search, linear in the input', () => {
    expect(re2('b+').test('aaabbb')).toBe(true)
    const start = performance.now()
    expect(re2('^(a+)+$').test(`${'a'.repeat(200_000)}!`)).toBe(false)
    expect(re2('(a|aa)*$').test(`${'a'.repeat(200_000)}!`)).toBe(true)
    expect(performance.now() - start).toBeLessThan(2000)
  })

  it('2. matches UTF-16 strings by code point; a lone surrogate is one code point', () => {
    expect(re2('^\\x{1f600}$').test('😀')).toBe(true)
    expect(re2('^[^a]$').test('😀')).toBe(true)
    expect(re2('^\\x{d83d}$').test('\ud83d')).toBe(true)
    expect(re2('\\x{d83d}').test('😀')).toBe(false)
  })

  it('3. anchors only at the ends of the text; \\d \\w \\b are ASCII', () => {
    expect(re2('a$').test('a\n')).toBe(false)
    expect(re2('^a').test('\na')).toBe(false)
    expect(re2('^\\d$').test('٣')).toBe(false)
    expect(re2('^\\w$').test('é')).toBe(false)
    expect(re2('\\bfoo\\b').test('éfoo')).toBe(true)
  })

  it('4. has the same General_Category and script tables as this runtime (BMP)', () => {
    for (const [re2Name, ecma] of [
      ['L', 'L'],
      ['Lu', 'Lu'],
      ['N', 'N'],
      ['P', 'P'],
      ['Zs', 'Zs'],
      ['Cn', 'Cn'],
      ['Greek', 'Script=Greek'],
      ['Han', 'Script=Han'],
    ]) {
      const ours = re2(`^\\p{${re2Name}}$`)
      const native = new RegExp(`^\\p{${ecma}}$`, 'u')
      expect(BMP.filter((c) => ours.test(c) !== native.test(c)).map((c) => c.codePointAt(0)?.toString(16))).toEqual([])
    }
  })

  it('5. throws RE2JSException for what RE2 cannot run', () => {
    for (const source of ['(a)\\1', '(?=a)', '(?<=a)b', 'a{1001}', '(?:(?:a{0}){50}){50}', '\\p{Latn}', '\\p{Letter}']) {
      expect(() => re2(source), source).toThrow(RE2JSException)
    }
  })

  it('6. reports programSize() growing with counted repeats', () => {
    expect(re2('^(a+)+$').programSize()).toBeLessThan(10)
    expect(re2('^a{1000}$').programSize()).toBeGreaterThanOrEqual(1000)
  })
})

describe('ECMAScript differences bridged by translatePattern', () => {
  it('. in RE2 matches \\r and U+2028; the translation matches ECMAScript on every BMP character', () => {
    expect(re2('^.$').test('\r')).toBe(true)
    const ours = translated('^.$')
    const native = /^.$/u
    expect(BMP.filter((c) => ours.test(c) !== native.test(c))).toEqual([])
  })

  it('\\s in RE2 misses \\v and Unicode spaces; the translation matches ECMAScript on every BMP character', () => {
    expect(re2('^\\s$').test('\v')).toBe(false)
    for (const pattern of ['^\\s$', '^\\S$', '^[\\s]$', '^[\\S]$', '^[^\\s]$']) {
      const ours = translated(pattern)
      const native = new RegExp(pattern, 'u')
      expect(
        BMP.filter((c) => ours.test(c) !== native.test(c)).map((c) => c.charCodeAt(0).toString(16)),
        pattern,
      ).toEqual([])
    }
  })

  it('spells RE2-only syntax in a caller pattern as literals', () => {
    expect(translated('^[[:a]$').test('[')).toBe(true)
    expect(translated('^[[:a]$').test('b')).toBe(false)
  })
})
