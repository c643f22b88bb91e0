import { FAILURE_CAUSES, type FailureCause, type Measurement } from '../model.ts'
import { formatP, formatPct, measurementLabel } from './format.ts'
import { minP } from './mann-whitney.ts'
import { SIGNIFICANCE, tiersOf } from './rounds.ts'

/** Server RSS growth above this, within a measurement or across a target's measurements, is reported. */
export const RSS_GROWTH_WARN_PCT = 10
/** Little's-law ratio (busy ÷ open connections) outside this band in the closed model is reported. */
export const LITTLES_LAW_BAND: readonly [number, number] = [0.8, 1.2]

/**
 * What a reader must know before trusting the figures, one line per kind of problem (the
 * affected measurements listed as `node c=50 r2`), in a fixed order. Iterations still in
 * flight when a window closes (`unfinished`) are normal and not reported.
 */
export function collectWarnings(measurements: readonly Measurement[]): string[] {
  const ordered = [...measurements].sort((a, b) => a.tier - b.tier || a.round - b.round || cmp(a.target, b.target))
  const out: string[] = []
  const listed = (items: readonly string[], text: (list: string) => string) => {
    if (items.length > 0) out.push(text(items.join(', ')))
  }

  listed(
    ordered.filter((m) => m.load_generator.bound).map((m) => `${measurementLabel(m)} (${Math.round(m.load_generator.cpu_pct)} %)`),
    (list) => `load generator CPU-bound in ${list}: these rounds measure the client, not the server`,
  )
  for (const m of ordered) {
    if (m.reconciliation.reconciled) continue
    const why = m.reconciliation.mismatches.length > 0 ? m.reconciliation.mismatches.join('; ') : 'no mismatch recorded'
    out.push(`counters not reconciled with autocannon in ${measurementLabel(m)}: ${why}`)
  }
  listed(
    ordered
      .filter((m) => m.server !== null && m.server.rss_growth_pct > RSS_GROWTH_WARN_PCT)
      .map((m) => `${measurementLabel(m)} (+${(m.server?.rss_growth_pct ?? 0).toFixed(1)} %)`),
    (list) => `server RSS grew more than ${RSS_GROWTH_WARN_PCT} % within ${list}`,
  )
  out.push(...rssGrowthAcrossRun(measurements))
  listed(
    ordered
      .filter((m) => m.model === 'closed' && m.littles_law.connections > 0 && outsideBand(m.littles_law.ratio))
      .map((m) => `${measurementLabel(m)} (${m.littles_law.ratio.toFixed(2)})`),
    (list) =>
      `Little's law off in ${list}: busy ÷ open connections outside ${LITTLES_LAW_BAND[0]}–${LITTLES_LAW_BAND[1]}, so the client did not keep its connections busy (or the counters disagree)`,
  )
  listed(
    ordered.filter((m) => m.model === 'open' && m.scenarios.dropped > 0).map((m) => `${measurementLabel(m)} (${m.scenarios.dropped})`),
    (list) => `open model dropped scenario starts (no free connection at the intended time) in ${list}: the offered rate was not delivered`,
  )
  out.push(...failureWarnings(ordered))
  listed(
    ordered.flatMap((m) =>
      m.per_scenario.filter((s) => s.weight > 0 && s.ok + s.failed === 0).map((s) => `${s.name} in ${measurementLabel(m)}`),
    ),
    (list) => `no finished iteration of ${list}: its latency and fail % are unknown there, and its thresholds fail`,
  )
  out.push(...tooFewRounds(measurements))
  return out
}

function outsideBand(ratio: number): boolean {
  return !(ratio >= LITTLES_LAW_BAND[0] && ratio <= LITTLES_LAW_BAND[1])
}

