import { mdCell, mdText } from '@lakehouse/parity'
import { formatChange, formatCount, formatMs, formatP, formatPct } from '../analysis/format.ts'
import { mannWhitney } from '../analysis/mann-whitney.ts'
import { roundStat, roundsOf, SIGNIFICANCE, tiersOf } from '../analysis/rounds.ts'
import type { LoadReport, Measurement, RankTest } from '../model.ts'
import { mergeEncoded } from '../stats/histogram.ts'
import { LoadCompareError } from './errors.ts'

export interface CompareOptions {
  /** A throughput drop or latency rise beyond this many percent is a regression; default 10. Any rise of fail % is one. */
  readonly tolerancePct?: number
}

export interface RunComparison {
  readonly markdown: string
  /** Flagged cells: (target, tier, scenario, metric) that got worse beyond the tolerance. */
  readonly regressions: number
  /** What makes the two runs less comparable (different mix file, model, rounds …); also at the top of `markdown`. */
  readonly warnings: readonly string[]
}

export const DEFAULT_TOLERANCE_PCT = 10

type Kind = 'throughput' | 'latency' | 'fail'

interface MetricSpec {
  readonly label: string
  readonly kind: Kind
  /** Per round; undefined when the round has no such figure. */
  readonly perRound?: (m: Measurement, scenario: string) => number | undefined
  /** From all rounds' histograms merged. */
  readonly pooled?: (rounds: readonly Measurement[], scenario: string) => number | undefined
  readonly show: (v: number) => string
}

const ALL = '*'

const METRICS: readonly MetricSpec[] = [
  { label: 'ok/s', kind: 'throughput', perRound: (m, s) => okPerS(m, s), show: formatCount },
  { label: 'p50 ms', kind: 'latency', perRound: (m, s) => latencyOf(m, s, 'p50_us'), show: formatMs },
  { label: 'p99 ms', kind: 'latency', perRound: (m, s) => latencyOf(m, s, 'p99_us'), show: formatMs },
  { label: 'fail %', kind: 'fail', perRound: (m, s) => failPctOf(m, s), show: formatPct },
  { label: 'p50 ms pooled', kind: 'latency', pooled: (r, s) => pooledPercentile(r, s, 50), show: formatMs },
  { label: 'p99 ms pooled', kind: 'latency', pooled: (r, s) => pooledPercentile(r, s, 99), show: formatMs },
]

/**
 * `pnpm load compare OLD.json NEW.json`: for every target both runs measured, tier by tier
 * and scenario by scenario (and all scenarios together), the old and new medians over rounds
 * of ok/s, p50, p99 and fail %, plus p50 and p99 of all rounds' histograms merged. A cell is
 * a regression when it got worse beyond the tolerance (any rise for fail %) — unless both runs
 * have enough rounds for the rank test to reach p < 0.05 and it does not (then the change is
 * within the round-to-round noise). With too few rounds for the test to decide, the
 * tolerance alone decides, and the p-value is shown for the reader.
 */
export function compareRuns(old: LoadReport, next: LoadReport, options: CompareOptions = {}): RunComparison {
  const tolerance = options.tolerancePct ?? DEFAULT_TOLERANCE_PCT
  if (old.mix.name !== next.mix.name) {
    throw new LoadCompareError(
      'LOAD_COMPARE_MIX_MISMATCH',
      `run ${old.run_id} used mix ${old.mix.name} but run ${next.run_id} used mix ${next.mix.name}: only runs of the same mix compare`,
    )
  }
  const warnings = comparabilityWarnings(old, next)
  const oldTargets = new Set(old.measurements.map((m) => m.target))
  const targets = [...new Set([...next.targets.map((t) => t.name), ...next.measurements.map((m) => m.target)])].filter((t) =>
    oldTargets.has(t),
  )
  const oldTiers = new Set(tiersOf(old.measurements))
  const tiers = tiersOf(next.measurements).filter((t) => oldTiers.has(t))
  const oldScenarios = new Set(old.mix.scenarios.map((s) => s.name))
  const scenarios = [...next.mix.scenarios.map((s) => s.name).filter((s) => oldScenarios.has(s)), ALL]

  const sections: string[] = []
  const flagged: string[] = []
  for (const target of targets) {
    for (const tier of tiers) {
      const before = roundsOf(old.measurements, target, tier)
      const after = roundsOf(next.measurements, target, tier)
      if (before.length === 0 || after.length === 0) continue
      const rows = scenarios.map((scenario) => {
        const cells = METRICS.map((spec) => {
          const cell = compareCell(spec, before, after, scenario, tolerance)
          if (cell.regression) flagged.push(`${target} c=${tier} ${scenario === ALL ? 'all' : scenario} ${spec.label}: ${cell.text}`)
          return cell.regression ? `**${cell.text}** ⚠` : cell.text
        })
        return `| ${mdCell(scenario === ALL ? 'all' : scenario)} | ${cells.join(' | ')} |`
      })
      sections.push(
        [
          `## ${mdText(target)} · c=${tier}`,
          '',
          `| scenario | ${METRICS.map((m) => m.label).join(' | ')} |`,
          `|---|${METRICS.map(() => '---:').join('|')}|`,
          ...rows,
        ].join('\n'),
      )
    }
  }

  const lines = [
    `# Load compare: \`${old.run_id}\` → \`${next.run_id}\``,
    '',
    `Mix ${mdText(next.mix.name)}, ${next.settings.model} model. Cells read old → new (change); medians over rounds, p = exact rank test of the per-round values (both runs with ≥ 2 rounds); "pooled" merges every round's histogram. A regression (⚠) is a throughput drop or latency rise beyond ${tolerance} %, or any rise in fail %.`,
    '',
  ]
  if (warnings.length > 0) lines.push('**Warnings**', '', ...warnings.map((w) => `- ${mdCell(w)}`), '')
  lines.push(flagged.length === 0 ? '**No regression.**' : `**${flagged.length} regression${flagged.length === 1 ? '' : 's'}:**`, '')
  if (flagged.length > 0) lines.push(...flagged.map((f) => `- ${mdCell(f)}`), '')
  if (sections.length === 0) lines.push('_The runs share no target and tier._', '')
  lines.push(...sections.flatMap((s) => [s, '']))
  return { markdown: `${lines.join('\n').trimEnd()}\n`, regressions: flagged.length, warnings }
}

