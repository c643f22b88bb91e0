import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import {
  VALIDATION_BATCH_SCHEMA,
  VALIDATION_ERROR_ENTRY_SCHEMA,
  VALIDATION_OK_SCHEMA,
  VALIDATION_PROBLEM_SCHEMA,
  VALIDATION_WARNING_SCHEMA,
  VALIDATOR_REQUEST_PROBLEM_SCHEMA,
} from '../src/index.ts'
import { post, service } from './helpers.ts'

/**
 * Exact bytes. Node and Bun run this same suite, so these literals are what makes "both
 * runtimes answer byte-identically" a tested property rather than a hope.
 */
describe('wire format', () => {
  const svc = service()

  it('publishes strict-mode-valid JSON Schemas for every response', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true })
    const schemas = {
      VALIDATION_OK_SCHEMA,
      VALIDATION_PROBLEM_SCHEMA,
      VALIDATOR_REQUEST_PROBLEM_SCHEMA,
      VALIDATION_BATCH_SCHEMA,
      VALIDATION_ERROR_ENTRY_SCHEMA,
      VALIDATION_WARNING_SCHEMA,
    }
    for (const [name, schema] of Object.entries(schemas)) expect(() => ajv.compile(schema), name).not.toThrow()
  })

  it('publishes schemas that refuse the shapes that diverged in the seed', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true })
    const problem = ajv.compile(VALIDATION_PROBLEM_SCHEMA)
    const base = {
      type: 'urn:lakehouse:problem:VALIDATION_FAILED',
      title: 'Validation Failed',
      status: 422,
      detail: 'd',
      instance: '/v1/validate',
    }
    const entry = { kind: 'schema', field: '$.to', reason: 'format', message: 'm' }
    expect(problem({ ...base, code: 'VALIDATION_FAILED', errors: [entry], kind: 'sms', warnings: [] })).toBe(true)
    expect(problem({ ...base, code: 'VALIDATION_FAILED', errors: [], kind: 'sms', warnings: [] })).toBe(false)
    expect(problem({ ...base, code: 'VALIDATION_FAILED', errors: [{ ...entry, kind: 'format' }], kind: 'sms', warnings: [] })).toBe(false)
    expect(problem({ ...base, code: 'VALIDATION_FAILED', errors: [{ field: 'to', reason: 'format' }], kind: 'sms', warnings: [] })).toBe(
      false,
    )
    const batch = ajv.compile(VALIDATION_BATCH_SCHEMA)
    const summary = { total: 1, valid: 1, invalid: 0 }
    expect(batch({ results: [{ index: 0, kind: 'sms', valid: true, warnings: [], errors: [] }], summary })).toBe(true)
    expect(batch({ results: [{ index: 0, kind: 'sms', valid: true, warnings: [], errors: [entry] }], summary })).toBe(false)
    expect(batch({ results: [{ index: 0, kind: 'sms', valid: false, warnings: [], errors: [] }], summary })).toBe(false)
  })

  it('answers a valid payload byte for byte', async () => {
    const r = await post(svc, '/v1/validate', { kind: 'sms', payload: { to: '555-123-4567', body: 'Shift confirmed 😀' } })
    expect(r.status).toBe(200)
    expect(r.text).toBe(
      '{"valid":true,"kind":"sms","warnings":[{"field":"$.body","reason":"ucs2_encoding","message":"$.body contains U+1F600, which is outside the GSM-7 alphabet, so the SMS is sent as UCS-2 (limit 70 instead of 160)"}]}',
    )
  })

  it('answers an invalid payload byte for byte', async () => {
    const r = await post(svc, '/v1/validate', { kind: 'email', payload: { to: 'dana', subject: 'Hi {{ name }}', body: 'SSN 123-45-6789' } })
    expect(r.status).toBe(422)
    expect(r.text).toBe(
      '{"type":"urn:lakehouse:problem:VALIDATION_FAILED","title":"Validation Failed","status":422,' +
        '"detail":"email payload is invalid (3 errors); first: $.to must match format \\"email\\"","instance":"/v1/validate","code":"VALIDATION_FAILED",' +
        '"errors":[{"kind":"schema","field":"$.to","reason":"format","message":"$.to must match format \\"email\\""},' +
        '{"kind":"policy","field":"$.subject","reason":"unfilled_placeholder","message":"$.subject contains unfilled placeholder {{ name }}"},' +
        '{"kind":"policy","field":"$.body","reason":"ssn_pattern","message":"$.body contains 1 number shaped like a US Social Security number (first at offset 4); remove it before sending"}],' +
        '"kind":"email","warnings":[]}',
    )
  })

  it('answers a batch byte for byte', async () => {
    const r = await post(svc, '/v1/validate/batch', {
      items: [
        { kind: 'fill', payload: { headcount: 1, candidate_ids: ['w-001', 'w-001'] } },
        { kind: 'sms', payload: { to: '+1 555 123 4567', body: 'ok' } },
      ],
    })
    expect(r.text).toBe(
      '{"results":[{"index":0,"kind":"fill","valid":false,"warnings":[],"errors":[{"kind":"duplicate","field":"$.candidate_ids[1]","reason":"duplicate_candidate","message":"$.candidate_ids[1] repeats candidate \\"w-001\\" (first at index 0)"}]},' +
        '{"index":1,"kind":"sms","valid":true,"warnings":[],"errors":[]}],"summary":{"total":2,"valid":1,"invalid":1}}',
    )
  })

  it('answers the same request with the same bytes every time', async () => {
    const body = {
      kind: 'schema',
      payload: { schema: { type: 'object', required: ['a', 'b'], properties: { c: { pattern: '^x' } } }, data: { c: 'y' } },
    }
    const first = await post(svc, '/v1/validate', body)
    for (let i = 0; i < 3; i++) expect((await post(svc, '/v1/validate', body)).text).toBe(first.text)
    expect((await post(service(), '/v1/validate', body)).text).toBe(first.text)
  })
})
