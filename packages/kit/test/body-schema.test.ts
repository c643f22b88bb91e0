import { describe, expect, it } from 'vitest'
import { BODY_REASONS, compileBodyForms, compileBodySchema, isProblem, MAX_BODY_ENTRIES, type Problem } from '../src/index.ts'
import { acceptsBody } from '../src/testing.ts'

const SEARCH = compileBodySchema<{ query: string; k?: number; filters?: Record<string, string> }>({
  type: 'object',
  required: ['query'],
  additionalProperties: false,
  properties: {
    query: { type: 'string', minLength: 1, maxLength: 5 },
    k: { type: 'integer', minimum: 1, maximum: 10 },
    filters: { type: 'object', additionalProperties: { type: 'string' } },
    mode: { enum: ['fast', 'exact'] },
    ids: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 2 },
    target: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'number' } }] },
  },
})

function problemOf(body: unknown): Problem {
  try {
    SEARCH(body)
  } catch (err) {
    if (isProblem(err)) return err
    throw err
  }
  throw new Error('the body passed')
}

describe('compileBodySchema', () => {
  it('returns a body that fits, typed', () => {
    expect(SEARCH({ query: 'ab', k: 3 })).toEqual({ query: 'ab', k: 3 })
  })

  it('answers HTTP_INVALID_REQUEST with one entry per problem, in the one vocabulary', () => {
    const p = problemOf({ k: 0, extra: 1, filters: { a: 2 }, mode: 'slow', ids: ['a', 'a', 'b'] })
    expect(p.code).toBe('HTTP_INVALID_REQUEST')
    expect(p.status).toBe(400)
    expect(p.errors?.map((e) => [e.field, e.reason])).toEqual([
      ['$.query', 'required'],
      ['$.extra', 'additional_property'],
      ['$.k', 'too_small'],
      ['$.filters.a', 'type'],
      ['$.mode', 'enum'],
      ['$.ids', 'too_long'],
      ['$.ids', 'duplicate_items'],
    ])
    expect(p.detail).toMatch(/^7 problems in the request body; first: \$\.query is required$/)
  })

  it('tells empty, too short and too long apart, counting code points', () => {
    expect(problemOf({ query: '' }).errors?.[0]).toMatchObject({ kind: 'length', reason: 'empty' })
    expect(problemOf({ query: '😀😀😀😀😀😀' }).errors?.[0]).toMatchObject({
      reason: 'too_long',
      message: '$.query has 6 characters; the limit is 5',
    })
  })

  it('reports an alternative once, not every branch that failed', () => {
    const p = problemOf({ query: 'a', target: { x: 1 } })
    expect(p.errors?.map((e) => [e.field, e.reason])).toEqual([['$.target', 'no_matching_alternative']])
  })

  it('names members that are not identifiers in brackets, and a wrong root type at $', () => {
    expect(problemOf({ query: 'a', 'a b': 1 }).errors?.[0]?.field).toBe("$['a b']")
    expect(problemOf([1]).errors?.[0]).toMatchObject({ field: '$', reason: 'type' })
  })

  it('refuses, when compiling, a schema keyword no reason names', () => {
    expect(() => compileBodySchema({ type: 'object', if: { required: ['a'] } })).toThrow(
      'schema uses if, which no request-body reason names',
    )
    expect(() => compileBodySchema({ type: 'object', properties: { a: { not: { type: 'string' } } } })).toThrow(
      'schema.properties.a uses not',
    )
  })

  it('documents every reason it can give', () => {
    for (const [reason, meaning] of Object.entries(BODY_REASONS)) {
      expect(reason).toMatch(/^[a-z]+(_[a-z]+)*$/)
      expect(meaning.length).toBeGreaterThan(0)
    }
  })

  it('lists at most MAX_BODY_ENTRIES, and only the first error of a huge body, saying so', () => {
    const list = compileBodySchema({ type: 'object', properties: { xs: { type: 'array', items: { type: 'string' } } } })
    const failure = (body: unknown) => {
      try {
        list(body)
      } catch (err) {
        if (isProblem(err)) return err
      }
      throw new Error('the body passed')
    }
    const some = failure({ xs: Array.from({ length: 80 }, () => 1) })
    expect([some.errors?.length, some.extensions?.errors_truncated, some.detail]).toEqual([
      MAX_BODY_ENTRIES,
      true,
      'at least 50 problems in the request body; first: $.xs[0] must be string',
    ])
    const huge = failure({ xs: Array.from({ length: 200_000 }, () => 1) })
    expect([huge.errors?.length, huge.extensions?.errors_truncated]).toEqual([1, true])
    const few = failure({ xs: [1, 'a', 2] })
    expect([few.errors?.map((e) => e.field), few.extensions]).toEqual([['$.xs[0]', '$.xs[2]'], undefined])
  })

  it('checks a body of two forms against the form its member picks, with the verdict of the published oneOf', () => {
    const item = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string' } } }
    const forms = compileBodyForms(
      'items',
      {
        type: 'object',
        required: ['items'],
        additionalProperties: false,
        properties: { items: { type: 'array', items: item, maxItems: 2 } },
      },
      item,
    )
    const whole = compileBodySchema(forms.schema)
    for (const body of [
      { id: 'a' },
      { items: [{ id: 'a' }] },
      { items: [{ id: 1 }] },
      { items: [], id: 'a' },
      { id: 'a', x: 1 },
      { items: [{}, {}, {}] },
      [],
      null,
    ]) {
      expect([body, acceptsBody(() => forms(body))]).toEqual([body, acceptsBody(() => whole(body))])
    }
    expect(forms({ items: [{ id: 'a' }] })).toEqual({ form: 'multiple', body: { items: [{ id: 'a' }] } })
    expect(forms({ id: 'a' })).toEqual({ form: 'single', body: { id: 'a' } })
    let entries: unknown
    try {
      forms({ items: [{ id: 1 }] })
    } catch (err) {
      entries = isProblem(err) ? err.errors?.map((e) => [e.field, e.reason]) : err
    }
    expect(entries).toEqual([['$.items[0].id', 'type']])
  })
})