function compareCell(
  spec: MetricSpec,
  before: readonly Measurement[],
  after: readonly Measurement[],
  scenario: string,
  tolerance: number,
): { readonly text: string; readonly regression: boolean } {
  let oldValue: number | undefined
  let newValue: number | undefined
  let test: RankTest | undefined
  if (spec.perRound !== undefined) {
    const read = spec.perRound
    const a = before.map((m) => read(m, scenario)).filter((v): v is number => v !== undefined)
    const b = after.map((m) => read(m, scenario)).filter((v): v is number => v !== undefined)
    if (a.length > 0) oldValue = roundStat(a).median
    if (b.length > 0) newValue = roundStat(b).median
    if (a.length >= 2 && b.length >= 2) test = mannWhitney(a, b)
  } else if (spec.pooled !== undefined) {
    oldValue = spec.pooled(before, scenario)
    newValue = spec.pooled(after, scenario)
  }
  if (oldValue === undefined || newValue === undefined) {
    return {
      text: `${oldValue === undefined ? '—' : spec.show(oldValue)} → ${newValue === undefined ? '—' : spec.show(newValue)}`,
      regression: false,
    }
  }
  const change = oldValue === 0 ? (newValue === 0 ? 0 : undefined) : ((newValue - oldValue) / oldValue) * 100
  const worse =
    spec.kind === 'fail'
      ? newValue > oldValue
      : spec.kind === 'throughput'
        ? newValue < oldValue && (change === undefined || -change > tolerance)
        : newValue > oldValue && (change === undefined || change > tolerance)
  // The test overrules the tolerance only when it could have confirmed the change and did not.
  const confirmed = test === undefined || test.min_p >= SIGNIFICANCE || test.p < SIGNIFICANCE
  const detail = [
    change === undefined ? (newValue > oldValue ? 'new' : 'n/a') : formatChange(change),
    ...(test === undefined ? [] : [`p=${formatP(test.p)}`]),
  ]
  return { text: `${spec.show(oldValue)} → ${spec.show(newValue)} (${detail.join(', ')})`, regression: worse && confirmed }
}

function scenarioOf(m: Measurement, scenario: string) {
  return m.per_scenario.find((s) => s.name === scenario)
}

function okPerS(m: Measurement, scenario: string): number | undefined {
  if (scenario === ALL) return m.duration_s > 0 ? m.scenarios.ok / m.duration_s : 0
  return scenarioOf(m, scenario)?.ok_per_s
}

function latencyOf(m: Measurement, scenario: string, key: 'p50_us' | 'p99_us'): number | undefined {
  if (scenario === ALL) return m.scenarios.ok + m.scenarios.failed > 0 ? m.latency[key] : undefined
  const s = scenarioOf(m, scenario)
  return s === undefined || s.ok + s.failed === 0 ? undefined : s.latency[key]
}

function failPctOf(m: Measurement, scenario: string): number | undefined {
  if (scenario === ALL) return m.scenarios.ok + m.scenarios.failed > 0 ? m.fail_pct : undefined
  const s = scenarioOf(m, scenario)
  return s === undefined || s.ok + s.failed === 0 ? undefined : s.fail_pct
}

function pooledPercentile(rounds: readonly Measurement[], scenario: string, percentile: number): number | undefined {
  const encoded = rounds.flatMap((m) => m.per_scenario.filter((s) => scenario === ALL || s.name === scenario).map((s) => s.histogram))
  const h = mergeEncoded(encoded)
  return h.totalCount === 0 ? undefined : h.getValueAtPercentile(percentile)
}

function comparabilityWarnings(old: LoadReport, next: LoadReport): string[] {
  const out: string[] = []
  if (old.mix.sha256 !== next.mix.sha256)
    out.push(`mix ${next.mix.name} changed between the runs (sha256 ${old.mix.sha256.slice(0, 12)}… → ${next.mix.sha256.slice(0, 12)}…)`)
  if (old.settings.model !== next.settings.model) out.push(`load model changed: ${old.settings.model} → ${next.settings.model}`)
  const shape = (r: LoadReport) =>
    `${r.settings.rounds} rounds × ${r.settings.duration_s} s, profile ${r.settings.profile}, corpus ${r.settings.corpus?.rows ?? 'none'}`
  if (shape(old) !== shape(next)) out.push(`settings changed: ${shape(old)} → ${shape(next)}`)
  if (old.machine.cpu !== next.machine.cpu || old.machine.cores !== next.machine.cores) {
    out.push(`different machines: ${old.machine.cores} × ${old.machine.cpu} → ${next.machine.cores} × ${next.machine.cpu}`)
  }
  const only = (a: LoadReport, b: LoadReport) =>
    [...new Set(a.measurements.map((m) => m.target))].filter((t) => !b.measurements.some((m) => m.target === t))
  for (const t of only(old, next)) out.push(`target ${t} only in ${old.run_id}`)
  for (const t of only(next, old)) out.push(`target ${t} only in ${next.run_id}`)
  return out
}
