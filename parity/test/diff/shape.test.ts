import { describe, expect, it } from 'vitest'
import { compareResponses } from '../../src/diff/index.ts'
import type { CompareRules, Finding } from '../../src/model.ts'
import { json, rules } from './observed.ts'

const NAMES = { baseline: 'node', candidate: 'bun' }

function diff(a: string, b: string, part: Partial<CompareRules> = {}): Finding[] {
  return [...compareResponses(json(a), json(b), rules(part), NAMES).findings]
}

const brief = (fs: readonly Finding[]) => fs.map((f) => [f.class, f.risk, f.path])

describe('compareResponses: body shape', () => {
  it('reports integer vs float as a breaking type change', () => {
    expect(diff('{"n":1}', '{"n":1.5}')).toEqual([
      {
        class: 'type',
        risk: 'breaking',
        path: '$.n',
        baseline: 1,
        candidate: 1.5,
        shape: 'integer→float',
        message: 'integer on node, float on bun',
      },
    ])
  })

  it('tells 1 from 1.0, which JSON.parse cannot', () => {
    expect(JSON.parse('{"n":1}')).toEqual(JSON.parse('{"n":1.0}'))
    const [f] = diff('{"n":1}', '{"n":1.0}')
    expect(f).toMatchObject({ class: 'type', path: '$.n', baseline: 1, candidate: '1.0', message: 'integer on node, float on bun' })
  })

  it('sees a difference beyond 2^53 that only lossless parsing keeps', () => {
    expect(JSON.parse('9007199254740993')).toBe(JSON.parse('9007199254740992'))
    expect(diff('{"id":9007199254740993}', '{"id":9007199254740992}')).toEqual([
      {
        class: 'value',
        risk: 'medium',
        path: '$.id',
        baseline: '9007199254740993',
        candidate: '9007199254740992',
        shape: 'bigint',
        message: '9007199254740993 on node, 9007199254740992 on bun',
      },
    ])
  })

  it('reports a big integer sent as a string, and integer vs bigint, as type changes', () => {
    expect(brief(diff('{"id":9007199254740993}', '{"id":"9007199254740993"}'))).toEqual([['type', 'breaking', '$.id']])
    expect(diff('[9007199254740991]', '[9007199254740992]')[0]?.message).toBe('integer on node, bigint on bun')
  })

  it('reports keys only in the baseline as missing and only in the candidate as extra', () => {
    expect(diff('{"a":1,"b":{"c":true}}', '{"a":1,"d":"x"}')).toEqual([
      {
        class: 'missing',
        risk: 'breaking',
        path: '$.b',
        baseline: { c: true },
        shape: 'object→absent',
        message: 'present (object) on node, absent on bun',
      },
      {
        class: 'extra',
        risk: 'additive',
        path: '$.d',
        candidate: 'x',
        shape: 'absent→string',
        message: 'absent on node, present (string) on bun',
      },
    ])
  })

  it('treats null vs absent as missing/extra and null vs a value as a type change', () => {
    expect(brief(diff('{"a":null}', '{}'))).toEqual([['missing', 'breaking', '$.a']])
    expect(brief(diff('{}', '{"a":null}'))).toEqual([['extra', 'additive', '$.a']])
    expect(diff('{"a":null}', '{}')[0]).toHaveProperty('baseline', null)
    expect(diff('{"a":null}', '{"a":0}')[0]).toMatchObject({ class: 'type', message: 'null on node, integer on bun' })
    expect(diff('{"a":null}', '{"a":null}')).toEqual([])
  })

  it('compares empty arrays: [] vs [1] is an extra element, [] vs {} a type change', () => {
    expect(diff('[]', '[1]')).toEqual([
      {
        class: 'extra',
        risk: 'additive',
        path: '$[0]',
        candidate: 1,
        shape: 'absent→integer',
        message: 'absent on node, present (integer) on bun',
      },
    ])
    expect(brief(diff('[1]', '[]'))).toEqual([['missing', 'breaking', '$[0]']])
    expect(diff('{"a":[]}', '{"a":{}}')).toEqual([
      {
        class: 'type',
        risk: 'breaking',
        path: '$.a',
        baseline: [],
        candidate: {},
        shape: 'array→object',
        message: 'array on node, object on bun',
      },
    ])
  })

  it('does not descend below a type mismatch', () => {
    expect(brief(diff('{"a":{"b":1,"c":2}}', '{"a":[1,2]}'))).toEqual([['type', 'breaking', '$.a']])
  })

  it('reports the seed pair (error shape drift) as missing and extra members', () => {
    const node = '{"errors":[{"Schema":{"field":"x","reason":"y"}}]}'
    const bun = '{"errors":[{"Kind":"schema","Field":"x","Reason":"y"}]}'
    expect(brief(diff(node, bun))).toEqual([
      ['missing', 'breaking', '$.errors[0].Schema'],
      ['extra', 'additive', '$.errors[0].Kind'],
      ['extra', 'additive', '$.errors[0].Field'],
      ['extra', 'additive', '$.errors[0].Reason'],
    ])
  })

  it('quotes member names that are not identifiers', () => {
    expect(brief(diff('{"odd key":{"a.b":1}}', '{"odd key":{"a.b":2}}'))).toEqual([['value', 'medium', "$['odd key']['a.b']"]])
  })

  it('treats members named like Object.prototype properties as data', () => {
    expect(brief(diff('{"constructor":1,"__proto__":{"x":1}}', '{"toString":1,"__proto__":{"x":2}}'))).toEqual([
      ['missing', 'breaking', '$.constructor'],
      ['value', 'medium', '$.__proto__.x'],
      ['extra', 'additive', '$.toString'],
    ])
  })

  it('reports top-level scalars of different types at $', () => {
    expect(brief(diff('"1"', '1'))).toEqual([['type', 'breaking', '$']])
  })
})

