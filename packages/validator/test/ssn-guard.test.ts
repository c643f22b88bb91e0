import { describe, expect, it } from 'vitest'
import { findSsnPatterns } from '../src/index.ts'
import { intIn, post, prng, service, triples } from './helpers.ts'

describe('findSsnPatterns', () => {
  it('flags issuable SSNs in all three forms', () => {
    expect(findSsnPatterns('123-45-6789')).toEqual([{ text: '123-45-6789', index: 0, form: 'dashed' }])
    expect(findSsnPatterns('123 45 6789')).toEqual([{ text: '123 45 6789', index: 0, form: 'spaced' }])
    expect(findSsnPatterns('123456789')).toEqual([{ text: '123456789', index: 0, form: 'bare' }])
  })

  it('flags them inside surrounding text and reports each', () => {
    const text = 'SSN:123-45-6789, alt (234 56 7890); legacy=345678901.'
    expect(findSsnPatterns(text).map((m) => [m.form, m.index])).toEqual([
      ['dashed', 4],
      ['spaced', 22],
      ['bare', 43],
    ])
    expect(findSsnPatterns('employee 899-99-9999 onboarding')).toHaveLength(1)
  })

  it.each([
    ['area 000', '000-12-3456'],
    ['area 666', '666-12-3456'],
    ['area 900', '900-12-3456'],
    ['area 999', '999-12-3456'],
    ['area 9xx bare', '987654321'],
    ['group 00', '123-00-4567'],
    ['serial 0000', '123-45-0000'],
    ['spaced area 000', '000 12 3456'],
  ])('does not flag %s (never issued)', (_label, text) => {
    expect(findSsnPatterns(`number ${text} here`)).toEqual([])
  })

  it('requires the same separator in both places and digit boundaries', () => {
    expect(findSsnPatterns('123-45 6789')).toEqual([])
    expect(findSsnPatterns('123 45-6789')).toEqual([])
    expect(findSsnPatterns('1234567890')).toEqual([])
    expect(findSsnPatterns('0123-45-6789')).toEqual([])
    expect(findSsnPatterns('123-45-67890')).toEqual([])
    expect(findSsnPatterns('12345678')).toEqual([])
  })
})

/** NANP-shaped numbers: area and exchange 200–999, any line number. */
const PHONE_FORMATS: Record<string, (a: string, e: string, l: string) => string> = {
  dashed: (a, e, l) => `${a}-${e}-${l}`,
  parens: (a, e, l) => `(${a}) ${e}-${l}`,
  international: (a, e, l) => `+1 ${a} ${e} ${l}`,
  bare: (a, e, l) => `${a}${e}${l}`,
  dotted: (a, e, l) => `${a}.${e}.${l}`,
  trunk: (a, e, l) => `1-${a}-${e}-${l}`,
}

const SENTENCES = [
  (p: string) => p,
  (p: string) => `Call me at ${p} tomorrow.`,
  (p: string) => `Reach the site lead on ${p}, or text ${p}!`,
  (p: string) => `Phone:${p}`,
  (p: string) => `(${p})`,
  (p: string) => `shift 6am; ${p}; bring boots`,
]

function phones(format: string, count: number, seed: number): string[] {
  const render = PHONE_FORMATS[format]
  if (render === undefined) throw new Error(format)
  const rand = prng(seed)
  return Array.from({ length: count }, () =>
    render(String(intIn(rand, 200, 999)), String(intIn(rand, 200, 999)), String(intIn(rand, 0, 9999)).padStart(4, '0')),
  )
}

describe('SSN guard and phone numbers', () => {
  const formats = Object.keys(PHONE_FORMATS)

  it.each(formats)('never flags 1,000 generated %s phone numbers in sentences', (format) => {
    const list = phones(format, 1000, 0x5eed + formats.indexOf(format))
    list.forEach((phone, i) => {
      const sentence = SENTENCES[i % SENTENCES.length]?.(phone) ?? phone
      expect(findSsnPatterns(sentence), sentence).toEqual([])
    })
  })

  it.each(formats)('accepts 1,000 %s phone numbers as sms to and body through POST /v1/validate', async (format) => {
    const svc = service()
    const list = phones(format, 1000, 0xca11 + formats.indexOf(format))
    for (const [i, phone] of list.entries()) {
      const body = SENTENCES[i % SENTENCES.length]?.(phone) ?? phone
      const r = await post(svc, '/v1/validate', { kind: 'sms', payload: { to: phone, body } })
      if (r.status !== 200) expect.fail(`${phone} in ${JSON.stringify(body)} gave ${r.text}`)
    }
  })

  it('still flags an SSN next to a phone number', async () => {
    const r = await post(service(), '/v1/validate', {
      kind: 'sms',
      payload: { to: '555-123-4567', body: 'Call 555-123-4567 re 123-45-6789' },
    })
    expect(triples(r.body.errors)).toEqual([['policy', '$.body', 'ssn_pattern']])
  })
})
