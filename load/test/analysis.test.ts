import { describe, expect, it } from 'vitest'
import { analyze } from '../src/analysis/analyze.ts'
import { EXACT_MAX_N, mannWhitney, minP } from '../src/analysis/mann-whitney.ts'
import { compareTiers, roundStat } from '../src/analysis/rounds.ts'
import { evaluateThresholds } from '../src/analysis/thresholds.ts'
import { collectWarnings } from '../src/analysis/warnings.ts'
import { parseThreshold } from '../src/mix/thresholds.ts'
import type { ComparedMetric, Measurement } from '../src/model.ts'
import { measurement, spread, twoTargetRun } from './fixtures/analysis-fixtures.ts'

/** Two-sided p by enumerating every split of the pooled values (mid-ranks), the definition the DP must match. */
function bruteForceP(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a, ...b]
  const sorted = [...pooled].sort((x, y) => x - y)
  const rank = (v: number) => {
    const first = sorted.indexOf(v) + 1
    const last = sorted.lastIndexOf(v) + 1
    return (first + last) / 2
  }
  const ranks = pooled.map(rank)
  const n = pooled.length
  const mean = (a.length * (n + 1)) / 2
  const observed = Math.abs(ranks.slice(0, a.length).reduce((s, r) => s + r, 0) - mean)
  let total = 0
  let extreme = 0
  const choose = (start: number, left: number, sum: number) => {
    if (left === 0) {
      total++
      if (Math.abs(sum - mean) >= observed - 1e-9) extreme++
      return
    }
    for (let i = start; i <= n - left; i++) choose(i + 1, left - 1, sum + (ranks[i] ?? 0))
  }
  choose(0, a.length, 0)
  return extreme / total
}

function metricOf(list: readonly ComparedMetric[] | undefined, metric: string): ComparedMetric {
  const found = list?.find((m) => m.metric === metric)
  if (found === undefined) throw new Error(`no ${metric}`)
  return found
}

describe('mannWhitney', () => {
  it('gives p = 0.1 for [1,2,3] vs [4,5,6], the smallest p three rounds a side can reach', () => {
    expect(mannWhitney([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, p: expect.closeTo(0.1, 12), n_a: 3, n_b: 3, min_p: expect.closeTo(0.1, 12) })
  })

  it('gives p = 1 for identical samples', () => {
    expect(mannWhitney([5, 5, 5], [5, 5, 5]).p).toBe(1)
    expect(mannWhitney([1, 2, 3], [1, 2, 3]).p).toBeCloseTo(1, 12)
  })

  it('matches the textbook example (Hollander & Wolfe, as in R’s wilcox.test docs): W = 35, two-sided p = 0.2544', () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const y = [1.15, 0.88, 0.9, 0.74, 1.21]
    const t = mannWhitney(x, y)
    expect(t.u).toBe(35)
    expect(t.p).toBeCloseTo(0.2544122544122544, 12)
  })

  it('matches the U table for n = 4, 5: U = 2 gives p = 2 · 4/126, U = 0 gives 2/126', () => {
    expect(mannWhitney([1, 2, 5, 4], [3, 6, 8, 9, 7]).p).toBeCloseTo(8 / 126, 12)
    expect(mannWhitney([1, 2, 3, 4], [5, 6, 8, 9, 7]).p).toBeCloseTo(2 / 126, 12)
  })

  it('is exact with ties: the p-value of every split of the mid-ranks', () => {
    expect(mannWhitney([1, 2, 2, 3], [2, 3, 4, 4])).toMatchObject({ u: 2.5, p: expect.closeTo(0.2, 12) })
    expect(mannWhitney([10, 12, 12, 15, 11], [12, 14, 16, 15, 18, 17]).p).toBeCloseTo(0.04329004329004329, 12)
    let seed = 7
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % 6
    }
    for (let trial = 0; trial < 40; trial++) {
      const a = Array.from({ length: 2 + (trial % 5) }, next)
      const b = Array.from({ length: 2 + ((trial * 3) % 6) }, next)
      expect(mannWhitney(a, b).p).toBeCloseTo(bruteForceP(a, b), 10)
    }
  })

  it('is symmetric: swapping the samples keeps p and mirrors U', () => {
    const a = [3, 7, 7, 9]
    const b = [1, 2, 7, 4, 5]
    const ab = mannWhitney(a, b)
    const ba = mannWhitney(b, a)
    expect(ba.p).toBeCloseTo(ab.p, 12)
    expect(ba.u).toBe(a.length * b.length - ab.u)
  })

  it(`uses the normal approximation with tie and continuity correction above ${EXACT_MAX_N} values (scipy's asymptotic p)`, () => {
    const a = Array.from({ length: 30 }, (_, i) => i)
    const b = a.map((v) => v + 8)
    expect(mannWhitney(a, b)).toMatchObject({ u: 242, p: expect.closeTo(0.0021498780622138474, 6) })
    const c = [1, 2, 2, 3, 5, 5, 5, 8, 1, 2, 2, 3, 5, 5, 5, 8, 1, 2, 2, 3, 5, 5, 5, 8, 1, 2, 2, 3, 5, 5, 5, 8]
    const d = c.map((v, i) => [2, 3, 4, 4, 6, 6, 7, 9][i % 8] ?? v)
    expect(mannWhitney(c, d)).toMatchObject({ u: 344, p: expect.closeTo(0.02310904086043099, 6) })
  })

  it('returns p = 1 for an empty side, and min_p = 2 / C(n_a + n_b, n_a)', () => {
    expect(mannWhitney([], [1, 2])).toEqual({ u: 0, p: 1, n_a: 0, n_b: 2, min_p: 1 })
    expect(minP(4, 4)).toBeCloseTo(2 / 70, 12)
    expect(minP(1, 1)).toBe(1)
  })
})

