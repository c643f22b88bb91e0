import { describe, expect, it } from 'vitest'
import { isPhoneNumber, measureSms } from '../src/index.ts'
import { service, triples, validate } from './helpers.ts'

const svc = service()
const TO = '+15551234567'

async function smsErrors(body: string): Promise<string[][]> {
  const r = await validate(svc, 'sms', { to: TO, body })
  return r.status === 200 ? [] : triples(r.body.errors)
}

describe('measureSms', () => {
  it('counts basic GSM-7 characters once and extension characters twice', () => {
    expect(measureSms('Hello @ £5 ¿Qué?')).toEqual({ encoding: 'GSM-7', length: 16, limit: 160 })
    expect(measureSms('{}[]~|^\\€\f')).toEqual({ encoding: 'GSM-7', length: 20, limit: 160 })
  })

  it('switches to UCS-2 on any other character and counts UTF-16 code units', () => {
    expect(measureSms('héllo')).toMatchObject({ encoding: 'GSM-7', length: 5 })
    expect(measureSms('ça va')).toEqual({ encoding: 'UCS-2', length: 5, limit: 70, firstNonGsm: 'U+00E7' })
    expect(measureSms('ok 😀')).toEqual({ encoding: 'UCS-2', length: 5, limit: 70, firstNonGsm: 'U+1F600' })
  })
})

describe('isPhoneNumber', () => {
  it.each([
    '+15551234567',
    '+44 20 7946 0958',
    '5551234567',
    '555-123-4567',
    '555.123.4567',
    '555 123 4567',
    '(555) 123-4567',
    '(555)123-4567',
    '1-555-123-4567',
    '+1 555 123 4567',
    '+1 (555) 123-4567',
  ])('accepts %s', (phone) => expect(isPhoneNumber(phone)).toBe(true))

  it.each(['', '555-1234', 'call me', '+0 555 123 4567', '555--123-4567', '555-123-45678', '+1234567890123456', '(555 123-4567'])(
    'refuses %j',
    (phone) => expect(isPhoneNumber(phone)).toBe(false),
  )
})

describe('kind sms', () => {
  it('accepts a short GSM-7 message', async () => {
    const r = await validate(svc, 'sms', { to: '(555) 123-4567', body: 'Shift at 6am tomorrow, reply YES to confirm.' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ valid: true, kind: 'sms', warnings: [] })
  })

  it('checks to, body and unknown members', async () => {
    const r = await validate(svc, 'sms', { to: '12345', body: '', extra: true })
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.extra', 'additionalProperties'],
      ['schema', '$.to', 'format'],
      ['length', '$.body', 'empty'],
    ])
    expect(triples((await validate(svc, 'sms', {})).body.errors)).toEqual([
      ['schema', '$.to', 'required'],
      ['schema', '$.body', 'required'],
    ])
  })

  it('allows exactly 160 GSM-7 characters and refuses 161', async () => {
    expect(await smsErrors('a'.repeat(160))).toEqual([])
    const r = await validate(svc, 'sms', { to: TO, body: 'a'.repeat(161) })
    expect(triples(r.body.errors)).toEqual([['length', '$.body', 'too_long']])
    expect(r.body.errors[0].message).toBe('$.body is 161 GSM-7 characters in GSM-7; the limit for one SMS is 160')
  })

  it('counts extension characters twice: 80 fit, 81 do not', async () => {
    expect(await smsErrors('{'.repeat(80))).toEqual([])
    expect(await smsErrors('{'.repeat(81))).toEqual([['length', '$.body', 'too_long']])
    expect(await smsErrors(`${'['.repeat(40)}${']'.repeat(39)}ab`)).toEqual([])
  })

  it('counts € as two', async () => {
    expect(await smsErrors('€'.repeat(80))).toEqual([])
    expect(await smsErrors(`${'a'.repeat(159)}€`)).toEqual([['length', '$.body', 'too_long']])
  })

  it('allows 70 UCS-2 code units and refuses 71, with a ucs2_encoding warning', async () => {
    const ok = await validate(svc, 'sms', { to: TO, body: 'ж'.repeat(70) })
    expect(ok.status).toBe(200)
    expect(triples(ok.body.warnings)).toEqual([['-', '$.body', 'ucs2_encoding']])
    const over = await validate(svc, 'sms', { to: TO, body: 'ж'.repeat(71) })
    expect(triples(over.body.errors)).toEqual([['length', '$.body', 'too_long']])
    expect(over.body.errors[0].message).toContain('71')
    expect(over.body.errors[0].message).toContain('UCS-2')
    expect(over.body.errors[0].message).toContain('70')
    expect(triples(over.body.warnings)).toEqual([['-', '$.body', 'ucs2_encoding']])
  })

  it('counts an emoji as two code units', async () => {
    expect(await smsErrors(`${'a'.repeat(68)}😀`)).toEqual([])
    expect(await smsErrors(`${'a'.repeat(69)}😀`)).toEqual([['length', '$.body', 'too_long']])
    expect(await smsErrors('😀'.repeat(35))).toEqual([])
    expect(await smsErrors('😀'.repeat(36))).toEqual([['length', '$.body', 'too_long']])
  })

  it('applies the SSN and placeholder guards to the body', async () => {
    expect(await smsErrors('Your SSN 123-45-6789 is on file')).toEqual([['policy', '$.body', 'ssn_pattern']])
    expect(await smsErrors('Hi {{ name }}, shift at {{site}}')).toEqual([['policy', '$.body', 'unfilled_placeholder']])
  })
})