/** From the first to the last measurement of one server process (same target and pid), after warm-up. */
function rssGrowthAcrossRun(measurements: readonly Measurement[]): string[] {
  const byProcess = new Map<string, Measurement[]>()
  for (const m of measurements) {
    if (m.server === null) continue
    const key = `${m.target}\u0000${m.server.pid}`
    byProcess.set(key, [...(byProcess.get(key) ?? []), m])
  }
  const out: string[] = []
  for (const list of byProcess.values()) {
    if (list.length < 2) continue
    const sorted = [...list].sort((a, b) => cmp(a.started_at, b.started_at) || a.tier - b.tier || a.round - b.round)
    const first = sorted[0]
    const last = sorted[sorted.length - 1]
    if (first?.server == null || last?.server == null || first.server.rss_start_bytes <= 0) continue
    const growth = ((last.server.rss_end_bytes - first.server.rss_start_bytes) / first.server.rss_start_bytes) * 100
    if (growth > RSS_GROWTH_WARN_PCT) {
      out.push(
        `server RSS of ${first.target} (pid ${first.server.pid}) grew ${growth.toFixed(1)} % from ${measurementLabel(first)} to ${measurementLabel(last)}: a leak, or caches still filling after warm-up`,
      )
    }
  }
  return out.sort(cmp)
}

/** One line per scenario that failed anywhere: total, by cause, and where. */
function failureWarnings(ordered: readonly Measurement[]): string[] {
  const byScenario = new Map<
    string,
    { failed: number; finished: number; causes: Record<FailureCause, number>; where: Map<string, number> }
  >()
  for (const m of ordered) {
    for (const s of m.per_scenario) {
      const entry = byScenario.get(s.name) ?? {
        failed: 0,
        finished: 0,
        causes: { status: 0, assertion: 0, timeout: 0, reset: 0, error: 0 },
        where: new Map<string, number>(),
      }
      entry.failed += s.failed
      entry.finished += s.ok + s.failed
      for (const c of FAILURE_CAUSES) entry.causes[c] += s.failures[c]
      if (s.failed > 0) entry.where.set(`${m.target} c=${m.tier}`, (entry.where.get(`${m.target} c=${m.tier}`) ?? 0) + s.failed)
      byScenario.set(s.name, entry)
    }
  }
  const out: string[] = []
  for (const [name, e] of byScenario) {
    if (e.failed === 0) continue
    const causes = FAILURE_CAUSES.filter((c) => e.causes[c] > 0)
      .map((c) => `${c} ${e.causes[c]}`)
      .join(', ')
    const where = [...e.where].map(([w, n]) => `${w}: ${n}`).join(', ')
    out.push(
      `scenario ${name} failed ${e.failed} of ${e.finished} finished iterations (${formatPct((e.failed / e.finished) * 100)} %; ${causes}) — ${where}`,
    )
  }
  return out
}

/** With few rounds the rank test cannot reach significance whatever the data: say so instead of letting "no clear difference" mislead. */
function tooFewRounds(measurements: readonly Measurement[]): string[] {
  const targets = [...new Set(measurements.map((m) => m.target))]
  const [a, b] = targets
  if (a === undefined || b === undefined) return []
  const bySizes = new Map<string, { floor: number; tiers: number[] }>()
  for (const tier of tiersOf(measurements)) {
    const n_a = measurements.filter((m) => m.target === a && m.tier === tier).length
    const n_b = measurements.filter((m) => m.target === b && m.tier === tier).length
    const floor = minP(n_a, n_b)
    if (floor < SIGNIFICANCE) continue
    const key = `${n_a} vs ${n_b}`
    bySizes.set(key, { floor, tiers: [...(bySizes.get(key)?.tiers ?? []), tier] })
  }
  return [...bySizes].map(
    ([sizes, { floor, tiers }]) =>
      `${tiers.map((t) => `c=${t}`).join(', ')}: ${sizes} rounds cannot show a significant difference between ${a} and ${b} (smallest possible p = ${formatP(floor)} ≥ ${SIGNIFICANCE}); run 4 or more rounds per target for a verdict`,
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
