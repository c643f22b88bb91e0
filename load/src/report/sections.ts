import { formatCount, formatMiB, formatP, formatPct, LITTLES_LAW_BAND, SIGNIFICANCE } from '../analysis/index.ts'
import type { LoadReport, Measurement } from '../model.ts'
import { LOAD_GENERATOR_BOUND_PCT } from '../run/measurement.ts'
import { describeTarget, EXIT_CODE_MEANINGS, formatDuration, formatMetric, metricLabel, scenarioLabel } from './format.ts'
import type { TierView } from './tier-view.ts'

/**
 * The summary's and the page's shared content as plain strings, one function per section:
 * each renderer only escapes and lays the cells out, so markdown and HTML cannot drift.
 */

/** The run's facts, label → value, in the order the header lists them. */
export function runFacts(report: LoadReport): readonly (readonly [string, string])[] {
  const s = report.settings
  const facts: [string, string][] = [
    ['Mix', `${report.mix.name} (${report.mix.file}, sha256 ${report.mix.sha256.slice(0, 12)}…)`],
    [
      'Targets',
      report.targets.map((t) => `${describeTarget(t)} at ${t.url}${t.booted ? ', booted by the run' : ', external'}`).join('; ') ||
        '(none)',
    ],
    ['Profile', s.profile],
    ['Tiers', `${s.tiers.join(', ')} connections`],
    ['Rounds', `${s.rounds} per tier, targets interleaved (A B A B)`],
    [
      'Durations',
      `${s.duration_s} s measured after ${s.warmup_s} s warm-up per round; step timeout ${s.timeout_s} s; whole run ${formatDuration(report.duration_ms)}`,
    ],
    ['Seed', s.seed],
    ['Corpus', s.corpus === null ? 'none' : `${s.corpus.rows} rows (seed ${s.corpus.seed}, key ${s.corpus.key})`],
    [
      'Pinning',
      s.pinning === null
        ? 'none (taskset unavailable)'
        : `server on CPUs ${s.pinning.server}, load generator on CPUs ${s.pinning.generator}`,
    ],
    ['Machine', `${report.machine.cores} cores, ${report.machine.cpu}; Node ${report.machine.node}; ${report.machine.platform}`],
    ['Commit', report.commit ?? 'unknown'],
    ['Started', `${report.started_at}, finished ${report.finished_at}`],
  ]
  if (report.merged_from !== undefined) facts.push(['Merged from', report.merged_from.join(', ')])
  facts.push(['Exit code', `${report.exit_code} — ${EXIT_CODE_MEANINGS[report.exit_code]}`])
  return facts
}

export interface ComparisonRow {
  readonly scenario: string
  readonly metric: string
  /** `median [min–max]` per target, in `targets` order. */
  readonly values: readonly string[]
  readonly p: string
  readonly verdict: string
  readonly better: string | undefined
}

export interface ComparisonTable {
  readonly title: string
  readonly note: string
  readonly targets: readonly string[]
  readonly rows: readonly ComparisonRow[]
}

export function comparisonRows(view: TierView): ComparisonTable | undefined {
  const c = view.comparison
  if (c === undefined) return undefined
  const keys = [
    ...view.scenarios.filter((s) => c.scenarios[s] !== undefined),
    ...Object.keys(c.scenarios).filter((s) => !view.scenarios.includes(s)),
  ]
  const targets = [
    ...new Set([c.baseline, c.candidate, ...keys.flatMap((k) => (c.scenarios[k] ?? []).flatMap((m) => Object.keys(m.by_target)))]),
  ]
  const rows = keys.flatMap((scenario) =>
    (c.scenarios[scenario] ?? []).map((m): ComparisonRow => {
      const values = targets.map((t) => {
        const r = m.by_target[t]
        return r === undefined
          ? '–'
          : `${formatMetric(m.metric, r.median)} [${formatMetric(m.metric, r.min)}–${formatMetric(m.metric, r.max)}]`
      })
      const t = m.test
      const p = t === undefined ? '–' : `${formatP(t.p)}${t.min_p >= SIGNIFICANCE ? ` (min ${formatP(t.min_p)})` : ''}`
      const stats = Object.values(m.by_target)
      const apart =
        stats.length === 2 &&
        stats[0] !== undefined &&
        stats[1] !== undefined &&
        (stats[0].min > stats[1].max || stats[1].min > stats[0].max)
      const verdict =
        m.better !== undefined
          ? `${m.better} better`
          : t === undefined
            ? 'no test (one round)'
            : apart && t.min_p >= SIGNIFICANCE
              ? 'apart in every round; too few rounds for p < 0.05'
              : 'no clear difference'

      return { scenario: scenarioLabel(scenario), metric: metricLabel(m.metric), values, p, verdict, better: m.better }
    }),
  )
  const rounds = Math.max(0, ...view.targets.map((t) => view.measurements.filter((m) => m.target === t).length))
  return {
    title: `${c.baseline} vs ${c.candidate}`,
    note: `Median [min–max] over ${rounds} round(s) per target. p: two-sided exact Mann-Whitney U test of the per-round values, ${c.baseline} as baseline; "(min …)" is the smallest p this many rounds can reach, so no difference can show as clear. A target is called better only when p < ${SIGNIFICANCE}.`,
    targets,
    rows,
  }
}

