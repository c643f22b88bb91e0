import { describe, expect, it } from 'vitest'
import { createSchemaCompiler } from '../src/schema-compiler.ts'
import { service, triples, validate } from './helpers.ts'

const svc = service()
const person = {
  type: 'object',
  required: ['name', 'email'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 2 },
    email: { type: 'string', format: 'email' },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    'home address': { type: 'object', properties: { zip: { type: 'string', pattern: '^\\d{5}$' } } },
  },
}

describe('kind schema', () => {
  it('accepts data that matches the caller schema', async () => {
    const r = await validate(svc, 'schema', { schema: person, data: { name: 'Dana', email: 'dana@example.com', tags: ['a'] } })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ valid: true, kind: 'schema', warnings: [] })
  })

  it('maps every ajv error to $.data paths with the keyword as reason', async () => {
    const r = await validate(svc, 'schema', {
      schema: person,
      data: { name: 'D', email: 'nope', tags: ['a', 'c'], 'home address': { zip: '1234' }, extra: 1 },
    })
    expect(r.status).toBe(422)
    expect(triples(r.body.errors)).toEqual([
      ['schema', '$.data.extra', 'additionalProperties'],
      ['schema', '$.data.name', 'minLength'],
      ['schema', '$.data.email', 'format'],
      ['schema', '$.data.tags[1]', 'enum'],
      ['schema', "$.data['home address'].zip", 'pattern'],
    ])
    expect(r.body.errors[1].message).toBe('$.data.name must NOT have fewer than 2 characters')
  })

  it('points required errors at the missing member and handles a non-object root', async () => {
    expect(triples((await validate(svc, 'schema', { schema: person, data: {} })).body.errors)).toEqual([
      ['schema', '$.data.name', 'required'],
      ['schema', '$.data.email', 'required'],
    ])
    expect(triples((await validate(svc, 'schema', { schema: { type: 'integer' }, data: 'x' })).body.errors)).toEqual([
      ['schema', '$.data', 'type'],
    ])
    expect(triples((await validate(svc, 'schema', { schema: false, data: 1 })).body.errors)).toEqual([['schema', '$.data', 'false_schema']])
  })

  it('tells an array index from an object key named like one', async () => {
    const schema = { type: 'object', properties: { '0': { type: 'string' }, list: { type: 'array', items: { type: 'string' } } } }
    const r = await validate(svc, 'schema', { schema, data: { '0': 1, list: [1] } })
    expect(triples(r.body.errors)).toEqual([
      ['schema', "$.data['0']", 'type'],
      ['schema', '$.data.list[0]', 'type'],
    ])
  })

  it('checks the payload shape itself', async () => {
    expect(triples((await validate(svc, 'schema', { schema: 'x' })).body.errors)).toEqual([
      ['schema', '$.data', 'required'],
      ['schema', '$.schema', 'type'],
    ])
  })

  it('supports draft 2020-12 and 2019-09 schemas by $schema', async () => {
    const tuple = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'integer' }],
      items: false,
    }
    expect((await validate(svc, 'schema', { schema: tuple, data: [1] })).status).toBe(200)
    expect(triples((await validate(svc, 'schema', { schema: tuple, data: ['x', 2] })).body.errors)).toEqual([
      ['schema', '$.data[0]', 'type'],
      ['schema', '$.data', 'items'],
    ])
    const dep = { $schema: 'https://json-schema.org/draft/2019-09/schema', dependentRequired: { a: ['b'] } }
    expect(triples((await validate(svc, 'schema', { schema: dep, data: { a: 1 } })).body.errors)).toEqual([
      ['schema', '$.data.b', 'dependentRequired'],
    ])
  })

  it.each([
    ['a bad type', { type: 'strin' }, 'schema is invalid: data/type must be equal to one of the allowed values'],
    [
      'an invalid pattern',
      { properties: { a: { pattern: '(' } } },
      'pattern "(" at #/properties/a/pattern is not a valid regular expression',
    ],
    [
      'an unresolvable $ref',
      { $ref: 'https://example.com/remote.json' },
      "can't resolve reference https://example.com/remote.json from id #",
    ],
    ['an unknown $schema', { $schema: 'https://example.com/my-meta' }, 'no schema with key or ref "https://example.com/my-meta"'],
    ['an async schema', { $async: true, type: 'object' }, '$async schemas are not supported'],
  ])('answers 400 VALIDATOR_INVALID_SCHEMA for %s', async (_label, schema, message) => {
    const r = await validate(svc, 'schema', { schema, data: {} })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('VALIDATOR_INVALID_SCHEMA')
    expect(triples(r.body.errors)).toEqual([['schema', '$.schema', 'invalid_schema']])
    expect(r.body.detail).toContain(message)
  })
})

describe('createSchemaCompiler', () => {
  it('compiles a schema once and serves repeats from the cache', () => {
    const compiler = createSchemaCompiler(2)
    const a = compiler.compile({ type: 'string' })
    expect(compiler.compile({ type: 'string' })).toBe(a)
    compiler.compile({ type: 'number' })
    compiler.compile({ type: 'boolean' })
    expect(compiler.cached).toBe(2)
    expect(compiler.compile({ type: 'string' })).not.toBe(a)
  })

  it("does not let one caller's nested $id change how another's $ref resolves", () => {
    const compiler = createSchemaCompiler(8)
    const other = { $id: 'urn:example:root', properties: { x: { type: 'integer' }, y: { $ref: 'urn:example:shared' } } }
    const alone = compiler.compile(other)
    expect(alone.ok).toBe(false)
    compiler.clear()
    expect(compiler.compile({ $id: 'urn:example:root', properties: { x: { $id: 'urn:example:shared', type: 'string' } } }).ok).toBe(true)
    expect(compiler.compile(other)).toEqual(alone)
  })

  it('accepts a root $id repeated across different schemas', () => {
    const compiler = createSchemaCompiler(8)
    expect(compiler.compile({ $id: 'urn:example:x', type: 'string' }).ok).toBe(true)
    expect(compiler.compile({ $id: 'urn:example:x', type: 'number' }).ok).toBe(true)
  })

  it('keeps working across instance recycling', () => {
    const compiler = createSchemaCompiler(16)
    for (let i = 0; i < 1100; i++) {
      const compiled = compiler.compile({ type: 'integer', minimum: i })
      if (!compiled.ok) throw new Error(compiled.message)
      expect(compiled.validate(i)).toBe(true)
    }
  })
})
