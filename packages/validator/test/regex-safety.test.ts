import { describe, expect, it } from 'vitest'
import { compileCallerPattern, createPatternMeter, MAX_PATTERN_SIZE } from '../src/caller-regexp.ts'
import { post, prng, service, triples, validate } from './helpers.ts'

const svc = service()
// A regression bound, not a speed claim (speed is measured in benchmarks): the backtracking
// engine took 20 s on 33 characters and doubles per character, so 5 s cannot be reached by a
// linear engine even on a loaded CI host, and cannot be missed by a regression.
const REGRESSION_MS = 5_000
const CATASTROPHIC = '^(a+)+$'
const REPRODUCTION = { kind: 'schema', payload: { schema: { type: 'string', pattern: CATASTROPHIC }, data: `${'a'.repeat(32)}!` } }

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now()
  const value = await run()
  return { value, ms: performance.now() - start }
}

describe('issue 11: catastrophic pattern', () => {
  it('answers the reproduction (^(a+)+$ on 32 a + "!") with 422 in milliseconds, not 20 s', async () => {
    const { value: r, ms } = await timed(() => post(svc, '/v1/validate', REPRODUCTION))
    expect(r.status).toBe(422)
    expect(r.body.code).toBe('VALIDATION_FAILED')
    expect(triples(r.body.errors)).toEqual([['schema', '$.data', 'pattern']])
    expect(r.body.errors[0].message).toBe('$.data must match pattern "^(a+)+$"')
    expect(ms).toBeLessThan(REGRESSION_MS)
  })

  it('stays linear on 100,000 characters and still matches what should match', async () => {
    const long = await timed(() =>
      validate(svc, 'schema', { schema: { type: 'string', pattern: CATASTROPHIC }, data: `${'a'.repeat(100_000)}!` }),
    )
    expect(long.value.status).toBe(422)
    expect(long.ms).toBeLessThan(REGRESSION_MS)
    expect((await validate(svc, 'schema', { schema: { type: 'string', pattern: CATASTROPHIC }, data: 'a'.repeat(100_000) })).status).toBe(
      200,
    )
  })

  it('runs patternProperties keys, propertyNames and additionalProperties lookups on the same engine', async () => {
    const data = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${'a'.repeat(30 + i)}!`, 1]))
    const schemas = [
      { type: 'object', patternProperties: { [CATASTROPHIC]: { type: 'string' } } },
      { type: 'object', propertyNames: { pattern: CATASTROPHIC } },
      { type: 'object', patternProperties: { [CATASTROPHIC]: true }, additionalProperties: false },
    ]
    const { value: answers, ms } = await timed(() => Promise.all(schemas.map((schema) => validate(svc, 'schema', { schema, data }))))
    expect(ms).toBeLessThan(REGRESSION_MS)
    expect(answers.map((a) => a.status)).toEqual([200, 422, 422])
    expect(answers[1]?.body.errors[0]).toMatchObject({ field: '$.data', reason: 'pattern' })
    expect(answers[2]?.body.errors).toHaveLength(50)
  })

  it('answers a batch of reproductions quickly', async () => {
    const { value: r, ms } = await timed(() => post(svc, '/v1/validate/batch', { items: Array.from({ length: 20 }, () => REPRODUCTION) }))
    expect(r.status).toBe(200)
    expect(r.body.summary).toEqual({ total: 20, valid: 0, invalid: 20 })
    expect(ms).toBeLessThan(REGRESSION_MS)
  })

  it('only parses (never runs) data checked with format "regex"', async () => {
    const { value: r, ms } = await timed(() => validate(svc, 'schema', { schema: { type: 'string', format: 'regex' }, data: CATASTROPHIC }))
    expect(r.status).toBe(200)
    expect(ms).toBeLessThan(REGRESSION_MS)
  })
})

describe('patterns RE2 cannot run', () => {
  it.each([
    ['a backreference', '(a)\\1', 'backreferences are not supported'],
    ['a named backreference', '(?<x>a)\\k<x>', 'backreferences are not supported'],
    ['a lookahead', '(?=a)', 'lookahead and lookbehind assertions are not supported'],
    ['a negative lookahead', '^(?!admin$)', 'lookahead and lookbehind assertions are not supported'],
    ['a lookbehind', '(?<=a)b', 'lookahead and lookbehind assertions are not supported'],
    ['a binary property', '^\\p{Emoji}+$', 'the Unicode property \\p{Emoji} has no RE2 equivalent'],
    ['Script_Extensions', '\\p{scx=Greek}', 'the Unicode property \\p{scx=Greek} has no RE2 equivalent'],
    ['a repeat expanding too far', '^.{1,1000}$', `the limit is ${MAX_PATTERN_SIZE}`],
    ['a script code RE2 does not know', '^\\p{sc=Latn}+$', 'RE2 rejects it (error parsing regexp: invalid character class range'],
  ])('answers 400 VALIDATOR_PATTERN_UNSUPPORTED for %s, quoting the pattern', async (_label, pattern, why) => {
    const r = await validate(svc, 'schema', { schema: { type: 'string', pattern }, data: 'a' })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('VALIDATOR_PATTERN_UNSUPPORTED')
    expect(r.body.detail).toContain(`pattern ${JSON.stringify(pattern)} at #/pattern cannot run on the linear-time (RE2) engine`)
    expect(r.body.detail).toContain(why)
    expect(triples(r.body.errors)).toEqual([['schema', '$.schema.pattern', 'unsupported_pattern']])
  })

  it('points the entry at a nested pattern and at a patternProperties key', async () => {
    const nested = await validate(svc, 'schema', { schema: { properties: { 'home address': { pattern: '(?=x)' } } }, data: {} })
    expect(triples(nested.body.errors)).toEqual([['schema', "$.schema.properties['home address'].pattern", 'unsupported_pattern']])
    expect(nested.body.detail).toContain('at #/properties/home address/pattern')
    const key = await validate(svc, 'schema', { schema: { patternProperties: { '^(a)\\1$': { type: 'string' } } }, data: {} })
    expect(key.body.code).toBe('VALIDATOR_PATTERN_UNSUPPORTED')
    expect(triples(key.body.errors)).toEqual([['schema', "$.schema.patternProperties['^(a)\\\\1$']", 'unsupported_pattern']])
  })

  it('keeps an invalid ECMAScript pattern a VALIDATOR_INVALID_SCHEMA', async () => {
    const r = await validate(svc, 'schema', { schema: { pattern: '(?<=' }, data: 'x' })
    expect(r.body.code).toBe('VALIDATOR_INVALID_SCHEMA')
  })

  it('makes the batch item invalid and checks the rest', async () => {
    const r = await post(svc, '/v1/validate/batch', {
      items: [
        { kind: 'schema', payload: { schema: { pattern: '(a)\\1' }, data: 'aa' } },
        { kind: 'schema', payload: { schema: { pattern: '^a+$' }, data: 'aa' } },
      ],
    })
    expect(r.body.results.map((x: { valid: boolean }) => x.valid)).toEqual([false, true])
    expect(triples(r.body.results[0].errors)).toEqual([['schema', '$.schema.pattern', 'unsupported_pattern']])
  })
})