export const LITTLE_NOTE = `Little's law (L = λ·W): requests/s × mean request latency = connections busy on average. In the closed model a ratio near 1 means every connection was kept busy; outside ${LITTLES_LAW_BAND[0]}–${LITTLES_LAW_BAND[1]} the run warns: time went by between a response and the next request on the load generator's side, or the counters disagree. Counters: ours set against autocannon's own; a round that does not reconcile cannot be trusted.`

export const BOUND_NOTE = `Rounds marked bound: the load generator used more than ${LOAD_GENERATOR_BOUND_PCT} % of one core, so it, not the server, may have set the pace.`

export interface MeasurementRow {
  readonly measurement: Measurement
  readonly resources: readonly string[]
  readonly checks: readonly string[]
  readonly bound: boolean
  readonly reconciled: boolean
}

export function resourceColumns(view: TierView): readonly string[] {
  return [
    'target',
    'round',
    'measured s',
    'scenarios/s',
    'requests/s',
    ...(view.model === 'open' ? ['dropped'] : []),
    'server RSS start → end',
    'RSS max',
    'RSS growth %',
    'server CPU mean / max %',
    'load generator CPU %',
  ]
}

export const CHECK_COLUMNS: readonly string[] = ['target', 'round', "Little's law", 'counters']

export function measurementRows(view: TierView): readonly MeasurementRow[] {
  return view.measurements.map((m) => {
    const srv = m.server
    const resources = [
      m.target,
      String(m.round),
      formatCount(m.duration_s),
      formatCount(m.scenarios_per_s),
      formatCount(m.requests_per_s),
      ...(view.model === 'open' ? [String(m.scenarios.dropped)] : []),
      srv === null ? '–' : `${formatMiB(srv.rss_start_bytes)} → ${formatMiB(srv.rss_end_bytes)}`,
      srv === null ? '–' : formatMiB(srv.rss_max_bytes),
      srv === null ? '–' : formatPct(srv.rss_growth_pct),
      srv === null ? '–' : `${formatCount(srv.cpu_mean_pct)} / ${formatCount(srv.cpu_max_pct)}`,
      `${formatCount(m.load_generator.cpu_pct)}${m.load_generator.bound ? ' (bound)' : ''}`,
    ]
    const l = m.littles_law
    const r = m.reconciliation
    const checks = [
      m.target,
      String(m.round),
      `${formatCount(l.busy_connections)} of ${l.connections} busy = ${l.ratio.toFixed(2)}`,
      r.reconciled ? 'reconciled' : `NOT reconciled: ${r.mismatches.join('; ')}`,
    ]
    return { measurement: m, resources, checks, bound: m.load_generator.bound, reconciled: r.reconciled }
  })
}

export interface FailureExampleRow {
  readonly target: string
  readonly rounds: string
  readonly where: string
  readonly cause: string
  readonly message: string
}

export const FAILURE_EXAMPLE_COLUMNS: readonly string[] = ['target', 'rounds', 'scenario › step', 'cause', 'message']

/**
 * The tier's recorded failure examples (each window keeps its first 20), identical ones
 * folded together with the rounds they occurred in; at most `limit` rows, target order;
 * messages cut at 200 characters (report.json has them whole).
 */
export function failureExampleRows(view: TierView, limit = 12): { readonly rows: readonly FailureExampleRow[]; readonly more: number } {
  const folded = new Map<string, { row: Omit<FailureExampleRow, 'rounds'>; rounds: Set<number> }>()
  for (const target of view.targets) {
    for (const m of view.measurements.filter((x) => x.target === target)) {
      for (const ex of m.failure_examples) {
        const message = ex.message.length > 200 ? `${ex.message.slice(0, 199)}…` : ex.message
        const row = { target, where: `${ex.scenario} › ${ex.step}`, cause: ex.cause, message }
        const key = JSON.stringify(row)
        const entry = folded.get(key) ?? { row, rounds: new Set<number>() }
        entry.rounds.add(m.round)
        folded.set(key, entry)
      }
    }
  }
  const rows = [...folded.values()].map(({ row, rounds }) => ({ ...row, rounds: [...rounds].join(', ') }))
  return { rows: rows.slice(0, limit), more: Math.max(0, rows.length - limit) }
}
