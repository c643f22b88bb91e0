import { codePointLength, isProblem, resolvePointer } from '@lakehouse/kit'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { entriesFromAjv } from '../src/ajv-entries.ts'
import { createInMemoryWorkerLookup, findPlaceholders, resolveValidatorConfig, validatorDefaults, validatorErrors } from '../src/index.ts'

describe('resolvePointer', () => {
  const data = { a: [{ 'b/c': { '~x': 1 } }], "it's": 2, 'x y': 3, _ok$: 4 }
  it.each([
    ['', '$'],
    ['/a', '$.a'],
    ['/a/0', '$.a[0]'],
    ['/a/0/b~1c', "$.a[0]['b/c']"],
    ['/a/0/b~1c/~0x', "$.a[0]['b/c']['~x']"],
    ["/it's", "$['it\\'s']"],
    ['/x y', "$['x y']"],
    ['/_ok$', '$._ok$'],
    ['/missing/0', "$.missing['0']"],
  ])('renders %j as %s', (pointer, path) => {
    expect(resolvePointer(data, pointer).path).toBe(path)
  })
})

describe('entriesFromAjv', () => {
  const ajv = new Ajv({ allErrors: true })
  const validate = ajv.compile({
    type: 'object',
    properties: { code: { type: 'string', minLength: 3 }, list: { type: 'array', minItems: 2, maxItems: 3 } },
  })
  it('reports min/max length as length errors for built-in kinds', () => {
    validate({ code: 'ab', list: [1, 2, 3, 4] })
    expect(entriesFromAjv(validate.errors, { code: 'ab', list: [1, 2, 3, 4] }, { base: '$', lengthAsKind: true })).toEqual([
      { kind: 'length', field: '$.code', reason: 'too_short', message: '$.code has 2 characters; the minimum is 3' },
      { kind: 'length', field: '$.list', reason: 'too_long', message: '$.list has 4 items; the limit is 3' },
    ])
  })
  it('keeps the ajv keyword for caller schemas', () => {
    validate({ code: 'ab' })
    expect(entriesFromAjv(validate.errors, { code: 'ab' }, { base: '$.data', lengthAsKind: false })[0]).toMatchObject({
      kind: 'schema',
      field: '$.data.code',
      reason: 'minLength',
    })
  })
  it('counts code points as ajv does', () => {
    expect(codePointLength('a😀b')).toBe(3)
    expect(codePointLength('\ud800')).toBe(1)
    expect(codePointLength('\udc00\ud800\udc00')).toBe(2)
  })
})

describe('findPlaceholders', () => {
  it('finds placeholders with and without inner spaces, and nothing else', () => {
    expect(findPlaceholders('Hi {{name}}, {{ first name }} at {{job.site}}; {{}}').map((p) => p.text)).toEqual([
      '{{name}}',
      '{{ first name }}',
      '{{job.site}}',
      '{{}}',
    ])
    expect(findPlaceholders('{single} { {spaced} } {{multi\nline}} {"json": {"a": 1}}')).toEqual([])
    expect(findPlaceholders('{{{triple}}}').map((p) => p.text)).toEqual(['{{triple}}'])
  })
})

describe('createInMemoryWorkerLookup', () => {
  it('answers with the subset that exists', async () => {
    const lookup = createInMemoryWorkerLookup(['a', 'b'])
    expect([...(await lookup.existing(['b', 'c', 'a']))]).toEqual(['b', 'a'])
  })
})

describe('resolveValidatorConfig', () => {
  it('fills defaults and freezes', () => {
    const config = resolveValidatorConfig({ maxBatchItems: 10 })
    expect(config).toEqual({ ...validatorDefaults, maxBatchItems: 10 })
    expect(Object.isFrozen(config)).toBe(true)
    expect(validatorDefaults).toEqual({
      maxBodyBytes: 1048576,
      maxJsonDepth: 64,
      maxBatchItems: 500,
      maxErrors: 100,
      schemaCacheSize: 256,
      maxPatternWork: 10_000_000,
    })
  })
  it('throws CONFIG_INVALID at boot for out-of-range values', () => {
    for (const bad of [{ maxBatchItems: 0 }, { maxErrors: 1.5 }, { schemaCacheSize: -1 }, { maxBodyBytes: 10 }, { maxPatternWork: 999 }]) {
      const err = (() => {
        try {
          resolveValidatorConfig(bad)
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(isProblem(err) && err.code).toBe('CONFIG_INVALID')
    }
  })
})

describe('validatorErrors', () => {
  it('pins every code and status', () => {
    expect(Object.fromEntries(Object.entries(validatorErrors.specs).map(([code, spec]) => [code, spec.status]))).toEqual({
      VALIDATION_FAILED: 422,
      VALIDATOR_UNKNOWN_KIND: 400,
      VALIDATOR_BATCH_TOO_LARGE: 400,
      VALIDATOR_INVALID_SCHEMA: 400,
      VALIDATOR_PATTERN_UNSUPPORTED: 400,
      VALIDATOR_PATTERN_WORK_EXCEEDED: 400,
    })
    for (const spec of Object.values(validatorErrors.specs)) expect(spec.description.length).toBeGreaterThan(10)
  })
})
