import { describe, expect, it } from 'vitest'
import { service, triples, validate } from './helpers.ts'

const svc = service()
const ok = { to: 'dana@example.com', subject: 'Forklift shift on Monday', body: 'Hi Dana, can you cover the 6am forklift shift?' }

describe('kind email', () => {
  it('accepts a complete email, with and without from', async () => {
    const r = await validate(svc, 'email', ok)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ valid: true, kind: 'email', warnings: [] })
    expect((await validate(svc, 'email', { ...ok, from: 'ops@staffing.example' })).status).toBe(200)
  })

  it('reports required members at their own path', async () => {
    const r = await validate(svc, 'email', { to: 'dana@example.com' })
    expect(r.status).toBe(422)
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.subject', 'required'],
      ['schema', '$.body', 'required'],
    ])
    expect(r.body.kind).toBe('email')
    expect(r.body.instance).toBe('/v1/validate')
  })

  it('rejects addresses that are not email addresses, in to and from', async () => {
    const r = await validate(svc, 'email', { ...ok, to: 'dana at example', from: 'nobody' })
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.to', 'format'],
      ['schema', '$.from', 'format'],
    ])
    expect(r.body.errors[0].message).toBe('$.to must match format "email"')
  })

  it('rejects wrong types and unknown members', async () => {
    const r = await validate(svc, 'email', { ...ok, subject: 42, cc: 'x@example.com' })
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.cc', 'additionalProperties'],
      ['schema', '$.subject', 'type'],
    ])
  })

  it('reports empty and too long subject and body as length errors', async () => {
    const empty = await validate(svc, 'email', { ...ok, subject: '', body: '' })
    expect(triples(empty.body.errors)).toEqual([
      ['length', '$.subject', 'empty'],
      ['length', '$.body', 'empty'],
    ])
    const long = await validate(svc, 'email', { ...ok, subject: 's'.repeat(201), body: 'b'.repeat(20_001) })
    expect(triples(long.body.errors)).toEqual([
      ['length', '$.subject', 'too_long'],
      ['length', '$.body', 'too_long'],
    ])
    expect(long.body.errors[0].message).toBe('$.subject has 201 characters; the limit is 200')
    expect((await validate(svc, 'email', { ...ok, subject: 's'.repeat(200), body: 'b'.repeat(20_000) })).status).toBe(200)
  })

  it('warns about a subject over 78 characters but accepts it', async () => {
    const r = await validate(svc, 'email', { ...ok, subject: 's'.repeat(79) })
    expect(r.status).toBe(200)
    expect(triples(r.body.warnings)).toEqual([['-', '$.subject', 'long_subject']])
    expect((await validate(svc, 'email', { ...ok, subject: 's'.repeat(78) })).body.warnings).toEqual([])
  })

  it('refuses a subject with a line break (header injection)', async () => {
    const r = await validate(svc, 'email', { ...ok, subject: 'Hello\r\nBcc: everyone@example.com' })
    expect(triples(r.body.errors)).toEqual([['policy', '$.subject', 'line_break']])
  })

  it('refuses an SSN in the subject or body without echoing it', async () => {
    const r = await validate(svc, 'email', { ...ok, subject: 'SSN 123-45-6789', body: 'on file: 234 56 7890 and 345678901' })
    expect(triples(r.body.errors)).toEqual([
      ['policy', '$.subject', 'ssn_pattern'],
      ['policy', '$.body', 'ssn_pattern'],
    ])
    expect(r.body.errors[1].message).toContain('2 numbers')
    expect(r.text).not.toContain('6789')
    expect(r.text).not.toContain('345678901')
  })

  it('refuses unfilled placeholders, with or without spaces', async () => {
    const r = await validate(svc, 'email', {
      ...ok,
      subject: 'Hi {{first_name}}',
      body: 'Your shift at {{ site }} on {{ date }} {{ site }}',
    })
    expect(triples(r.body.errors)).toEqual([
      ['policy', '$.subject', 'unfilled_placeholder'],
      ['policy', '$.body', 'unfilled_placeholder'],
    ])
    expect(r.body.errors[1].message).toBe('$.body contains unfilled placeholders {{ site }}, {{ date }}')
  })

  it('orders errors schema first, then policy by field', async () => {
    const r = await validate(svc, 'email', { to: 'x', subject: '{{a}}', body: '123-45-6789' })
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.to', 'format'],
      ['policy', '$.subject', 'unfilled_placeholder'],
      ['policy', '$.body', 'ssn_pattern'],
    ])
    expect(r.body.detail).toBe('email payload is invalid (3 errors); first: $.to must match format "email"')
  })
})
