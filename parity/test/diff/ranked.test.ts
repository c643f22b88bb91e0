import { describe, expect, it } from 'vitest'
import { compareResponses } from '../../src/diff/index.ts'
import type { CompareRules, Finding, RankedRule } from '../../src/model.ts'
import { json, rules } from './observed.ts'

const NAMES = { baseline: 'node', candidate: 'bun' }

/** Bodies written as JSON text so number literals (`1` vs `1.0`) survive. */
function diffText(a: string, b: string, part: Partial<CompareRules>): Finding[] {
  return [...compareResponses(json(a), json(b), rules(part), NAMES).findings]
}

function diff(a: unknown, b: unknown, part: Partial<CompareRules>): Finding[] {
  return diffText(JSON.stringify(a), JSON.stringify(b), part)
}

const ranked = (rule: Partial<RankedRule> = {}): Partial<CompareRules> => ({ ranked: { '$.hits': { key: 'id', score: 'score', ...rule } } })

interface Hit {
  id: string
  score: number
  reliability_score: number
  city: string
}

/** 100 hits, best first, with a second float member as in the workers corpus. */
function hits(n = 100): Hit[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `W-${String(i).padStart(3, '0')}`,
    score: Number((0.99 - i * 0.005).toFixed(6)),
    reliability_score: Number(((i * 37) % 100) / 100),
    city: i % 2 === 0 ? 'Dayton' : 'Toledo',
  }))
}

function swapped(list: Hit[], at: number): Hit[] {
  const out = list.map((h) => ({ ...h }))
  const x = out[at] as Hit
  const y = out[at + 1] as Hit
  out[at] = { ...y, score: x.score }
  out[at + 1] = { ...x, score: y.score }
  return out
}

