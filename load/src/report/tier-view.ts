import { roundStat, targetNames } from '../analysis/index.ts'
import {
  FAILURE_CAUSES,
  type FailureCause,
  type FailureCounts,
  type LatencySummary,
  type LoadModel,
  type LoadReport,
  type Measurement,
  type ThresholdResult,
  type TierComparison,
} from '../model.ts'
import { mergeEncoded, summarize } from '../stats/histogram.ts'
import { ALL_SCENARIOS } from './format.ts'

/** One scenario (or `*`, every scenario together) on one target, its rounds combined. */
export interface ScenarioRow {
  readonly scenario: string
  readonly target: string
  readonly rounds: number
  /** Median over rounds of ok scenarios per second. */
  readonly okPerS: number
  /** Summed over rounds. */
  readonly ok: number
  readonly failed: number
  readonly unfinished: number
  readonly failures: FailureCounts
  /** failed ÷ (ok + failed) × 100 over the summed counts. */
  readonly failPct: number
  /** From the rounds' histograms merged: a percentile of every scenario measured, not a median of percentiles. */
  readonly latency: LatencySummary
  readonly latencyOk: LatencySummary
}

/** Everything the renderers show for one tier, in display order. */
export interface TierView {
  readonly tier: number
  readonly model: LoadModel
  readonly connections: number
  readonly rate: number | undefined
  readonly targets: readonly string[]
  /** `*` first, then the mix's scenarios in mix order. */
  readonly scenarios: readonly string[]
  /** Scenario-major, target-minor. */
  readonly rows: readonly ScenarioRow[]
  /** Round order, then target order. */
  readonly measurements: readonly Measurement[]
  readonly comparison: TierComparison | undefined
  readonly thresholds: readonly ThresholdResult[]
}

const cache = new WeakMap<LoadReport, readonly TierView[]>()

/**
 * The per-tier view every renderer draws from, computed once per report (the summary, the
 * page and the terminal table all show the same figures). Tiers come in `settings.tiers`
 * order, then any tier only the measurements know (a merged report).
 */
export function tierViews(report: LoadReport): readonly TierView[] {
  const cached = cache.get(report)
  if (cached !== undefined) return cached
  const tiers = [...new Set([...report.settings.tiers, ...report.measurements.map((m) => m.tier)])]
  const views = tiers.flatMap((tier): TierView[] => {
    const measurements = report.measurements
      .filter((m) => m.tier === tier)
      .sort((a, b) => a.round - b.round || targetIndex(report, a.target) - targetIndex(report, b.target))
    const first = measurements[0]
    if (first === undefined) return []
    const targets = targetNames(report.targets, report.measurements).filter((t) => measurements.some((m) => m.target === t))
    const named = [...report.mix.scenarios.map((s) => s.name), ...measurements.flatMap((m) => m.per_scenario.map((s) => s.name))]
    const scenarios = [ALL_SCENARIOS, ...new Set(named)]
    const rows = scenarios.flatMap((scenario) =>
      targets.map((target) =>
        scenarioRow(
          scenario,
          target,
          measurements.filter((m) => m.target === target),
        ),
      ),
    )
    return [
      {
        tier,
        model: first.model,
        connections: first.connections,
        rate: first.rate,
        targets,
        scenarios,
        rows,
        measurements,
        comparison: report.comparisons.find((c) => c.tier === tier),
        thresholds: report.thresholds.filter((t) => t.tier === tier),
      },
    ]
  })
  cache.set(report, views)
  return views
}

export function rowOf(view: TierView, scenario: string, target: string): ScenarioRow | undefined {
  return view.rows.find((r) => r.scenario === scenario && r.target === target)
}

function scenarioRow(scenario: string, target: string, rounds: readonly Measurement[]): ScenarioRow {
  const stats = rounds.map((m) => (scenario === ALL_SCENARIOS ? m.per_scenario : m.per_scenario.filter((s) => s.name === scenario)))
  const all = stats.flat()
  const sum = (pick: (s: (typeof all)[number]) => number) => all.reduce((n, s) => n + pick(s), 0)
  const ok = sum((s) => s.ok)
  const failed = sum((s) => s.failed)
  const failures = Object.fromEntries(FAILURE_CAUSES.map((c) => [c, sum((s) => s.failures[c])])) as Record<FailureCause, number>
  return {
    scenario,
    target,
    rounds: rounds.length,
    okPerS: roundStat(stats.map((list) => list.reduce((n, s) => n + s.ok_per_s, 0))).median,
    ok,
    failed,
    unfinished: sum((s) => s.unfinished),
    failures,
    failPct: ok + failed === 0 ? 0 : (failed / (ok + failed)) * 100,
    latency: summarize(mergeEncoded(all.map((s) => s.histogram))),
    latencyOk: summarize(mergeEncoded(all.map((s) => s.histogram_ok))),
  }
}

function targetIndex(report: LoadReport, name: string): number {
  const i = targetNames(report.targets, report.measurements).indexOf(name)
  return i < 0 ? Number.MAX_SAFE_INTEGER : i
}
