import { describe, expect, it } from 'vitest'
import { createRandom, createWeightedPicker } from '../src/flow/random.ts'

describe('createWeightedPicker', () => {
  it('picks the reference mix weights within ±2 points over 10k picks', () => {
    const weights = [35, 15, 15, 15, 10, 10]
    for (const seed of ['a', 'b', 'lakehouse']) {
      const pick = createWeightedPicker(weights, createRandom(seed))
      const tally = weights.map(() => 0)
      for (let i = 0; i < 10_000; i++) {
        const k = pick()
        tally[k] = (tally[k] ?? 0) + 1
      }
      for (const [i, w] of weights.entries()) expect(Math.abs(((tally[i] ?? 0) / 10_000) * 100 - w)).toBeLessThanOrEqual(2)
    }
  })

  it('handles fractional weights and stays in range', () => {
    const pick = createWeightedPicker([0.5, 0.25, 0.25], createRandom('f'))
    const tally = [0, 0, 0]
    for (let i = 0; i < 10_000; i++) {
      const k = pick()
      tally[k] = (tally[k] ?? 0) + 1
    }
    expect(tally.reduce((a, b) => a + b)).toBe(10_000)
    expect(Math.abs((tally[0] ?? 0) / 100 - 50)).toBeLessThanOrEqual(2)
  })
})

describe('createRandom', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = createRandom('s1')
    const b = createRandom('s1')
    const c = createRandom('s2')
    const xs = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs)
  })

  it('int covers [min, max] inclusively', () => {
    const r = createRandom('ints')
    const seen = new Set<number>()
    for (let i = 0; i < 2_000; i++) seen.add(r.int(3, 8))
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8])
  })
})
