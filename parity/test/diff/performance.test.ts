import { describe, expect, it } from 'vitest'
import { compareResponses } from '../../src/diff/index.ts'
import { json, rules } from './observed.ts'

// Large inputs, checked for correctness only: timings belong in benchmarks, not unit tests
// (these machines are noisy). A quadratic step here would show up as the test timing out —
// json-diff-ts took 15 s at 40k elements; the linear walk takes well under a second.

function body(n: number, vary: (i: number) => number): string {
  const items = Array.from({ length: n }, (_, i) => ({
    id: `id-${i}`,
    n: vary(i),
    f: i + 0.5,
    tags: ['a', 'b'],
    nested: { ok: true, v: null, s: `text ${i}` },
  }))
  return JSON.stringify({ items })
}

describe('compareResponses: performance', () => {
  const N = 25_000
  const base = body(N, (i) => i)

  it(`diffs two ~${Math.round(base.length / 1e6)} MB bodies with a difference in every element`, () => {
    const changed = body(N, (i) => i + 1)
    const result = compareResponses(json(base), json(changed), rules())
    expect(result.findings).toHaveLength(N)
  })

  it('matches a reversed keyed array and detects a reversed plain array', () => {
    const reversed = JSON.stringify({ items: (JSON.parse(base) as { items: unknown[] }).items.reverse() })
    expect(compareResponses(json(base), json(reversed), rules({ arrayKeys: { '$.items': 'id' } })).findings).toEqual([])
    expect(compareResponses(json(base), json(reversed), rules()).findings.map((f) => f.class)).toEqual(['order'])
  })
})
