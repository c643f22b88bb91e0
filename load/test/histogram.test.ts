import { describe, expect, it } from 'vitest'
import { createHistogram, decodeHistogram, encodeHistogram, mergeEncoded, recordUs, summarize } from '../src/stats/histogram.ts'

describe('latency histograms', () => {
  it('keeps microseconds: sub-millisecond latencies are not truncated to 0', () => {
    const h = createHistogram()
    for (const us of [150, 400, 950]) recordUs(h, us)
    const s = summarize(h)
    expect(s.min_us).toBe(150)
    expect(s.max_us).toBeGreaterThanOrEqual(950)
    expect(s.max_us).toBeLessThanOrEqual(951)
    expect(s.p50_us).toBeGreaterThanOrEqual(400)
    expect(s.p50_us).toBeLessThanOrEqual(401)
  })

  it('gives the percentiles of a uniform 1..10000 µs distribution within 0.1 %', () => {
    const h = createHistogram()
    for (let us = 1; us <= 10_000; us++) recordUs(h, us)
    const s = summarize(h)
    expect(s.count).toBe(10_000)
    for (const [got, want] of [
      [s.p50_us, 5_000],
      [s.p90_us, 9_000],
      [s.p99_us, 9_900],
      [s.p999_us, 9_990],
      [s.max_us, 10_000],
    ] as const)
      expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.001)
    expect(Math.abs(s.mean_us - 5_000)).toBeLessThanOrEqual(5)
  })

  it('puts a bimodal tail where it belongs (99 % at 1 ms, 1 % at 100 ms)', () => {
    const h = createHistogram()
    for (let i = 0; i < 9_900; i++) recordUs(h, 1_000)
    for (let i = 0; i < 100; i++) recordUs(h, 100_000)
    const s = summarize(h)
    expect(s.p50_us).toBeLessThanOrEqual(1_001)
    expect(s.p99_us).toBeLessThanOrEqual(1_001)
    expect(s.p999_us).toBeGreaterThanOrEqual(99_900)
  })

  it('rounds fractional microseconds and clamps below 1 µs', () => {
    const h = createHistogram()
    recordUs(h, 0.2)
    recordUs(h, 2.6)
    expect(summarize(h).min_us).toBe(1)
    expect(summarize(h).max_us).toBe(3)
  })

  it('round-trips through its encoding and merges exactly', () => {
    const a = createHistogram()
    const b = createHistogram()
    for (let i = 1; i <= 1_000; i++) recordUs(a, i * 3)
    for (let i = 1; i <= 500; i++) recordUs(b, i * 7)
    const union = createHistogram()
    for (let i = 1; i <= 1_000; i++) recordUs(union, i * 3)
    for (let i = 1; i <= 500; i++) recordUs(union, i * 7)
    expect(summarize(decodeHistogram(encodeHistogram(a)))).toEqual(summarize(a))
    expect(summarize(mergeEncoded([encodeHistogram(a), encodeHistogram(b)]))).toEqual(summarize(union))
  })

  it('summarises an empty histogram as zeros', () => {
    expect(summarize(createHistogram())).toEqual({
      count: 0,
      min_us: 0,
      mean_us: 0,
      p50_us: 0,
      p90_us: 0,
      p99_us: 0,
      p999_us: 0,
      max_us: 0,
    })
  })
})