describe('roundStat', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(roundStat([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, values: [30, 10, 20] })
    expect(roundStat([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, values: [4, 1, 3, 2] })
  })

  it('returns zeros for no values', () => {
    expect(roundStat([])).toEqual({ median: 0, min: 0, max: 0, values: [] })
  })
})

describe('compareTiers', () => {
  const scenarios = [{ name: 'cold_search_email' }, { name: 'profile_swap' }]
  const targets = [{ name: 'node' }, { name: 'bun' }]

  it('names the faster target when four rounds a side separate completely (p < 0.05)', () => {
    const [c] = compareTiers(twoTargetRun({ tiers: [50], rounds: 4, slow: 1.5, jitter: 0.01 }), targets, scenarios)
    expect(c).toMatchObject({ tier: 50, baseline: 'node', candidate: 'bun' })
    const ok = metricOf(c?.scenarios['*'], 'ok_per_s')
    expect(ok.test?.p).toBeCloseTo(2 / 70, 12)
    expect(ok.better).toBe('bun')
    expect(metricOf(c?.scenarios['*'], 'p50_us').better).toBe('bun')
    expect(metricOf(c?.scenarios.cold_search_email, 'p99_us').better).toBe('bun')
    expect(metricOf(c?.scenarios.cold_search_email, 'ok_per_s').by_target.bun?.values).toHaveLength(4)
    expect(c?.scenarios['*']?.map((m) => m.metric)).toEqual([
      'scenarios_per_s',
      'ok_per_s',
      'p50_us',
      'p99_us',
      'fail_pct',
      'requests_per_s',
      'rss_max_bytes',
      'cpu_mean_pct',
    ])
  })

  it('says no clear difference with three rounds a side, however far apart (p cannot go below 0.1)', () => {
    const [c] = compareTiers(twoTargetRun({ tiers: [10], rounds: 3, slow: 2, jitter: 0.01 }), targets, scenarios)
    const ok = metricOf(c?.scenarios['*'], 'ok_per_s')
    expect(ok.test).toMatchObject({ p: expect.closeTo(0.1, 12), min_p: expect.closeTo(0.1, 12) })
    expect(ok.better).toBeUndefined()
  })

  it('takes medians per tier, in tier order, and no test with one round each', () => {
    const list = compareTiers(twoTargetRun({ tiers: [50, 10], rounds: 1, slow: 2 }), targets, scenarios)
    expect(list.map((c) => c.tier)).toEqual([10, 50])
    const ok = metricOf(list[0]?.scenarios.cold_search_email, 'ok_per_s')
    expect(ok.test).toBeUndefined()
    expect(ok.by_target.node?.median).toBe(30)
    expect(ok.by_target.bun?.median).toBe(60)
  })

  it('compares a single target with itself: candidate = baseline, no test', () => {
    const only = twoTargetRun({ tiers: [10], rounds: 3 }).filter((m) => m.target === 'node')
    const [c] = compareTiers(only, [{ name: 'node' }], scenarios)
    expect(c).toMatchObject({ baseline: 'node', candidate: 'node' })
    expect(metricOf(c?.scenarios['*'], 'ok_per_s').test).toBeUndefined()
  })

  it('leaves out latency of rounds that finished nothing instead of counting 0 µs', () => {
    const ms: Measurement[] = [1, 2, 3].map((round) =>
      measurement({
        target: 'node',
        tier: 10,
        round,
        scenarios: [{ name: 'cold_search_email', ok: round === 2 ? [] : [1500, 1600, 1700] }],
      }),
    )
    const [c] = compareTiers(ms, [{ name: 'node' }], scenarios)
    expect(metricOf(c?.scenarios.cold_search_email, 'p50_us').by_target.node?.values).toEqual([1600, 1600])
    expect(metricOf(c?.scenarios.cold_search_email, 'ok_per_s').by_target.node?.values).toEqual([0.3, 0, 0.3])
  })
})

