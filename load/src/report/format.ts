import { oneLine } from '@lakehouse/parity'

export { describeTarget, formatDuration } from '@lakehouse/parity'

import { formatCount, formatPct } from '../analysis/index.ts'
import { parseThreshold } from '../mix/thresholds.ts'
import { FAILURE_CAUSES, type FailureCounts, type LoadModel, type LoadSettings, type Threshold } from '../model.ts'

/*
 * Display rules of the load report. Counts, rates, percentages and p values use the analysis
 * formatters (the warnings and the tracker block word figures the same way); latency table
 * cells are milliseconds with two decimals.
 */

/** What each exit code means, worded once for the terminal, the summary, the page and junit.xml. */
export const EXIT_CODE_MEANINGS: Readonly<Record<0 | 1 | 2, string>> = {
  0: 'every threshold passed',
  1: 'a threshold failed',
  2: 'configuration or target error',
}

/** The key of the "every scenario together" row in tier views and comparisons. */
export const ALL_SCENARIOS = '*'

/**
 * The load model in words. Every report names it: a closed-model figure (latency under a
 * fixed number of busy connections) and an open-model one (latency at a fixed arrival rate,
 * measured from the intended start) answer different questions and must not be compared.
 */
export function modelLabel(model: LoadModel, connections: number | readonly number[], rate?: number): string {
  const conns = typeof connections === 'number' ? String(connections) : connections.join(', ')
  const many = typeof connections !== 'number' && connections.length > 1
  if (model === 'closed') {
    return many
      ? `closed model (${conns} connections, one tier each; each connection runs one scenario after another)`
      : `closed model (${conns} connections, each runs one scenario after another)`
  }
  const arrivals = rate === undefined ? 'a fixed rate of' : formatCount(rate)
  return `open model (${arrivals} scenarios/s started on schedule whatever the responses, on up to ${conns} connections${
    many ? ' per tier' : ''
  }; latency counts from the intended start)`
}

export function settingsModelLabel(settings: LoadSettings): string {
  return modelLabel(settings.model, settings.tiers, settings.rate)
}

/** Integer microseconds → milliseconds with two decimals (`1234` → `1.23`): the latency tables' unit. */
export function msFromUs(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return '–'
  return (us / 1000).toFixed(2)
}

/** `status 3, timeout 1` — the non-zero causes, in FAILURE_CAUSES order; '' when none. */
export function failureCauses(f: FailureCounts): string {
  return FAILURE_CAUSES.filter((c) => f[c] > 0)
    .map((c) => `${c} ${f[c]}`)
    .join(', ')
}

/** `1.25 (status 3, timeout 1)`; just `0` when nothing failed. */
export function formatFailures(failPct: number, f: FailureCounts): string {
  const causes = failureCauses(f)
  return causes === '' ? formatPct(failPct) : `${formatPct(failPct)} (${causes})`
}

/** Display name of a scenario key (`*` is every scenario together). */
export function scenarioLabel(name: string): string {
  return name === ALL_SCENARIOS ? 'all scenarios' : name
}

/** Names and units of the comparison metrics the analysis writes; others show as written. */
const METRIC_LABELS: Readonly<Record<string, string>> = {
  scenarios_per_s: 'scenarios/s',
  ok_per_s: 'ok scenarios/s',
  requests_per_s: 'requests/s',
  p50_us: 'p50 ms',
  p90_us: 'p90 ms',
  p99_us: 'p99 ms',
  p999_us: 'p99.9 ms',
  max_us: 'max ms',
  mean_us: 'mean ms',
  fail_pct: 'fail %',
  rss_max_bytes: 'server RSS max MiB',
  cpu_mean_pct: 'server CPU mean %',
}

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric
}

/** A comparison value in its metric's display unit, chosen by the metric's suffix. */
export function formatMetric(metric: string, value: number): string {
  if (metric.endsWith('_us')) return msFromUs(value)
  if (metric.endsWith('_bytes')) return formatCount(value / 1_048_576)
  if (metric.endsWith('_pct')) return formatPct(value)
  return formatCount(value)
}

/**
 * A threshold's measured value in the threshold's own unit: latencies are stored in µs,
 * `fail` in percent, `rate` in ok scenarios/s. The metric comes from parsing the source the
 * way the mix loader did; a source it cannot parse (a report from a newer writer) shows the
 * raw number.
 */
export function formatThresholdValue(threshold: string, value: number): string {
  let metric: Threshold['metric']
  try {
    metric = parseThreshold(threshold).metric
  } catch {
    return String(value)
  }
  if (metric === 'fail') return `${formatPct(value)} %`
  if (metric === 'rate') return `${formatCount(value)}/s`
  return `${msFromUs(value)} ms`
}

/** One line, control characters escaped: text from a target or a file, safe in a terminal. */
export const plain = oneLine
