import {
  FAILURE_CAUSES,
  type FailureCounts,
  type Measurement,
  type Reconciliation,
  type Sample,
  type ScenarioStats,
  type StepStats,
} from '../model.ts'
import { littlesLaw } from '../run/measurement.ts'
import { encodeHistogram, mergeEncoded, summarize } from '../stats/histogram.ts'

/** As many failure examples as one measurement keeps. */
const MAX_FAILURE_EXAMPLES = 20

/** One shard's measurement, with the run it came from (named in reconciliation mismatches). */
export interface Shard {
  readonly runId: string
  readonly measurement: Measurement
}

/**
 * Combines the measurements of one (target, tier, round) taken at the same time from several
 * machines. The shards loaded the same server concurrently, so counts, rates and connections
 * add up; latency figures are recomputed from the merged histograms (exact to HdrHistogram's
 * precision, unlike any average of percentiles). Server resources come from the first shard
 * that sampled the server (every shard saw the same process); the load generator's CPU is
 * the busiest shard's; failure examples are the first shards' first 20.
 */
export function combineMeasurements(shards: readonly Shard[]): Measurement {
  const first = shards[0]?.measurement
  if (first === undefined) throw new TypeError('combineMeasurements: no shard')
  if (shards.length === 1) return first
  const all = shards.map((s) => s.measurement)
  const serverShard = all.find((m) => m.server !== null) ?? first
  const per_scenario = byName(all.map((m) => m.per_scenario)).map(combineScenario)
  const latency = summarize(mergeEncoded(per_scenario.map((s) => s.histogram)))
  const latency_ok = summarize(mergeEncoded(per_scenario.map((s) => s.histogram_ok)))
  const request_latency = summarize(mergeEncoded(per_scenario.flatMap((s) => s.steps.map((st) => st.histogram))))
  const scenarios = {
    started: sum(all, (m) => m.scenarios.started),
    ok: sum(all, (m) => m.scenarios.ok),
    failed: sum(all, (m) => m.scenarios.failed),
    unfinished: sum(all, (m) => m.scenarios.unfinished),
    dropped: sum(all, (m) => m.scenarios.dropped),
  }
  const connections = sum(all, (m) => m.connections)
  const requests_per_s = sum(all, (m) => m.requests_per_s)
  const rates = all.map((m) => m.rate).filter((r): r is number => r !== undefined)
  return {
    target: first.target,
    tier: first.tier,
    round: first.round,
    model: first.model,
    connections,
    ...(rates.length > 0 ? { rate: rates.reduce((a, b) => a + b, 0) } : {}),
    // ISO-8601 UTC timestamps sort as text.
    started_at: all.map((m) => m.started_at).sort()[0] ?? first.started_at,
    duration_s: Math.max(...all.map((m) => m.duration_s)),
    scenarios_per_s: sum(all, (m) => m.scenarios_per_s),
    requests_per_s,
    requests: sum(all, (m) => m.requests),
    scenarios,
    fail_pct: failPct(scenarios.failed, scenarios.ok),
    failures: sumFailures(all.map((m) => m.failures)),
    latency,
    latency_ok,
    request_latency,
    per_scenario,
    server: serverShard.server,
    load_generator: {
      cpu_pct: Math.max(...all.map((m) => m.load_generator.cpu_pct)),
      bound: all.some((m) => m.load_generator.bound),
    },
    littles_law: littlesLaw(connections, requests_per_s, request_latency.mean_us),
    reconciliation: combineReconciliation(shards),
    samples: combineSamples(all, serverShard),
    failure_examples: all.flatMap((m) => m.failure_examples).slice(0, MAX_FAILURE_EXAMPLES),
  }
}

function combineScenario(list: readonly ScenarioStats[]): ScenarioStats {
  const first = list[0]
  if (first === undefined) throw new TypeError('combineScenario: empty')
  const histogram = mergeEncoded(list.map((s) => s.histogram))
  const histogram_ok = mergeEncoded(list.map((s) => s.histogram_ok))
  const ok = sum(list, (s) => s.ok)
  const failed = sum(list, (s) => s.failed)
  return {
    name: first.name,
    weight: first.weight,
    started: sum(list, (s) => s.started),
    ok,
    failed,
    unfinished: sum(list, (s) => s.unfinished),
    failures: sumFailures(list.map((s) => s.failures)),
    fail_pct: failPct(failed, ok),
    ok_per_s: sum(list, (s) => s.ok_per_s),
    latency: summarize(histogram),
    latency_ok: summarize(histogram_ok),
    histogram: encodeHistogram(histogram),
    histogram_ok: encodeHistogram(histogram_ok),
    steps: byName(list.map((s) => s.steps)).map(combineStep),
  }
}

