import { describe, expect, it } from 'vitest'
import { CalendarDate, Decimal, encodeJson, jsonSafeInteger } from '../src/index.ts'

describe('encodeJson', () => {
  it('writes bigints within ±(2^53−1) as numbers and beyond as strings', () => {
    expect(encodeJson({ a: 42n, b: 9007199254740991n, c: 9007199254740992n, d: -9007199254740993n })).toBe(
      '{"a":42,"b":9007199254740991,"c":"9007199254740992","d":"-9007199254740993"}',
    )
  })

  it('finds a bigint after plain values, and still refuses a cycle', () => {
    expect(encodeJson({ rows: [{ n: 1 }, { n: 2, big: [3n] }], space: 'x' }, 0)).toBe('{"rows":[{"n":1},{"n":2,"big":[3]}],"space":"x"}')
    const cycle: Record<string, unknown> = { a: 1n }
    cycle.self = cycle
    expect(() => encodeJson(cycle)).toThrow(TypeError)
  })

  it('writes decimals and hugeints as exact strings', () => {
    expect(encodeJson([new Decimal('12345678901234567890.123456789'), new Decimal('-0.5')])).toBe(
      '["12345678901234567890.123456789","-0.5"]',
    )
  })

  it('writes dates as YYYY-MM-DD and timestamps as ISO-8601 UTC with Z', () => {
    expect(encodeJson({ d: new CalendarDate('2024-02-29'), t: new Date(Date.UTC(2024, 1, 29, 13, 4, 5, 6)) })).toBe(
      '{"d":"2024-02-29","t":"2024-02-29T13:04:05.006Z"}',
    )
  })

  it('never returns undefined and writes non-finite numbers as null', () => {
    expect(encodeJson(undefined)).toBe('null')
    expect(encodeJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null]')
  })

  it('refuses malformed decimal and date literals at construction', () => {
    expect(() => new Decimal('1e5')).toThrow(TypeError)
    expect(() => new CalendarDate('2024-2-1')).toThrow(TypeError)
  })

  it('maps a single bigint the same way', () => {
    expect(jsonSafeInteger(5n)).toBe(5)
    expect(jsonSafeInteger(2n ** 64n)).toBe('18446744073709551616')
  })
})