describe('evaluateThresholds', () => {
  const scenario = (name: string, ...sources: string[]) => ({ name, thresholds: sources.map(parseThreshold) })

  it('judges the median over rounds in the threshold’s unit (µs, %, ok/s) per target and tier', () => {
    // Below 2,048 µs HdrHistogram (3 digits) keeps every value exactly.
    const ms = [1800, 2000, 1900].map((p, i) =>
      measurement({ target: 'node', tier: 10, round: i + 1, scenarios: [{ name: 's', ok: [p / 2, p], failed: i === 0 ? [p] : [] }] }),
    )
    const results = evaluateThresholds(ms, [scenario('s', 'p99 < 2ms', 'max < 1.9ms', 'mean <= 1500us', 'fail < 1%', 'rate > 0.1/s')])
    expect(results.map((r) => [r.threshold, r.value, r.pass])).toEqual([
      ['p99 < 2ms', 1900, true],
      ['max < 1.9ms', 1900, false],
      ['mean <= 1500us', 1500, true],
      ['fail < 1%', 0, true],
      ['rate > 0.1/s', 0.2, true],
    ])
    expect(results[0]).toMatchObject({ scenario: 's', target: 'node', tier: 10 })
  })

  it('fails a bound the median misses, per target', () => {
    const ms = twoTargetRun({ tiers: [10], rounds: 3, slow: 3 })
    const results = evaluateThresholds(ms, [scenario('cold_search_email', 'p99 < 10ms')])
    expect(results.map((r) => [r.target, r.pass])).toEqual([
      ['node', false],
      ['bun', true],
    ])
    expect(results[0]?.value).toBeGreaterThan(10_000)
  })

  it('fails a threshold no round can judge (nothing finished), with value 0', () => {
    const ms = [measurement({ target: 'node', tier: 10, round: 1, scenarios: [{ name: 's', ok: [], unfinished: 3 }] })]
    expect(evaluateThresholds(ms, [scenario('s', 'p99 < 10ms')])).toEqual([
      { scenario: 's', target: 'node', tier: 10, threshold: 'p99 < 10ms', value: 0, pass: false },
    ])
  })
})

describe('analyze', () => {
  const targets = [{ name: 'node' }, { name: 'bun' }]

  it('exits 0 when every threshold passes and 1 when one fails', () => {
    const ms = twoTargetRun({ tiers: [10], rounds: 4 })
    const pass = analyze({
      measurements: ms,
      targets,
      scenarios: [{ name: 'cold_search_email', thresholds: [parseThreshold('p99 < 10ms')] }],
    })
    expect(pass.exit_code).toBe(0)
    expect(pass.comparisons).toHaveLength(1)
    const fail = analyze({
      measurements: ms,
      targets,
      scenarios: [{ name: 'cold_search_email', thresholds: [parseThreshold('p99 < 1ms')] }],
    })
    expect(fail.exit_code).toBe(1)
    expect(fail.thresholds.filter((t) => !t.pass)).toHaveLength(2)
  })
})

