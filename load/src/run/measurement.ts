import {
  FAILURE_CAUSES,
  type FailureCounts,
  type LittlesLaw,
  type LoadModel,
  type Measurement,
  type Mix,
  type Reconciliation,
  type Sample,
  type ScenarioStats,
  type ServerResources,
} from '../model.ts'
import { createHistogram, encodeHistogram, summarize } from '../stats/histogram.ts'
import type { DriveResult } from './drive.ts'
import { cpuPercent, type ProcReading } from './proc-sampler.ts'
import type { Counts } from './recorder.ts'

/** Above this share of one core the load generator, not the server, may set the pace. */
export const LOAD_GENERATOR_BOUND_PCT = 85

const round2 = (n: number) => Math.round(n * 100) / 100

function counts(c: Counts): FailureCounts {
  return Object.fromEntries(FAILURE_CAUSES.map((k) => [k, c[k]])) as FailureCounts
}

export function littlesLaw(connections: number, requestsPerS: number, meanLatencyUs: number): LittlesLaw {
  const busy = requestsPerS * (meanLatencyUs / 1e6)
  return {
    connections,
    requests_per_s: round2(requestsPerS),
    mean_request_latency_us: Math.round(meanLatencyUs),
    busy_connections: round2(busy),
    ratio: connections === 0 ? 0 : Math.round((busy / connections) * 1000) / 1000,
  }
}

export function reconcile(d: DriveResult, model: LoadModel, connections: number): Reconciliation {
  const r = d.recorder
  const ac = d.autocannon
  const ours = {
    requests: r.requests,
    responses: r.responses,
    timeouts: r.timeouts,
    connection_errors: r.connectionErrors,
    flows_ended_early: r.flowsEndedEarly,
    interrupted: r.interrupted,
    in_flight_at_end: d.inFlightAtEnd,
  }
  const mismatches: string[] = []
  // autocannon adds one request per connection at construction; in the open model the first
  // request is held back and then counted again when it is really sent.
  const acRequests = model === 'open' ? ac.requests - connections : ac.requests
  const pairs: [string, number, number][] = [
    ['requests', acRequests, ours.requests],
    ['responses', ac.responses, ours.responses],
    ['timeouts', ac.timeouts, ours.timeouts],
    ['errors (timeouts + connection errors)', ac.errors, ours.timeouts + ours.connection_errors],
    ['resets (iterations shorter than the longest scenario, or ended by a failure)', ac.resets, ours.flows_ended_early],
  ]
  for (const [name, a, o] of pairs) if (a !== o) mismatches.push(`${name}: autocannon ${a}, ours ${o}`)
  const accounted = ours.responses + ours.interrupted + ours.in_flight_at_end
  if (accounted !== ours.requests)
    mismatches.push(
      `requests sent ${ours.requests} ≠ answered ${ours.responses} + lost ${ours.interrupted} + in flight ${ours.in_flight_at_end}`,
    )
  return {
    autocannon: {
      requests: ac.requests,
      responses: ac.responses,
      timeouts: ac.timeouts,
      errors: ac.errors,
      resets: ac.resets,
      status_codes: ac.statusCodes,
    },
    ours,
    reconciled: mismatches.length === 0,
    mismatches,
  }
}

export function serverResources(
  pid: number,
  start: ProcReading | undefined,
  end: ProcReading | undefined,
  samples: readonly Sample[],
): ServerResources | null {
  if (start === undefined || end === undefined) return null
  const rss = samples.flatMap((s) => (s.rss_bytes === null ? [] : [s.rss_bytes]))
  const cpu = samples.flatMap((s) => (s.cpu_pct === null ? [] : [s.cpu_pct]))
  return {
    pid,
    rss_start_bytes: start.rssBytes,
    rss_end_bytes: end.rssBytes,
    rss_max_bytes: Math.max(start.rssBytes, end.rssBytes, ...rss),
    rss_growth_pct: start.rssBytes === 0 ? 0 : round2(((end.rssBytes - start.rssBytes) / start.rssBytes) * 100),
    cpu_mean_pct: Math.round(cpuPercent(start, end) * 10) / 10,
    cpu_max_pct: cpu.length === 0 ? 0 : Math.max(...cpu),
  }
}