describe('ranked lists', () => {
  it('reports a one-rank swap at index 44 of 100 as one finding, not a cascade', () => {
    const a = { hits: hits() }
    const b = { hits: swapped(hits(), 44) }
    // Without the rule: every member of both swapped elements differs, index by index.
    expect(diff(a, b, {}).length).toBeGreaterThan(1)
    const findings = diff(a, b, ranked({ scoreTolerance: 0.01 }))
    expect(findings).toHaveLength(1)
    const [f] = findings
    expect(f).toMatchObject({ class: 'order', risk: 'medium', path: '$.hits' })
    expect(f?.message).toBe('100 of 100 shared, max displacement 1, mean 0.02: displacement 1 above max_displacement 0')
    expect(f?.baseline).toHaveLength(100)
  })

  it('a shifted k=100 list (one hit dropped near the top) is one breaking finding, not hundreds', () => {
    const all = hits(101)
    const a = { hits: all.slice(0, 100) }
    const b = { hits: [...all.slice(0, 44), ...all.slice(45, 101)] }
    expect(diff(a, b, {}).length).toBeGreaterThan(100)
    const findings = diff(a, b, ranked())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ class: 'missing', risk: 'breaking', path: '$.hits' })
    expect(findings[0]?.message).toBe(
      '99 of 100 shared (1 only on node, 1 only on bun), max displacement 1, mean 0.556: overlap 0.99 below min_overlap 1; displacement 1 above max_displacement 0',
    )
  })

  it('reports nothing for identical lists', () => {
    expect(diff({ hits: hits() }, { hits: hits() }, ranked())).toEqual([])
    expect(diff({ hits: [] }, { hits: [] }, ranked())).toEqual([])
  })

  it('reports disjoint lists as one breaking finding with both id lists', () => {
    const a = { hits: hits(10) }
    const b = { hits: hits(10).map((h) => ({ ...h, id: `X-${h.id}` })) }
    const findings = diff(a, b, ranked())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ class: 'missing', risk: 'breaking', path: '$.hits' })
    expect(findings[0]?.message).toBe('0 of 10 shared (10 only on node, 10 only on bun), max displacement 0: overlap 0 below min_overlap 1')
    expect(findings[0]?.baseline).toEqual(a.hits.map((h) => h.id))
    expect(findings[0]?.candidate).toEqual(b.hits.map((h) => h.id))
  })

  it('respects min_overlap as a fraction of the larger top-k list', () => {
    const a = { hits: hits(10) }
    const b = { hits: [...hits(10).slice(0, 7), ...hits(13).slice(10)] }
    expect(diff(a, b, ranked({ minOverlap: 0.7 }))).toEqual([])
    const [f] = diff(a, b, ranked({ minOverlap: 0.8 }))
    expect(f?.message).toBe('7 of 10 shared (3 only on node, 3 only on bun), max displacement 0: overlap 0.7 below min_overlap 0.8')
  })

  it('a candidate returning every baseline hit plus more is additive', () => {
    const [f] = diff({ hits: hits(3) }, { hits: hits(5) }, ranked())
    expect(f).toMatchObject({ class: 'extra', risk: 'additive', path: '$.hits' })
    expect(f?.message).toBe('3 of 5 shared (2 only on bun), max displacement 0: overlap 0.6 below min_overlap 1')
  })

  it('respects max_displacement', () => {
    const a = { hits: hits(10) }
    const rotated = { hits: [...hits(10).slice(3), ...hits(10).slice(0, 3)] }
    expect(diff(a, rotated, ranked({ maxDisplacement: 7 }))).toEqual([])
    const [f] = diff(a, rotated, ranked({ maxDisplacement: 6 }))
    expect(f).toMatchObject({ class: 'order', risk: 'medium' })
    expect(f?.message).toBe('10 of 10 shared, max displacement 7, mean 4.2: displacement 7 above max_displacement 6')
  })

  it('respects score_tolerance, compares scores numerically, and falls back to a tolerance rule', () => {
    const a = '{"hits":[{"id":"a","score":1},{"id":"b","score":0.5}]}'
    const b = '{"hits":[{"id":"a","score":1.0},{"id":"b","score":0.5004}]}'
    expect(diffText(a, b, ranked({ scoreTolerance: 0.001 }))).toEqual([])
    const [f] = diffText(a, b, ranked({ scoreTolerance: 0.0001 }))
    expect(f).toMatchObject({ class: 'value', risk: 'medium', path: '$.hits' })
    expect(f?.message).toBe(
      '2 of 2 shared, max displacement 0; 1 of 2 scores differ (max 0.0004): score difference 0.0004 above score_tolerance 0.0001',
    )
    expect(diffText(a, b, { ...ranked(), tolerance: { '$.hits[*].score': 0.001 } })).toEqual([])
  })

  it('takes the worst crossed threshold for class and risk', () => {
    const a = { hits: hits(4) }
    const b = { hits: [hits(4)[1], hits(4)[0], { ...(hits(4)[2] as Hit), score: 0 }] }
    const [f, ...rest] = diff(a, b, ranked())
    expect(rest).toEqual([])
    expect(f).toMatchObject({ class: 'missing', risk: 'breaking' })
    expect(f?.message).toBe(
      '3 of 4 shared (1 only on node), max displacement 1, mean 0.667; 1 of 3 scores differ (max 0.98): overlap 0.75 below min_overlap 1; displacement 1 above max_displacement 0; score difference 0.98 above score_tolerance 0',
    )
  })

  it('compares only the top k', () => {
    const a = { hits: hits(20) }
    const b = { hits: [...hits(10), ...hits(30).slice(20)] }
    expect(diff(a, b, ranked({ k: 10 }))).toEqual([])
    expect(diff(a, b, ranked({ k: 11 }))[0]?.message).toBe(
      '10 of 11 shared in the top 11 (1 only on node, 1 only on bun), max displacement 0: overlap 0.909 below min_overlap 1',
    )
  })

  it("still compares shared hits' other members by id, and never elements of unshared ids", () => {
    const a = {
      hits: [
        { id: 'a', score: 0.9, city: 'Dayton', n: 1 },
        { id: 'b', score: 0.8, city: 'Toledo', n: 2 },
      ],
    }
    const b = {
      hits: [
        { id: 'b', score: 0.8, city: 'Toledo', n: '2' },
        { id: 'a', score: 0.9, city: 'Dayton', n: 1 },
      ],
    }
    expect(diff(a, b, ranked({ maxDisplacement: 1 }))).toEqual([
      {
        class: 'type',
        risk: 'breaking',
        path: "$.hits[?(@.id=='b')].n",
        baseline: 2,
        candidate: '2',
        shape: 'integer→string',
        message: 'integer on node, string on bun',
      },
    ])
    const c = {
      hits: [
        { id: 'a', score: 0.9, city: 'Dayton', n: 1 },
        { id: 'z', score: 'x' },
      ],
    }
    expect(diff(a, c, ranked({ minOverlap: 0.5 }))).toEqual([])
  })

  it('leaves a score that is not a number on both sides to the member walk', () => {
    const a = '{"hits":[{"id":"a","score":0.5}]}'
    const b = '{"hits":[{"id":"a","score":"0.5"}]}'
    expect(diffText(a, b, ranked()).map((f) => [f.class, f.path])).toEqual([['type', "$.hits[?(@.id=='a')].score"]])
  })

  it('pairs repeated ids in order and treats keyless elements as unshared', () => {
    const a = { hits: [{ id: 'a', score: 1 }, { id: 'a', score: 0.5 }, { score: 0.1 }] }
    expect(diff(a, a, ranked())[0]?.message).toBe(
      '2 of 3 shared (1 only on node, 1 only on bun), max displacement 0: overlap 0.667 below min_overlap 1',
    )
    expect(diff({ hits: a.hits.slice(0, 2) }, { hits: a.hits.slice(0, 2) }, ranked())).toEqual([])
  })

  it('matches rule paths with wildcards, and an ignore rule on the list suppresses its finding', () => {
    const a = { groups: [{ hits: hits(5) }] }
    const b = { groups: [{ hits: swapped(hits(5), 1) }] }
    const rule = { ranked: { '$.groups[*].hits': { key: 'id', score: 'score', scoreTolerance: 0.1 } } }
    expect(diff(a, b, rule).map((f) => [f.class, f.path])).toEqual([['order', '$.groups[0].hits']])
    const cmp = compareResponses(json(JSON.stringify(a)), json(JSON.stringify(b)), rules({ ...rule, ignore: ['$.groups[*].hits'] }), NAMES)
    expect(cmp.findings).toEqual([])
    expect(cmp.ignored).toHaveLength(1)
  })
})
