import { describe, expect, it } from 'vitest'
import { compareRuns } from '../src/compare/compare-runs.ts'
import { LoadCompareError } from '../src/compare/errors.ts'
import { mergeRuns } from '../src/compare/merge-runs.ts'
import type { LoadReport, Measurement } from '../src/model.ts'
import { decodeHistogram, summarize } from '../src/stats/histogram.ts'
import { histogramOf, measurement, report, spread, twoTargetRun } from './fixtures/analysis-fixtures.ts'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof LoadCompareError) return error.code
    throw error
  }
  return undefined
}

/** One target, one tier; each round finishes the given latencies (µs) of one scenario. */
function roundsRun(runId: string, rounds: readonly (readonly number[])[]): LoadReport {
  return report({
    run_id: runId,
    scenarios: [{ name: 's', weight: 1, thresholds: [] }],
    measurements: rounds.map((ok, i) => measurement({ target: 'node', tier: 10, round: i + 1, scenarios: [{ name: 's', ok }] })),
  })
}

describe('compareRuns', () => {
  const old = report({ run_id: 'old', measurements: twoTargetRun({ tiers: [10], rounds: 3 }) })

  it('finds no regression between equal runs', () => {
    const same = report({ run_id: 'new', measurements: twoTargetRun({ tiers: [10], rounds: 3 }) })
    const result = compareRuns(old, same)
    expect(result.regressions).toBe(0)
    expect(result.warnings).toEqual([])
    expect(result.markdown).toContain('**No regression.**')
    expect(result.markdown).toContain('## node · c=10')
    expect(result.markdown).toContain('| cold_search_email | 60 → 60 (±0.0 %, p=1.00) | 3.0 → 3.0 (±0.0 %, p=1.00) |')
  })

  it('flags a target that got slower beyond the tolerance, and only that target', () => {
    const slower = report({ run_id: 'new', measurements: twoTargetRun({ tiers: [10], rounds: 3, slow: 1.5 }) })
    const result = compareRuns(old, slower)
    // node: ok/s, p50, p99 and both pooled percentiles of both scenarios and of all, plus profile_swap's and all's fail %.
    expect(result.regressions).toBe(17)
    expect(result.markdown).toContain('**17 regressions:**')
    expect(result.markdown).toContain('- node c=10 cold_search_email ok/s: 60 → 40 (−33.3 %, p=0.10)')
    expect(result.markdown).toContain('- node c=10 all p99 ms pooled: 4.9 → 7.4 (+50.1 %)')
    expect(result.markdown).not.toMatch(/^- bun /m)
    expect(result.markdown).toContain('| cold_search_email | **60 → 40 (−33.3 %, p=0.10)** ⚠ |')
  })

  it('lets the rank test overrule the tolerance when it could confirm the change and does not', () => {
    const before = roundsRun('old', [
      [500, 1000],
      [500, 2000],
      [500, 1000],
      [500, 2000],
    ])
    const after = roundsRun('new', [
      [500, 1100],
      [500, 1700],
      [500, 1900],
      [500, 2100],
    ])
    const four = compareRuns(before, after)
    expect(four.markdown).toContain('1.5 → 1.8 (+20.0 %, p=0.66)')
    expect(four.regressions).toBe(0)
    // With three rounds a side the test cannot reach 0.05, so the tolerance alone decides.
    const three = compareRuns(
      roundsRun('old', [
        [500, 1000],
        [500, 2000],
        [500, 1000],
      ]),
      roundsRun('new', [
        [500, 1100],
        [500, 1700],
        [500, 1900],
      ]),
    )
    expect(three.regressions).toBe(2)
    expect(three.markdown).toContain('- node c=10 s p99 ms: 1.0 → 1.7 (+70.0 %, p=0.60)')
  })

  it('flags any rise of fail %', () => {
    const before = roundsRun('old', [[1000], [1000]])
    const after = report({
      run_id: 'new',
      scenarios: [{ name: 's', weight: 1, thresholds: [] }],
      measurements: [1, 2].map((round) =>
        measurement({ target: 'node', tier: 10, round, scenarios: [{ name: 's', ok: spread(999, 1000, 1000), failed: [1000] }] }),
      ),
    })
    const result = compareRuns(before, after)
    expect(result.markdown).toContain('- node c=10 s fail %: 0.0 → 0.1 (new, p=0.33)')
  })

  it('refuses runs of different mixes with LOAD_COMPARE_MIX_MISMATCH', () => {
    const other = report({ run_id: 'new', mixName: 'other', measurements: twoTargetRun({ tiers: [10], rounds: 3 }) })
    expect(codeOf(() => compareRuns(old, other))).toBe('LOAD_COMPARE_MIX_MISMATCH')
  })

  it('warns, and still compares, when only the mix file’s hash differs', () => {
    const edited = report({ run_id: 'new', sha256: 'b'.repeat(64), measurements: twoTargetRun({ tiers: [10], rounds: 3 }) })
    const result = compareRuns(old, edited)
    expect(result.warnings).toEqual(['mix reference changed between the runs (sha256 aaaaaaaaaaaa… → bbbbbbbbbbbb…)'])
    expect(result.markdown).toContain('- mix reference changed between the runs')
    expect(result.regressions).toBe(0)
  })
})