describe('pattern work limit', () => {
  const schema = { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } }
  // ^[a-z]+$ is 6 RE2 instructions: 100 strings of 1,000 characters cost ~600,000 units.
  const data = Array.from({ length: 100 }, () => 'abcdefghij'.repeat(100))

  it('answers 400 VALIDATOR_PATTERN_WORK_EXCEEDED past maxPatternWork, naming the pattern', async () => {
    const tight = service({ maxPatternWork: 200_000 })
    const r = await validate(tight, 'schema', { schema, data })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('VALIDATOR_PATTERN_WORK_EXCEEDED')
    expect(r.body.detail).toContain('pattern "^[a-z]+$"')
    expect(triples(r.body.errors)).toEqual([['schema', '$.schema.items.pattern', 'pattern_work_exceeded']])
    expect((await validate(service(), 'schema', { schema, data })).status).toBe(200)
  })

  it('gives each request a fresh budget, and a batch one budget for all its items', async () => {
    const tight = service({ maxPatternWork: 200_000 })
    const small = { schema, data: data.slice(0, 10) }
    for (let i = 0; i < 5; i++) expect((await validate(tight, 'schema', small)).status).toBe(200)
    const batch = await post(tight, '/v1/validate/batch', { items: Array.from({ length: 5 }, () => ({ kind: 'schema', payload: small })) })
    const reasons = batch.body.results.map((x: { errors: { reason: string }[] }) => x.errors[0]?.reason ?? 'ok')
    expect(reasons.slice(0, 2)).toEqual(['ok', 'ok'])
    expect(reasons.at(-1)).toBe('pattern_work_exceeded')
  })

  it('does not cache a compile that ran out of budget', async () => {
    const tight = service({ maxPatternWork: 100_000 })
    const big = { type: 'string', pattern: '^[a-z]{1,20}$' }
    const r = await validate(tight, 'schema', { schema: big, data: 'a' })
    expect(r.body.code).toBe('VALIDATOR_PATTERN_WORK_EXCEEDED')
    expect((await validate(tight, 'schema', { schema: big, data: 'a' })).body.code).toBe('VALIDATOR_PATTERN_WORK_EXCEEDED')
  })
})

