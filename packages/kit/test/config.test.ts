import { describe, expect, it } from 'vitest'
import { intBetween, type Problem, parseBytes, parseDurationMs, parseInteger, redact, resolveWith } from '../src/index.ts'

describe('config helpers', () => {
  it('parses sizes and durations', () => {
    expect(parseBytes('k', '256MiB')).toBe(256 * 1024 * 1024)
    expect(parseBytes('k', '1mb')).toBe(1_000_000)
    expect(parseBytes('k', '4096')).toBe(4096)
    expect(parseDurationMs('k', '10s')).toBe(10_000)
    expect(parseDurationMs('k', '250')).toBe(250)
    expect(parseDurationMs('k', '2m')).toBe(120_000)
  })

  it('throws CONFIG_INVALID naming the key', () => {
    try {
      parseInteger('port', '70000', 0, 65535)
      expect.unreachable()
    } catch (e) {
      expect((e as Problem).code).toBe('CONFIG_INVALID')
      expect((e as Problem).detail).toMatch(/^port: /)
    }
    expect(() => parseBytes('size', 'lots')).toThrow(/size: /)
  })

  it('spreads defaults, checks and freezes', () => {
    const cfg = resolveWith({ a: 1, b: 'x' }, { a: 5 }, { a: intBetween(0, 10) })
    expect(cfg).toEqual({ a: 5, b: 'x' })
    expect(Object.isFrozen(cfg)).toBe(true)
    expect(() => resolveWith({ a: 1 }, { a: 50 }, { a: intBetween(0, 10) }, 'validator.')).toThrow(/validator\.a: /)
  })

  it('redacts secrets', () => {
    expect(redact({ authToken: 'abc', nested: { secret: 's', keep: 1 }, api_key: 'k', empty_token: '' })).toEqual({
      authToken: '[redacted]',
      nested: { secret: '[redacted]', keep: 1 },
      api_key: '[redacted]',
      empty_token: '',
    })
  })
})