function combineStep(list: readonly StepStats[]): StepStats {
  const histogram = mergeEncoded(list.map((s) => s.histogram))
  return {
    name: list[0]?.name ?? '',
    sent: sum(list, (s) => s.sent),
    ok: sum(list, (s) => s.ok),
    failures: sumFailures(list.map((s) => s.failures)),
    skipped: sum(list, (s) => s.skipped),
    latency: summarize(histogram),
    histogram: encodeHistogram(histogram),
  }
}

function combineReconciliation(shards: readonly Shard[]): Reconciliation {
  const list = shards.map((s) => s.measurement.reconciliation)
  const status_codes: Record<string, number> = {}
  for (const r of list)
    for (const [code, n] of Object.entries(r.autocannon.status_codes)) status_codes[code] = (status_codes[code] ?? 0) + n
  return {
    autocannon: {
      requests: sum(list, (r) => r.autocannon.requests),
      responses: sum(list, (r) => r.autocannon.responses),
      timeouts: sum(list, (r) => r.autocannon.timeouts),
      errors: sum(list, (r) => r.autocannon.errors),
      resets: sum(list, (r) => r.autocannon.resets),
      status_codes,
    },
    ours: {
      requests: sum(list, (r) => r.ours.requests),
      responses: sum(list, (r) => r.ours.responses),
      timeouts: sum(list, (r) => r.ours.timeouts),
      connection_errors: sum(list, (r) => r.ours.connection_errors),
      flows_ended_early: sum(list, (r) => r.ours.flows_ended_early),
      interrupted: sum(list, (r) => r.ours.interrupted),
      in_flight_at_end: sum(list, (r) => r.ours.in_flight_at_end),
    },
    reconciled: list.every((r) => r.reconciled),
    mismatches: shards.flatMap((s) => s.measurement.reconciliation.mismatches.map((m) => `${s.runId}: ${m}`)),
  }
}

/** Second by second: traffic adds up, the load generator's CPU is the busiest shard's, the server's figures come from the shard that sampled it. */
function combineSamples(all: readonly Measurement[], serverShard: Measurement): Sample[] {
  const seconds = [...new Set(all.flatMap((m) => m.samples.map((s) => s.t_s)))].sort((a, b) => a - b)
  return seconds.map((t_s) => {
    const at = all.map((m) => m.samples.find((s) => s.t_s === t_s)).filter((s): s is Sample => s !== undefined)
    const server = serverShard.samples.find((s) => s.t_s === t_s)
    return {
      t_s,
      scenarios: sum(at, (s) => s.scenarios),
      requests: sum(at, (s) => s.requests),
      failures: sum(at, (s) => s.failures),
      rss_bytes: server?.rss_bytes ?? null,
      cpu_pct: server?.cpu_pct ?? null,
      lg_cpu_pct: Math.max(0, ...at.map((s) => s.lg_cpu_pct)),
    }
  })
}

/** Rounded as the runner rounds it (src/run/measurement.ts). */
function failPct(failed: number, ok: number): number {
  return failed + ok > 0 ? Math.round((failed / (failed + ok)) * 1e6) / 1e4 : 0
}

function sumFailures(list: readonly FailureCounts[]): FailureCounts {
  const out = { status: 0, assertion: 0, timeout: 0, reset: 0, error: 0 }
  for (const f of list) for (const c of FAILURE_CAUSES) out[c] += f[c]
  return out
}

function sum<T>(list: readonly T[], read: (item: T) => number): number {
  let total = 0
  for (const item of list) total += read(item)
  return total
}

/** Items grouped by name across lists, in order of first appearance. */
function byName<T extends { readonly name: string }>(lists: readonly (readonly T[])[]): T[][] {
  const groups = new Map<string, T[]>()
  for (const list of lists) for (const item of list) groups.set(item.name, [...(groups.get(item.name) ?? []), item])
  return [...groups.values()]
}