describe('compileCallerPattern matches ECMAScript for ordinary patterns', () => {
  const unlimited = createPatternMeter(Number.POSITIVE_INFINITY)
  const same = (pattern: string, inputs: readonly string[]) => {
    const native = new RegExp(pattern, 'u')
    const re2 = compileCallerPattern(pattern, unlimited)
    for (const input of inputs) expect([pattern, input, re2.test(input)]).toEqual([pattern, input, native.test(input)])
  }
  const INPUTS = [
    '',
    'a',
    'A',
    'abc',
    'a-b',
    '12345',
    '1234',
    'x\ny',
    'a\r',
    '\u2028',
    '\u00a0',
    '\v',
    '\ufeff',
    '😀',
    'é',
    'É',
    '\ud83d',
    'a_b c',
    '[]',
    '\\',
    '/',
  ]

  it.each([
    '^\\d{5}$',
    '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$',
    '^[0-9a-f]{8}-[0-9a-f]{4}$',
    '^.$',
    '^..$',
    '^\\s$',
    '^\\S+$',
    '[\\s\\d]',
    '[^\\s]',
    '[\\S]',
    '\\bb\\b',
    '\\Bb',
    '^\\w+$',
    '^\\W$',
    '^\\p{L}+$',
    '^\\P{L}$',
    '^\\p{Lu}',
    '^\\p{Letter}$',
    '^\\p{gc=Uppercase_Letter}$',
    '^\\p{Script=Latin}+$',
    '^\\p{sc=Greek}$',
    '^[\\p{L}\\p{N}]+$',
    '^\\p{ASCII}+$',
    '^[\\P{ASCII}]$',
    '^\\p{Any}$',
    '^\\p{Assigned}$',
    '[\\b]',
    '^[]',
    '^[^]$',
    '^\\u00e9$',
    '^\\u{1F600}$',
    '^\\ud83d\\ude00$',
    '^\\ud83d$',
    '^[😀-😂]$',
    '^\\x41$',
    '\\cJ',
    '\\0',
    '^\\/$',
    '^[\\-\\]\\\\]$',
    '^(?<word>[a-z]+)(?:-(?<num>\\d+))?$',
    '^(a|ab)(c|bcd)$',
    'a+?b',
    '^a{2,3}?$',
    '^(?:a{0}|b)$',
    '\\.$',
    '^\\$',
    'a$',
    '^[a-c-e]+$',
    '^[--/]$',
    '[[:a]',
  ])('%s', (pattern) => same(pattern, INPUTS))

  it('agrees on 2,000 seeded random patterns', () => {
    const rand = prng(11)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
    const ATOMS = [
      'a',
      'b',
      'é',
      '😀',
      '-',
      ' ',
      '\\.',
      '.',
      '\\d',
      '\\w',
      '\\s',
      '\\S',
      '\\W',
      '[ab]',
      '[^a]',
      '[\\s\\d]',
      '[a-c]',
      '\\p{L}',
      '\\P{Ll}',
      '\\n',
    ]
    const QUANTIFIERS = ['', '', '', '*', '+', '?', '{0,2}', '{1,3}', '*?', '+?', '{2}']
    let names = 0
    const expr = (depth: number): string => {
      const parts: string[] = []
      const n = 1 + Math.floor(rand() * 3)
      for (let i = 0; i < n; i++) {
        const r = rand()
        if (r < 0.1 && depth < 3) parts.push(`(${expr(depth + 1)})${pick(QUANTIFIERS)}`)
        else if (r < 0.15 && depth < 3) parts.push(`(?<g${names++}>${expr(depth + 1)})${pick(QUANTIFIERS)}`)
        else if (r < 0.25 && depth < 3) parts.push(`(?:${expr(depth + 1)}|${expr(depth + 1)})${pick(QUANTIFIERS)}`)
        else if (r < 0.3) parts.push(pick(['^', '$', '\\b', '\\B']))
        else parts.push(pick(ATOMS) + pick(QUANTIFIERS))
      }
      return parts.join('')
    }
    const CHARS = ['a', 'b', 'c', 'é', '😀', '\ud83d', '-', ' ', '.', '1', '_', '\n', '\r', '\u2028', '\u00a0', 'A']
    const text = () => Array.from({ length: Math.floor(rand() * 8) }, () => pick(CHARS)).join('')
    for (let i = 0; i < 2000; i++) {
      const pattern = expr(0)
      same(
        pattern,
        Array.from({ length: 12 }, () => text()),
      )
    }
  })
})

describe('issue 11: ES2025 modifier groups get the same answer on both runtimes', () => {
  it('refuses (?i:a)b with VALIDATOR_PATTERN_UNSUPPORTED whether or not the runtime parses it (Bun does, Node 20 does not)', async () => {
    const r = await validate(svc, 'schema', { schema: { type: 'string', pattern: '(?i:a)b' }, data: 'Ab' })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('VALIDATOR_PATTERN_UNSUPPORTED')
    expect(r.body.detail).toContain('the group syntax "(?i" is not supported')
  })
})
