import { describe, expect, it } from 'vitest'
import { csvField, formatScore } from '../src/index.ts'

describe('csvField', () => {
  it('leaves plain text unquoted', () => {
    expect(csvField('W-000001')).toBe('W-000001')
    expect(csvField('(312) 555-0142')).toBe('(312) 555-0142')
    expect(csvField('')).toBe('')
  })

  it('quotes commas, CR and LF, and doubles embedded quotes', () => {
    expect(csvField('Chicago, IL')).toBe('"Chicago, IL"')
    expect(csvField('line one\nline two')).toBe('"line one\nline two"')
    expect(csvField('a\rb')).toBe('"a\rb"')
    expect(csvField('known as "the fixer"')).toBe('"known as ""the fixer"""')
  })
})

describe('formatScore', () => {
  it('always prints two decimals, even where k/100 * 100 is not an integer in binary', () => {
    expect(formatScore(0.5)).toBe('0.50')
    expect(formatScore(1)).toBe('1.00')
    expect(formatScore(0.57)).toBe('0.57')
    for (let k = 50; k <= 100; k++) expect(formatScore(k / 100)).toBe((k / 100).toFixed(2))
  })
})
