import { describe, expect, it } from 'vitest'
import { colorEnabled } from '../src/index.ts'

describe('colorEnabled', () => {
  it('follows NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true)
    expect(colorEnabled({ isTTY: false }, {})).toBe(false)
    expect(colorEnabled({}, {})).toBe(false)
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true)
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '' })).toBe(true)
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: 'yes' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: 'false' })).toBe(false)
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
  })
})