export interface MeasurementInput {
  readonly target: string
  readonly tier: number
  readonly round: number
  readonly model: LoadModel
  readonly connections: number
  readonly rate?: number
  readonly mix: Mix
  readonly drive: DriveResult
  readonly samples: readonly Sample[]
  readonly pid?: number
  readonly procStart?: ProcReading
  readonly procEnd?: ProcReading
}

export function buildMeasurement(m: MeasurementInput): Measurement {
  const d = m.drive
  const r = d.recorder
  const secs = d.durationS > 0 ? d.durationS : 1
  const all = createHistogram()
  const allOk = createHistogram()
  const totals: Counts = { status: 0, assertion: 0, timeout: 0, reset: 0, error: 0 }
  let started = 0
  let ok = 0
  let failed = 0
  let unfinished = 0
  const perScenario: ScenarioStats[] = m.mix.scenarios.map((sc, i) => {
    const rec = r.scenarios[i]
    if (rec === undefined) throw new Error(`no record for scenario ${sc.name}`)
    all.add(rec.histogram)
    allOk.add(rec.histogramOk)
    for (const k of FAILURE_CAUSES) totals[k] += rec.failures[k]
    started += rec.started
    ok += rec.ok
    failed += rec.failed
    unfinished += d.unfinished[i] ?? 0
    const finished = rec.ok + rec.failed
    return {
      name: sc.name,
      weight: sc.weight,
      started: rec.started,
      ok: rec.ok,
      failed: rec.failed,
      unfinished: d.unfinished[i] ?? 0,
      failures: counts(rec.failures),
      fail_pct: finished === 0 ? 0 : Math.round((rec.failed / finished) * 1e6) / 1e4,
      ok_per_s: round2(rec.ok / secs),
      latency: summarize(rec.histogram),
      latency_ok: summarize(rec.histogramOk),
      histogram: encodeHistogram(rec.histogram),
      histogram_ok: encodeHistogram(rec.histogramOk),
      steps: sc.steps.map((step, j) => {
        const s = rec.steps[j]
        if (s === undefined) throw new Error(`no record for step ${sc.name}.${step.name}`)
        return {
          name: step.name,
          sent: s.sent,
          ok: s.ok,
          failures: counts(s.failures),
          skipped: s.skipped,
          latency: summarize(s.histogram),
          histogram: encodeHistogram(s.histogram),
        }
      }),
    }
  })
  const requestLatency = summarize(r.requestHistogram)
  const requestsPerS = r.responses / secs
  const lgPct = (d.cpuS / secs) * 100
  const finished = ok + failed
  return {
    target: m.target,
    tier: m.connections,
    round: m.round,
    model: m.model,
    connections: m.connections,
    ...(m.rate === undefined ? {} : { rate: m.rate }),
    started_at: d.startedAt.toISOString(),
    duration_s: Math.round(d.durationS * 1000) / 1000,
    scenarios_per_s: round2(finished / secs),
    requests_per_s: round2(requestsPerS),
    requests: r.requests,
    scenarios: { started, ok, failed, unfinished, dropped: r.dropped },
    fail_pct: finished === 0 ? 0 : Math.round((failed / finished) * 1e6) / 1e4,
    failures: counts(totals),
    latency: summarize(all),
    latency_ok: summarize(allOk),
    request_latency: requestLatency,
    per_scenario: perScenario,
    server: m.pid === undefined ? null : serverResources(m.pid, m.procStart, m.procEnd, m.samples),
    load_generator: { cpu_pct: Math.round(lgPct * 10) / 10, bound: lgPct > LOAD_GENERATOR_BOUND_PCT },
    littles_law: littlesLaw(m.connections, requestsPerS, requestLatency.mean_us),
    reconciliation: reconcile(d, m.model, m.connections),
    samples: m.samples,
    failure_examples: r.examples,
  }
}
