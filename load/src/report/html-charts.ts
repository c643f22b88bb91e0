import { escapeHtml as e } from '@lakehouse/parity'
import type { LoadReport } from '../model.ts'
import { scenarioLabel } from './format.ts'
import { rowOf, type TierView, tierViews } from './tier-view.ts'

/** Percentiles the latency chart draws, with the summary field each reads. */
const PERCENTILES = [
  ['p50', 'p50_us'],
  ['p90', 'p90_us'],
  ['p99', 'p99_us'],
  ['p99.9', 'p999_us'],
] as const

/** One colour per target (in target order), readable on light and dark backgrounds. */
const PALETTE = ['#2e7d32', '#d9480f', '#1c6dd0', '#9c36b5', '#0b7285', '#b08800'] as const

export interface ChartSeries {
  readonly target: string
  readonly round: number
  readonly colour: string
  readonly t: readonly number[]
  readonly scenarios: readonly number[]
  readonly requests: readonly number[]
  readonly rssMiB: readonly (number | null)[]
  readonly cpu: readonly (number | null)[]
  readonly lgCpu: readonly number[]
}

/** One scenario's latency chart: percentiles on the x axis, one bar per target. */
export interface LatencyChart {
  readonly scenario: string
  /** Per target: milliseconds per percentile, null where the target finished no such scenario. */
  readonly bars: readonly { readonly target: string; readonly colour: string; readonly ms: readonly (number | null)[] }[]
}

export interface ChartTier {
  readonly tier: number
  readonly percentiles: readonly string[]
  /** In the tier view's scenario order (`*` first). */
  readonly latency: readonly LatencyChart[]
  readonly series: readonly ChartSeries[]
}

/**
 * What the page's script draws, computed here: the browser cannot decode the HdrHistograms,
 * so latency percentiles (rounds merged) arrive ready; samples are reshaped into columns.
 */
export function chartData(report: LoadReport): { readonly tiers: readonly ChartTier[] } {
  return { tiers: tierViews(report).map((view) => chartTier(view)) }
}

function chartTier(view: TierView): ChartTier {
  const colourOf = (target: string) => PALETTE[Math.max(0, view.targets.indexOf(target)) % PALETTE.length] as string
  const latency = view.scenarios.map(
    (scenario): LatencyChart => ({
      scenario: scenarioLabel(scenario),
      bars: view.targets.map((target) => {
        const row = rowOf(view, scenario, target)
        return {
          target,
          colour: colourOf(target),
          ms: PERCENTILES.map(([, key]) => (row === undefined || row.latency.count === 0 ? null : row.latency[key] / 1000)),
        }
      }),
    }),
  )
  const series = view.measurements.map(
    (m): ChartSeries => ({
      target: m.target,
      round: m.round,
      colour: colourOf(m.target),
      t: m.samples.map((s) => s.t_s),
      scenarios: m.samples.map((s) => s.scenarios),
      requests: m.samples.map((s) => s.requests),
      rssMiB: m.samples.map((s) => (s.rss_bytes === null ? null : Math.round((s.rss_bytes / 1_048_576) * 10) / 10)),
      cpu: m.samples.map((s) => s.cpu_pct),
      lgCpu: m.samples.map((s) => s.lg_cpu_pct),
    }),
  )
  return { tier: view.tier, percentiles: PERCENTILES.map(([p]) => p), latency, series }
}

/** The canvases of one tier; `index` is the tier's position in `chartData().tiers`. */
export function chartsHtml(view: TierView, index: number): string {
  const canvas = (kind: string, id: string, label: string, extra = '') =>
    `<canvas id="${id}" data-chart="${kind}" data-tier-index="${index}"${extra} role="img" aria-label="${e(`${label}, tier ${view.tier}`)}"></canvas>`
  const box = (kind: string, title: string) =>
    `<figure class="chart-box"><figcaption><span>${e(title)}</span></figcaption><div class="chart">${canvas(kind, `${kind}-${index}`, title)}</div></figure>`
  const latency = view.scenarios
    .map(
      (s, k) =>
        `<div class="latency-one"><div class="latency-title">${e(scenarioLabel(s))}</div><div class="chart">${canvas(
          'latency',
          `latency-${index}-${k}`,
          `Latency percentiles of ${scenarioLabel(s)}`,
          ` data-scenario-index="${k}"`,
        )}</div></div>`,
    )
    .join('')
  return `<div class="charts">
<figure class="chart-box wide"><figcaption><span>Latency percentiles per scenario, ms (rounds merged)</span><label class="toggle"><input type="checkbox" data-log-for="latency-${index}-"> log scale</label></figcaption>
<div class="latency-grid">${latency}</div></figure>
${box('scenarios', 'Scenarios/s over time (one line per target and round)')}
${box('requests', 'Requests/s over time')}
${box('rss', 'Server RSS over time, MiB')}
${box('cpu', 'CPU over time, % of one core (dashed: load generator)')}
</div>`
}