describe('collectWarnings', () => {
  const clean = (round: number, target = 'node') =>
    measurement({ target, tier: 10, round, scenarios: [{ name: 's', ok: spread(10, 1000, 2000), unfinished: 4 }] })

  it('says nothing about a clean run with enough rounds (unfinished iterations are normal)', () => {
    expect(collectWarnings([1, 2, 3, 4].flatMap((r) => [clean(r), clean(r, 'bun')]))).toEqual([])
  })

  it('reports every kind of problem, one line per kind, naming the measurements', () => {
    const ms = [
      measurement({ target: 'node', tier: 10, round: 1, scenarios: [{ name: 's', ok: [1000] }], bound: true, lgCpu: 97 }),
      measurement({
        target: 'node',
        tier: 10,
        round: 2,
        scenarios: [{ name: 's', ok: [1000] }],
        mismatches: ['requests: autocannon 10, ours 9'],
      }),
      measurement({ target: 'node', tier: 10, round: 3, scenarios: [{ name: 's', ok: [1000] }], server: { rss_growth_pct: 14.2 } }),
      measurement({ target: 'bun', tier: 10, round: 1, scenarios: [{ name: 's', ok: [1000] }], littlesRatio: 0.5 }),
      measurement({ target: 'bun', tier: 10, round: 2, scenarios: [{ name: 's', ok: [1000], failed: [2000, 3000], cause: 'status' }] }),
      measurement({
        target: 'bun',
        tier: 10,
        round: 3,
        model: 'open',
        dropped: 7,
        littlesRatio: 0.1,
        scenarios: [{ name: 's', ok: [1000] }],
      }),
    ]
    const w = collectWarnings(ms)
    expect(w).toContain('load generator CPU-bound in node c=10 r1 (97 %): these rounds measure the client, not the server')
    expect(w).toContain('counters not reconciled with autocannon in node c=10 r2: requests: autocannon 10, ours 9')
    expect(w).toContain('server RSS grew more than 10 % within node c=10 r3 (+14.2 %)')
    expect(w.find((l) => l.startsWith("Little's law off in bun c=10 r1 (0.50)"))).toBeDefined()
    // The open model's round is not judged by Little's law (its connections idle between arrivals).
    expect(w.some((l) => l.includes('bun c=10 r3 (0.10)'))).toBe(false)
    expect(w).toContain(
      'open model dropped scenario starts (no free connection at the intended time) in bun c=10 r3 (7): the offered rate was not delivered',
    )
    expect(w).toContain('scenario s failed 2 of 8 finished iterations (25.0 %; status 2) — bun c=10: 2')
    expect(w.find((l) => l.startsWith('c=10: 3 vs 3 rounds cannot show a significant difference between node and bun'))).toBeDefined()
  })

  it('reports RSS growth of one server process across its measurements after warm-up', () => {
    const grow = (round: number, start: number, end: number) =>
      measurement({
        target: 'node',
        tier: 10,
        round,
        scenarios: [{ name: 's', ok: [1000] }],
        server: { pid: 7, rss_start_bytes: start, rss_end_bytes: end, rss_growth_pct: ((end - start) / start) * 100 },
      })
    const w = collectWarnings([grow(1, 100, 105), grow(2, 105, 110), grow(3, 110, 115)])
    expect(w).toEqual([
      'server RSS of node (pid 7) grew 15.0 % from node c=10 r1 to node c=10 r3: a leak, or caches still filling after warm-up',
    ])
  })

  it('names scenarios that finished no iteration in a measurement', () => {
    const m = measurement({ target: 'node', tier: 10, round: 1, scenarios: [{ name: 'slow', ok: [], unfinished: 5 }] })
    expect(collectWarnings([m])).toEqual([
      'no finished iteration of slow in node c=10 r1: its latency and fail % are unknown there, and its thresholds fail',
    ])
  })
})
