import type { ComparedMetric, Measurement, RoundStat, ScenarioStats, TargetInfo, TierComparison } from '../model.ts'
import { mannWhitney } from './mann-whitney.ts'

/** Below this p the rank test names a better target; above it the report says "no clear difference". */
export const SIGNIFICANCE = 0.05

/** The metrics where more is better; every other compared metric (latency, fail %, RSS, CPU) is better lower. */
export const HIGHER_IS_BETTER: ReadonlySet<string> = new Set(['ok_per_s', 'scenarios_per_s', 'requests_per_s'])

/** Median (mean of the middle two for an even count) with the range; all zero for no values. */
export function roundStat(values: readonly number[]): RoundStat {
  if (values.length === 0) return { median: 0, min: 0, max: 0, values: [] }
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, values: [...values] }
}

/** A metric read from one round; undefined when that round has no such figure (no server pid, no finished iteration). */
type Read<T> = (source: T) => number | undefined

const SCENARIO_METRICS: readonly (readonly [string, Read<ScenarioStats>])[] = [
  ['ok_per_s', (s) => s.ok_per_s],
  ['p50_us', (s) => finished(s.ok + s.failed, s.latency.p50_us)],
  ['p99_us', (s) => finished(s.ok + s.failed, s.latency.p99_us)],
  ['fail_pct', (s) => finished(s.ok + s.failed, s.fail_pct)],
]

const ALL_METRICS: readonly (readonly [string, Read<Measurement>])[] = [
  ['scenarios_per_s', (m) => m.scenarios_per_s],
  ['ok_per_s', (m) => (m.duration_s > 0 ? m.scenarios.ok / m.duration_s : 0)],
  ['p50_us', (m) => finished(m.scenarios.ok + m.scenarios.failed, m.latency.p50_us)],
  ['p99_us', (m) => finished(m.scenarios.ok + m.scenarios.failed, m.latency.p99_us)],
  ['fail_pct', (m) => finished(m.scenarios.ok + m.scenarios.failed, m.fail_pct)],
  ['requests_per_s', (m) => m.requests_per_s],
  ['rss_max_bytes', (m) => m.server?.rss_max_bytes],
  ['cpu_mean_pct', (m) => m.server?.cpu_mean_pct],
]

/** Latency and fail % of a round that finished nothing are not zero, they are absent. */
function finished(count: number, value: number): number | undefined {
  return count > 0 ? value : undefined
}

/** The measurements of one target at one tier, in round order. */
export function roundsOf(measurements: readonly Measurement[], target: string, tier: number): Measurement[] {
  return measurements.filter((m) => m.target === target && m.tier === tier).sort((x, y) => x.round - y.round)
}

export function tiersOf(measurements: readonly Measurement[]): number[] {
  return [...new Set(measurements.map((m) => m.tier))].sort((x, y) => x - y)
}

/** Target names in the given order, then any only the measurements know, in order of appearance. */
export function targetNames(targets: readonly Pick<TargetInfo, 'name'>[], measurements: readonly Measurement[]): string[] {
  return [...new Set([...targets.map((t) => t.name), ...measurements.map((m) => m.target)])]
}

/**
 * Compares the targets tier by tier: per scenario (and `*` for the measurement-level
 * figures of all scenarios together) each metric's per-round values become a RoundStat per
 * target; the first two targets are tested against each other with the exact rank test.
 * `better` is set only when the medians differ and p < SIGNIFICANCE — with 3 rounds a side
 * the test cannot get below 0.1, so short runs honestly say "no clear difference". With a
 * single target, `candidate` equals `baseline` and there is no test.
 */
export function compareTiers(
  measurements: readonly Measurement[],
  targets: readonly Pick<TargetInfo, 'name'>[],
  scenarios: readonly { readonly name: string }[],
): TierComparison[] {
  const names = targetNames(targets, measurements)
  const baseline = names[0]
  if (baseline === undefined) return []
  const candidate = names[1] ?? baseline
  const scenarioNames = [...new Set([...scenarios.map((s) => s.name), ...measurements.flatMap((m) => m.per_scenario.map((s) => s.name))])]
  return tiersOf(measurements).map((tier) => {
    const rounds = new Map(names.map((n) => [n, roundsOf(measurements, n, tier)] as const))
    const out: Record<string, readonly ComparedMetric[]> = {}
    for (const scenario of scenarioNames) {
      out[scenario] = SCENARIO_METRICS.map(([metric, read]) =>
        compareMetric(metric, names, baseline, candidate, (n) =>
          (rounds.get(n) ?? []).map((m) => {
            const s = m.per_scenario.find((x) => x.name === scenario)
            return s === undefined ? undefined : read(s)
          }),
        ),
      ).filter((c) => Object.keys(c.by_target).length > 0)
    }
    out['*'] = ALL_METRICS.map(([metric, read]) =>
      compareMetric(metric, names, baseline, candidate, (n) => (rounds.get(n) ?? []).map(read)),
    ).filter((c) => Object.keys(c.by_target).length > 0)
    return { tier, baseline, candidate, scenarios: out }
  })
}

function compareMetric(
  metric: string,
  names: readonly string[],
  baseline: string,
  candidate: string,
  valuesOf: (target: string) => readonly (number | undefined)[],
): ComparedMetric {
  const by_target: Record<string, RoundStat> = {}
  for (const n of names) {
    const values = valuesOf(n).filter((v): v is number => v !== undefined && Number.isFinite(v))
    if (values.length > 0) by_target[n] = roundStat(values)
  }
  const a = by_target[baseline]
  const b = by_target[candidate]
  if (a === undefined || b === undefined || baseline === candidate || (a.values.length < 2 && b.values.length < 2)) {
    return { metric, by_target }
  }
  const test = mannWhitney(a.values, b.values)
  const better = betterOf(metric, baseline, a.median, candidate, b.median, test.p)
  return better === undefined ? { metric, by_target, test } : { metric, by_target, test, better }
}

/** The target whose median is better for this metric, when the medians differ and p < SIGNIFICANCE. */
export function betterOf(metric: string, nameA: string, medianA: number, nameB: string, medianB: number, p: number): string | undefined {
  if (p >= SIGNIFICANCE || medianA === medianB) return undefined
  const aHigher = medianA > medianB
  return aHigher === HIGHER_IS_BETTER.has(metric) ? nameA : nameB
}
