import { describe, expect, it } from 'vitest'
import { compareResponses } from '../../src/diff/index.ts'
import type { CompareRules, Finding } from '../../src/model.ts'
import { json, rules } from './observed.ts'

const NAMES = { baseline: 'node', candidate: 'bun' }

function diff(a: unknown, b: unknown, part: Partial<CompareRules> = {}): Finding[] {
  return [...compareResponses(json(JSON.stringify(a)), json(JSON.stringify(b)), rules(part), NAMES).findings]
}

const brief = (fs: readonly Finding[]) => fs.map((f) => [f.class, f.path])
const KEYED = { arrayKeys: { '$.items': 'id' } }

describe('arrays matched by key', () => {
  const a = {
    items: [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
      { id: 'c', n: 3 },
    ],
  }

  it('reports nothing for a reordered keyed array', () => {
    expect(
      diff(
        a,
        {
          items: [
            { id: 'c', n: 3 },
            { id: 'a', n: 1 },
            { id: 'b', n: 2 },
          ],
        },
        KEYED,
      ),
    ).toEqual([])
  })

  it('reports a changed member at the key filter path', () => {
    const b = {
      items: [
        { id: 'c', n: 3 },
        { id: 'b', n: 20 },
        { id: 'a', n: 1 },
      ],
    }
    expect(diff(a, b, KEYED)).toEqual([
      {
        class: 'value',
        risk: 'medium',
        path: "$.items[?(@.id=='b')].n",
        baseline: 2,
        candidate: 20,
        shape: 'integer',
        message: '2 on node, 20 on bun',
      },
    ])
  })

  it('reports unmatched elements as missing (baseline) and extra (candidate)', () => {
    const b = {
      items: [
        { id: 'd', n: 4 },
        { id: 'a', n: 1 },
        { id: 'c', n: 3 },
      ],
    }
    expect(diff(a, b, KEYED)).toEqual([
      {
        class: 'missing',
        risk: 'breaking',
        path: "$.items[?(@.id=='b')]",
        baseline: { id: 'b', n: 2 },
        shape: 'object→absent',
        message: 'present (object) on node, absent on bun',
      },
      {
        class: 'extra',
        risk: 'additive',
        path: "$.items[?(@.id=='d')]",
        candidate: { id: 'd', n: 4 },
        shape: 'absent→object',
        message: 'absent on node, present (object) on bun',
      },
    ])
  })

  it('pairs duplicate keys in order of appearance instead of collapsing them', () => {
    const dup = {
      items: [
        { id: 'a', n: 1 },
        { id: 'a', n: 2 },
      ],
    }
    expect(brief(diff(dup, { items: [{ id: 'a', n: 1 }] }, KEYED))).toEqual([['missing', "$.items[?(@.id=='a')]"]])
  })

  it('matches numeric keys by their literal and reports a key whose type changed', () => {
    expect(diff({ items: [{ id: 1 }, { id: 2 }] }, { items: [{ id: 2 }, { id: 1 }] }, KEYED)).toEqual([])
    expect(brief(diff({ items: [{ id: 1 }] }, { items: [{ id: '1' }] }, KEYED))).toEqual([['type', "$.items[?(@.id=='1')].id"]])
  })

  it('names elements without the key by position and pairs them in order', () => {
    expect(brief(diff({ items: [{ id: 'a' }, { x: 1 }] }, { items: [{ x: 2 }, { id: 'a' }] }, KEYED))).toEqual([['value', '$.items[1].x']])
  })

  it('applies key rules through wildcards, and quotes odd key names', () => {
    const nested = {
      groups: [
        {
          members: [
            { 'user id': 'u1', role: 'r' },
            { 'user id': 'u2', role: 'w' },
          ],
        },
      ],
    }
    const moved = {
      groups: [
        {
          members: [
            { 'user id': 'u2', role: 'w' },
            { 'user id': 'u1', role: 'x' },
          ],
        },
      ],
    }
    expect(brief(diff(nested, moved, { arrayKeys: { '$.groups[*].members': 'user id' } }))).toEqual([
      ['value', "$.groups[0].members[?(@['user id']=='u1')].role"],
    ])
  })
})

describe('arrays compared by position', () => {
  it('reports an order-only difference as one order finding', () => {
    expect(diff({ tags: ['a', 'b', 'c'] }, { tags: ['c', 'a', 'b'] })).toEqual([
      {
        class: 'order',
        risk: 'medium',
        path: '$.tags',
        baseline: ['a', 'b', 'c'],
        candidate: ['c', 'a', 'b'],
        shape: 'reordered',
        message: 'same 3 elements in another order on bun than on node',
      },
    ])
    const rows = [
      { id: 1, v: { x: [1, 2] } },
      { v: { x: [1, 2] }, id: 2 },
    ]
    expect(brief(diff({ rows }, { rows: [rows[1], rows[0]] }))).toEqual([['order', '$.rows']])
  })

  it('reports element differences, not order, when the elements differ too', () => {
    expect(brief(diff(['a', 'b', 'c'], ['c', 'a', 'x']))).toEqual([
      ['value', '$[0]'],
      ['value', '$[1]'],
      ['value', '$[2]'],
    ])
  })

  it('tells 1 from 1.0 when deciding whether elements are the same', () => {
    const compare = (a: string, b: string) => brief(compareResponses(json(a), json(b), rules()).findings)
    expect(compare('[1, 2]', '[2.0, 1]')).toEqual([
      ['type', '$[0]'],
      ['value', '$[1]'],
    ])
    expect(compare('[1, 1.0]', '[1.0, 1]')).toEqual([['order', '$']])
  })

  it('reports the surplus of a longer array as missing or extra elements', () => {
    expect(brief(diff([1, 2, 3], [1]))).toEqual([
      ['missing', '$[1]'],
      ['missing', '$[2]'],
    ])
    expect(brief(diff([1], [1, 2]))).toEqual([['extra', '$[1]']])
  })

  it('keeps an order finding of a nested array without the per-index noise', () => {
    expect(brief(diff({ a: { b: [[1, 2], [3]] } }, { a: { b: [[3], [1, 2]] } }))).toEqual([['order', '$.a.b']])
    expect(brief(diff({ a: [[1, 2]] }, { a: [[2, 1]] }))).toEqual([['order', '$.a[0]']])
  })
})

describe('unordered arrays', () => {
  const U = { unordered: ['$.tags'] }

  it('reports nothing for a permutation', () => {
    expect(diff({ tags: ['a', 'b', 'b'] }, { tags: ['b', 'a', 'b'] }, U)).toEqual([])
  })

  it('reports elements found on one side only as missing or extra, as a multiset', () => {
    expect(brief(diff({ tags: ['a', 'b', 'b'] }, { tags: ['b', 'c', 'a'] }, U))).toEqual([
      ['missing', '$.tags[2]'],
      ['extra', '$.tags[1]'],
    ])
  })
})