describe('mergeRuns', () => {
  const valuesA = [...spread(400, 300, 9000), 25_000, 48_000]
  const valuesB = [...spread(250, 1200, 30_000), 61_000]
  const failedB = [5000, 7000]

  function shard(
    runId: string,
    ok: readonly number[],
    failed: readonly number[],
    extra: Partial<Parameters<typeof measurement>[0]> = {},
  ): LoadReport {
    const m = measurement({
      target: 'node',
      tier: 10,
      round: 1,
      scenarios: [{ name: 'cold_search_email', ok, failed }],
      samples: [
        {
          t_s: 0,
          scenarios: ok.length,
          requests: ok.length,
          failures: failed.length,
          rss_bytes: 1000,
          cpu_pct: 50,
          lg_cpu_pct: runId === 'a' ? 30 : 60,
        },
        ...(runId === 'a' ? [{ t_s: 1, scenarios: 1, requests: 1, failures: 0, rss_bytes: 1100, cpu_pct: 40, lg_cpu_pct: 20 }] : []),
      ],
      ...extra,
    })
    return report({
      run_id: runId,
      scenarios: [{ name: 'cold_search_email', weight: 1, thresholds: ['p99 < 40ms'] }],
      measurements: [m],
    })
  }

  it('adds counts and rates and recomputes every percentile from the merged histograms, exactly as for the union of values', () => {
    const merged = mergeRuns([shard('a', valuesA, []), shard('b', valuesB, failedB, { mismatches: ['requests: 5 vs 4'] })], {
      now: new Date('2026-11-22T08:09:10.123Z'),
    })
    expect(merged.run_id).toBe('merge-20261122T080910Z')
    expect(merged.merged_from).toEqual(['a', 'b'])
    expect(merged.measurements).toHaveLength(1)
    const m = merged.measurements[0] as Measurement
    const s = m.per_scenario[0]
    const union = histogramOf([...valuesA, ...valuesB, ...failedB])
    const unionOk = histogramOf([...valuesA, ...valuesB])
    expect(s?.latency).toEqual(summarize(union))
    expect(s?.latency_ok).toEqual(summarize(unionOk))
    expect(summarize(decodeHistogram(s?.histogram ?? ''))).toEqual(summarize(union))
    expect(m.latency).toEqual(summarize(union))
    expect(m.request_latency).toEqual(summarize(union))
    expect(s?.steps[0]).toMatchObject({
      sent: valuesA.length + valuesB.length + 2,
      ok: valuesA.length + valuesB.length,
      latency: summarize(union),
    })
    expect(s).toMatchObject({ ok: valuesA.length + valuesB.length, failed: 2, started: valuesA.length + valuesB.length + 2 })
    expect(s?.ok_per_s).toBeCloseTo((valuesA.length + valuesB.length) / 10, 10)
    expect(m.scenarios).toMatchObject({ ok: 653, failed: 2 })
    expect(m.fail_pct).toBe(0.3053)
    expect(m.failures.assertion).toBe(2)
    expect(m.connections).toBe(20)
    expect(m.requests_per_s).toBeCloseTo(65.5, 10)
    expect(m.littles_law).toMatchObject({ connections: 20, mean_request_latency_us: summarize(union).mean_us })
    expect(m.reconciliation).toMatchObject({ reconciled: false, mismatches: ['b: requests: 5 vs 4'] })
    expect(m.reconciliation.ours.requests).toBe(655)
    expect(m.samples).toEqual([
      { t_s: 0, scenarios: 653, requests: 653, failures: 2, rss_bytes: 1000, cpu_pct: 50, lg_cpu_pct: 60 },
      { t_s: 1, scenarios: 1, requests: 1, failures: 0, rss_bytes: 1100, cpu_pct: 40, lg_cpu_pct: 20 },
    ])
    // Thresholds are parsed back from the mix and judged on the merged figures.
    expect(merged.thresholds).toEqual([
      { scenario: 'cold_search_email', target: 'node', tier: 10, threshold: 'p99 < 40ms', value: summarize(union).p99_us, pass: true },
    ])
    expect(merged.exit_code).toBe(0)
    expect(merged.warnings[0]).toBe('merged from 2 shards (a, b): counts and rates are their sums')
    expect(merged.warnings).toContain('counters not reconciled with autocannon in node c=10 r1: b: requests: 5 vs 4')
  })

  it('keeps measurements only one shard took, and says so', () => {
    const a = shard('a', [1000], [])
    const b = report({
      run_id: 'b',
      scenarios: [{ name: 'cold_search_email', weight: 1, thresholds: [] }],
      measurements: [
        measurement({ target: 'node', tier: 10, round: 1, scenarios: [{ name: 'cold_search_email', ok: [1000] }] }),
        measurement({ target: 'node', tier: 10, round: 2, scenarios: [{ name: 'cold_search_email', ok: [2000] }] }),
      ],
    })
    const merged = mergeRuns([a, b])
    expect(merged.measurements.map((m) => [m.round, m.scenarios.ok])).toEqual([
      [1, 2],
      [2, 1],
    ])
    expect(merged.warnings).toContain('only some shards measured node c=10 r2: those figures cover fewer machines')
  })

  it('refuses shards of different mix files with LOAD_MERGE_MIX_MISMATCH', () => {
    const b = { ...shard('b', [1000], []), mix: { ...shard('b', [1000], []).mix, sha256: 'c'.repeat(64) } }
    expect(codeOf(() => mergeRuns([shard('a', [1000], []), b]))).toBe('LOAD_MERGE_MIX_MISMATCH')
  })

  it('refuses shards of another model or other tiers, one report, or the same run twice', () => {
    const a = shard('a', [1000], [])
    const open = { ...shard('b', [1000], []), settings: { ...a.settings, model: 'open' as const } }
    const tiers = { ...shard('b', [1000], []), settings: { ...a.settings, tiers: [10, 50] } }
    expect(codeOf(() => mergeRuns([a, open]))).toBe('LOAD_MERGE_SETTINGS_MISMATCH')
    expect(codeOf(() => mergeRuns([a, tiers]))).toBe('LOAD_MERGE_SETTINGS_MISMATCH')
    expect(codeOf(() => mergeRuns([a]))).toBe('LOAD_MERGE_INPUT')
    expect(codeOf(() => mergeRuns([a, a]))).toBe('LOAD_MERGE_INPUT')
  })
})
