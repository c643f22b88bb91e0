import { thresholdHolds } from '../mix/thresholds.ts'
import type { LatencySummary, Measurement, Scenario, ScenarioStats, Threshold, ThresholdResult } from '../model.ts'
import { roundStat, targetNames, tiersOf } from './rounds.ts'

const LATENCY_KEY: Readonly<Record<string, keyof LatencySummary>> = {
  p50: 'p50_us',
  p90: 'p90_us',
  p99: 'p99_us',
  p999: 'p999_us',
  max: 'max_us',
  mean: 'mean_us',
}

/** One round's figure for a threshold's metric; undefined when the round cannot judge it. */
function roundValue(t: Threshold, s: ScenarioStats | undefined): number | undefined {
  if (t.metric === 'rate') return s?.ok_per_s ?? 0
  if (s === undefined || s.ok + s.failed === 0) return undefined
  if (t.metric === 'fail') return s.fail_pct
  const key = LATENCY_KEY[t.metric]
  return key === undefined ? undefined : s.latency[key]
}

/**
 * Every scenario threshold for every target and tier: the value is the median over rounds
 * of the metric (latencies from the scenario's all-iterations summary, in µs; `fail` in %;
 * `rate` as ok scenarios/s) — the unit of `Threshold.value`, so `value` and the threshold
 * compare directly. Rounds that finished no iteration of the scenario have no latency or
 * fail % and are left out (a zero there would pass any latency bound); a threshold with no
 * round left to judge it fails, with value 0 (collectWarnings says which scenario finished nothing).
 */
export function evaluateThresholds(
  measurements: readonly Measurement[],
  scenarios: readonly Pick<Scenario, 'name' | 'thresholds'>[],
): ThresholdResult[] {
  const targets = targetNames([], measurements)
  const tiers = tiersOf(measurements)
  const out: ThresholdResult[] = []
  for (const scenario of scenarios) {
    for (const t of scenario.thresholds) {
      for (const target of targets) {
        for (const tier of tiers) {
          const rounds = measurements.filter((m) => m.target === target && m.tier === tier)
          if (rounds.length === 0) continue
          const values = rounds
            .map((m) =>
              roundValue(
                t,
                m.per_scenario.find((s) => s.name === scenario.name),
              ),
            )
            .filter((v): v is number => v !== undefined)
          const value = roundStat(values).median
          out.push({
            scenario: scenario.name,
            target,
            tier,
            threshold: t.source,
            value,
            pass: values.length > 0 && thresholdHolds(t, value),
          })
        }
      }
    }
  }
  return out
}
