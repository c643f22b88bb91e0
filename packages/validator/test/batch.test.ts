import { isProblem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import { post, service, triples } from './helpers.ts'

const sms = (body: string) => ({ kind: 'sms', payload: { to: '555-123-4567', body } })

describe('POST /v1/validate/batch', () => {
  const svc = service()

  it('validates every item and summarises', async () => {
    const r = await post(svc, '/v1/validate/batch', {
      items: [
        sms('hello'),
        sms('a'.repeat(161)),
        { kind: 'email', payload: { to: 'x@example.com', subject: 'Hi {{name}}', body: 'b' } },
        { kind: 'fill', payload: { headcount: 2, candidate_ids: ['w-001'] } },
      ],
    })
    expect(r.status).toBe(200)
    expect(r.body.summary).toEqual({ total: 4, valid: 2, invalid: 2 })
    expect(r.body.results.map((x: { index: number; kind: string; valid: boolean }) => [x.index, x.kind, x.valid])).toEqual([
      [0, 'sms', true],
      [1, 'sms', false],
      [2, 'email', false],
      [3, 'fill', true],
    ])
    expect(triples(r.body.results[1].errors)).toEqual([['length', '$.body', 'too_long']])
    expect(triples(r.body.results[3].warnings)).toEqual([['-', '$.candidate_ids', 'partial_fill']])
  })

  it('turns items that cannot be checked into invalid results, not a failed batch', async () => {
    const r = await post(svc, '/v1/validate/batch', {
      items: [
        { kind: 'fax', payload: {} },
        { kind: 'sms', payload: 'hello' },
        'not an item',
        { payload: {} },
        { kind: 'schema', payload: { schema: { type: 'nope' }, data: 1 } },
        sms('fine'),
      ],
    })
    expect(r.status).toBe(200)
    const [fax, text, str, noKind, badSchema, fine] = r.body.results
    expect(fax.kind).toBe('fax')
    expect(triples(fax.errors)).toEqual([['schema', '$.kind', 'unknown_kind']])
    expect(triples(text.errors)).toEqual([['schema', '$.payload', 'type']])
    expect(str.kind).toBeNull()
    expect(triples(str.errors)).toEqual([['schema', '$', 'type']])
    expect(triples(noKind.errors)).toEqual([['schema', '$.kind', 'required']])
    expect(noKind.errors[0].message).toBe('$.kind is required')
    expect(triples(badSchema.errors)).toEqual([['schema', '$.schema', 'invalid_schema']])
    expect(fine.valid).toBe(true)
    expect(r.body.summary).toEqual({ total: 6, valid: 1, invalid: 5 })
  })

  it('reports an item envelope that does not fit its schema in the shared reason tokens', async () => {
    const r = await post(svc, '/v1/validate/batch', {
      items: [
        { ...sms('x'), strict: true },
        { kind: 7, payload: {} },
      ],
    })
    expect(r.status).toBe(200)
    expect(r.body.results.map((x: { errors: [] }) => triples(x.errors))).toEqual([
      [['schema', '$.strict', 'additional_property']],
      [['schema', '$.kind', 'type']],
    ])
    expect(r.body.results.map((x: { kind: unknown }) => x.kind)).toEqual(['sms', null])
  })

  it('accepts exactly maxBatchItems and refuses one more with VALIDATOR_BATCH_TOO_LARGE', async () => {
    const items = Array.from({ length: 500 }, (_, i) => sms(`message ${i}`))
    const full = await post(svc, '/v1/validate/batch', { items })
    expect(full.status).toBe(200)
    expect(full.body.summary).toEqual({ total: 500, valid: 500, invalid: 0 })
    const over = await post(svc, '/v1/validate/batch', { items: [...items, sms('one more')] })
    expect(over.status).toBe(400)
    expect(over.body.code).toBe('VALIDATOR_BATCH_TOO_LARGE')
    expect(over.body.max_items).toBe(500)
    expect(triples(over.body.errors)).toEqual([['length', '$.items', 'too_long']])
  })

  it('honours a configured limit', async () => {
    const small = service({ maxBatchItems: 2 })
    expect((await post(small, '/v1/validate/batch', { items: [sms('a'), sms('b'), sms('c')] })).body.code).toBe('VALIDATOR_BATCH_TOO_LARGE')
  })

  it.each([
    ['an empty batch', { items: [] }, [['length', '$.items', 'empty']]],
    ['items that are not an array', { items: {} }, [['schema', '$.items', 'type']]],
    ['a missing items member', {}, [['schema', '$.items', 'required']]],
    ['an extra top-level member', { items: [sms('a')], dryRun: true }, [['schema', '$.dryRun', 'additional_property']]],
    ['a body that is an array', [sms('a')], [['schema', '$', 'type']]],
    [
      'the single-request body',
      sms('a'),
      [
        ['schema', '$.items', 'required'],
        ['schema', '$.kind', 'additional_property'],
        ['schema', '$.payload', 'additional_property'],
      ],
    ],
  ])('answers 400 HTTP_INVALID_REQUEST for %s', async (_label, body, expected) => {
    const r = await post(svc, '/v1/validate/batch', body)
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('HTTP_INVALID_REQUEST')
    expect(triples(r.body.errors)).toEqual(expected)
  })

  it('is available in-process as validateBatch', async () => {
    const result = await svc.validateBatch([sms('hi'), { kind: 'sms', payload: { to: 'x', body: 'hi' } }])
    expect(result.summary).toEqual({ total: 2, valid: 1, invalid: 1 })
    const refused = await svc.validateBatch([]).catch((e: unknown) => e)
    expect(isProblem(refused) && [refused.code, refused.errors?.[0]?.field, refused.errors?.[0]?.reason]).toEqual([
      'HTTP_INVALID_REQUEST',
      '$.items',
      'empty',
    ])
    const tooMany = await service({ maxBatchItems: 1 })
      .validateBatch([sms('a'), sms('b')])
      .catch((e: unknown) => e)
    expect(isProblem(tooMany) && tooMany.code).toBe('VALIDATOR_BATCH_TOO_LARGE')
  })
})