describe('compareResponses: values', () => {
  it('reports a changed string or boolean as a medium value difference', () => {
    expect(diff('{"s":"a","b":true}', '{"s":"b","b":false}')).toEqual([
      { class: 'value', risk: 'medium', path: '$.s', baseline: 'a', candidate: 'b', shape: 'string', message: '"a" on node, "b" on bun' },
      {
        class: 'value',
        risk: 'medium',
        path: '$.b',
        baseline: true,
        candidate: false,
        shape: 'boolean',
        message: 'true on node, false on bun',
      },
    ])
  })

  it('compares numbers of one class numerically, not by their text', () => {
    expect(diff('{"f":1e2,"g":0.10}', '{"f":100.0,"g":0.1}')).toEqual([])
    expect(diff('{"i":-0}', '{"i":0}')).toEqual([])
  })

  it('applies an absolute tolerance to floats, by path with wildcards', () => {
    const a = '{"items":[{"p":1.0,"q":1.0},{"p":2.5,"q":1.0}]}'
    const b = '{"items":[{"p":1.05,"q":1.0},{"p":2.4,"q":1.01}]}'
    expect(brief(diff(a, b))).toEqual([
      ['value', 'medium', '$.items[0].p'],
      ['value', 'medium', '$.items[1].p'],
      ['value', 'medium', '$.items[1].q'],
    ])
    expect(brief(diff(a, b, { tolerance: { '$.items[*].p': 0.1 } }))).toEqual([['value', 'medium', '$.items[1].q']])
    // A tolerance on an ancestor covers the numbers below it; the bound is inclusive.
    expect(diff(a, b, { tolerance: { '$.items': 0.1 } })).toEqual([])
    expect(diff('{"x":1.1}', '{"x":1.0}', { tolerance: { '$.x': 0.1 } })).toEqual([])
    expect(brief(diff('{"x":1.2}', '{"x":1.0}', { tolerance: { '$.x': 0.1 } }))).toEqual([['value', 'medium', '$.x']])
  })

  it('applies tolerance to integers too, exactly', () => {
    expect(diff('{"t":1000}', '{"t":1002}', { tolerance: { '$.t': 2 } })).toEqual([])
    expect(brief(diff('{"t":1000}', '{"t":1003}', { tolerance: { '$.t': 2 } }))).toEqual([['value', 'medium', '$.t']])
  })

  it('caps large display values at about 2 KB', () => {
    const big = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ i, name: `row ${i}` })) })
    const [f] = diff(`{"a":${big}}`, '{}')
    expect(typeof f?.baseline).toBe('string')
    expect(String(f?.baseline).length).toBeLessThan(2200)
    expect(String(f?.baseline)).toMatch(/… \(object with 1 members\)$/)
    const [s] = diff(`{"s":"${'x'.repeat(5000)}"}`, '{"s":"y"}')
    expect(String(s?.baseline)).toMatch(/… \(5000 characters\)$/)
    expect(s?.message.length).toBeLessThan(200)
  })
})
