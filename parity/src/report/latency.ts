import type { RunReport } from '../model.ts'

export interface TargetLatency {
  readonly target: string
  /** Cases that reported a latency for this target. */
  readonly cases: number
  readonly medianMs: number | undefined
  readonly p95Ms: number | undefined
}

export interface CaseLatency {
  readonly caseId: string
  readonly component: string
  /** Target name → total latency of the case's steps. */
  readonly latencyMs: Readonly<Record<string, number>>
  /** The slowest target's latency: what the ranking sorts on. */
  readonly maxMs: number
}

export interface LatencyOverview {
  readonly targets: readonly TargetLatency[]
  readonly slowest: readonly CaseLatency[]
}

/**
 * Median and p95 of per-case latency for each target, and the slowest cases. Percentiles use
 * the nearest-rank method: the value is always one that was observed, which is what a reader
 * looks up in the case list. Per-case latency is a parity side product (one sequential pass),
 * not a benchmark; `pnpm load` is the instrument for throughput.
 */
export function latencyOverview(report: RunReport, slowestCount = 5): LatencyOverview {
  const targets = report.targets.map((t): TargetLatency => {
    const values = report.cases
      .map((c) => c.latencyMs[t.name])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      .sort((a, b) => a - b)
    return { target: t.name, cases: values.length, medianMs: nearestRank(values, 0.5), p95Ms: nearestRank(values, 0.95) }
  })
  const slowest = report.cases
    .map((c): CaseLatency => {
      const values = Object.values(c.latencyMs).filter((v) => Number.isFinite(v))
      return { caseId: c.id, component: c.component, latencyMs: c.latencyMs, maxMs: values.length === 0 ? 0 : Math.max(...values) }
    })
    .filter((c) => c.maxMs > 0)
    .sort((a, b) => b.maxMs - a.maxMs || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
    .slice(0, slowestCount)
  return { targets, slowest }
}

/** `sorted` ascending; undefined when empty. */
export function nearestRank(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined
  const rank = Math.max(1, Math.ceil(q * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]
}
