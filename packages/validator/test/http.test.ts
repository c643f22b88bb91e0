import { isProblem } from '@lakehouse/kit'
import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { post, send, service, triples } from './helpers.ts'

const svc = service()
const sms = { kind: 'sms', payload: { to: '5551234567', body: 'hi' } }

describe('POST /v1/validate request handling', () => {
  it('answers 404 on an unknown sub-path and 405 with Allow on a wrong method', async () => {
    const missing = await post(svc, '/v1/validate/nope', sms)
    expect([missing.status, missing.body.code]).toEqual([404, 'HTTP_NOT_FOUND'])
    expect((await post(svc, '/v1/validate/', sms)).status).toBe(404)
    for (const path of ['/v1/validate', '/v1/validate/batch']) {
      const wrong = await send(svc, jsonRequest('GET', path))
      expect([wrong.status, wrong.body.code]).toEqual([405, 'HTTP_METHOD_NOT_ALLOWED'])
      expect(wrong.headers.get('allow')).toBe('POST')
    }
    expect((await send(svc, jsonRequest('PUT', '/v1/validate', sms))).status).toBe(405)
  })

  it('answers 415 for a body that is not JSON', async () => {
    const r = await send(
      svc,
      new Request(`${TEST_ORIGIN}/v1/validate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
    )
    expect([r.status, r.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    const none = await send(svc, new Request(`${TEST_ORIGIN}/v1/validate/batch`, { method: 'POST', body: '{}' }))
    expect(none.status).toBe(415)
  })

  it('answers 413 past maxBodyBytes', async () => {
    const small = service({ maxBodyBytes: 1024 })
    const r = await post(small, '/v1/validate', { kind: 'sms', payload: { to: '5551234567', body: 'x'.repeat(2000) } })
    expect([r.status, r.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
    expect((await post(small, '/v1/validate/batch', { items: [{ kind: 'sms', payload: { body: 'x'.repeat(2000) } }] })).status).toBe(413)
  })

  it('answers 400 for malformed, empty and too deeply nested JSON', async () => {
    expect((await post(svc, '/v1/validate', '{"kind": "sms",')).body.code).toBe('HTTP_MALFORMED_JSON')
    expect((await post(svc, '/v1/validate', '')).body.code).toBe('HTTP_MALFORMED_JSON')
    const deep = `{"kind":"schema","payload":{"schema":{},"data":${'['.repeat(70)}${']'.repeat(70)}}}`
    const r = await post(svc, '/v1/validate', deep)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_JSON_TOO_DEEP'])
    expect((await post(service({ maxJsonDepth: 3 }), '/v1/validate', sms)).status).toBe(200)
    expect((await post(service({ maxJsonDepth: 2 }), '/v1/validate/batch', { items: [sms] })).body.code).toBe('HTTP_JSON_TOO_DEEP')
  })

  it.each([
    ['a missing kind', { payload: {} }, [['schema', '$.kind', 'required']]],
    ['a kind that is not a string', { kind: 3, payload: {} }, [['schema', '$.kind', 'type']]],
    ['a missing payload', { kind: 'sms' }, [['schema', '$.payload', 'required']]],
    ['a payload that is an array', { kind: 'sms', payload: [] }, [['schema', '$.payload', 'type']]],
    ['a payload that is a string', { kind: 'email', payload: 'hi' }, [['schema', '$.payload', 'type']]],
    ['a null payload', { kind: 'fill', payload: null }, [['schema', '$.payload', 'type']]],
    ['an extra top-level member', { ...sms, strict: true }, [['schema', '$.strict', 'additional_property']]],
    ['a body that is not an object', [sms], [['schema', '$', 'type']]],
    [
      'the old spelling type for kind',
      { type: 'sms', payload: sms.payload },
      [
        ['schema', '$.kind', 'required'],
        ['schema', '$.type', 'additional_property'],
      ],
    ],
    [
      'several mistakes at once',
      { kind: 7, payload: [], strict: true },
      [
        ['schema', '$.strict', 'additional_property'],
        ['schema', '$.kind', 'type'],
        ['schema', '$.payload', 'type'],
      ],
    ],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (_label, body, expected) => {
    const r = await post(svc, '/v1/validate', body)
    expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
    expect(triples(r.body.errors)).toEqual(expected)
    expect(r.body.detail).toMatch(/^\d+ problems? in the request body; first: /)
  })

  it('answers 400 VALIDATOR_UNKNOWN_KIND for an unknown kind once the envelope fits its schema', async () => {
    const r = await post(svc, '/v1/validate', { kind: 'fax', payload: {} })
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATOR_UNKNOWN_KIND'])
    expect(r.body.errors).toEqual([
      {
        kind: 'schema',
        field: '$.kind',
        reason: 'unknown_kind',
        message: '$.kind "fax" is not a known kind; expected one of email, sms, fill, schema',
      },
    ])
    // The schema runs first: an unknown kind beside a payload that is not an object is the schema's 400.
    const both = await post(svc, '/v1/validate', { kind: 'Email', payload: 1 })
    expect(both.body.code).toBe('HTTP_INVALID_REQUEST')
    expect(triples(both.body.errors)).toEqual([['schema', '$.payload', 'type']])
    const long = await post(svc, '/v1/validate', { kind: 'k'.repeat(500), payload: {} })
    expect(long.body.detail.length).toBeLessThan(200)
  })

  it('caps errors at maxErrors and says so', async () => {
    const capped = service({ maxErrors: 3 })
    const schema = { type: 'array', items: { type: 'string' } }
    const r = await post(capped, '/v1/validate', { kind: 'schema', payload: { schema, data: [1, 2, 3, 4, 5] } })
    expect(r.body.errors).toHaveLength(3)
    expect(r.body.errors_truncated).toBe(true)
    expect(r.body.detail).toMatch(/^schema payload is invalid \(3\+ errors\)/)
    const b = await post(capped, '/v1/validate/batch', { items: [{ kind: 'schema', payload: { schema, data: [1, 2, 3, 4] } }] })
    expect(b.body.results[0].errors).toHaveLength(3)
    expect(b.body.results[0].errors_truncated).toBe(true)
    const fine = await post(capped, '/v1/validate', { kind: 'schema', payload: { schema, data: [1, 2, 3] } })
    expect(fine.body.errors_truncated).toBeUndefined()
  })
})

describe('validate() in-process', () => {
  it('returns invalid results instead of throwing', async () => {
    const result = await svc.validate('sms', { to: 'x', body: 'hi' })
    expect(result).toEqual({
      kind: 'sms',
      valid: false,
      warnings: [],
      errors: [{ kind: 'schema', field: '$.to', reason: 'format', message: '$.to must match format "phone"' }],
    })
    expect(await svc.validate('sms', { to: '5551234567', body: 'hi' })).toEqual({ kind: 'sms', valid: true, warnings: [], errors: [] })
  })

  it('throws coded problems for requests it cannot check', async () => {
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (isProblem(e) ? e.code : 'not a problem'),
      )
    expect(await codeOf(svc.validate('fax', {}))).toBe('VALIDATOR_UNKNOWN_KIND')
    expect(await codeOf(svc.validate('sms', 'text'))).toBe('HTTP_INVALID_REQUEST')
    expect(await codeOf(svc.validate('schema', { schema: { type: 1 }, data: 1 }))).toBe('VALIDATOR_INVALID_SCHEMA')
  })

  it('closes cleanly, more than once', async () => {
    const s = service()
    await s.close()
    await s.close()
  })
})
