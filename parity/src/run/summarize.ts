import {
  DIVERGENCE_CLASSES,
  type DivergenceClass,
  type ParityFinding,
  type ReportedCase,
  RISKS,
  type Risk,
  type RunSummary,
  type Tally,
} from '../model.ts'

function tally(cases: readonly ReportedCase[]): Tally {
  const count = (o: ReportedCase['outcome']) => cases.filter((c) => c.outcome === o).length
  return { cases: cases.length, parity: count('parity'), known: count('known'), divergent: count('divergent'), errors: count('error') }
}

export function summarize(
  cases: readonly ReportedCase[],
  findings: readonly ParityFinding[],
  resolvedTrackerIds: readonly string[],
): RunSummary {
  const divergences = cases.flatMap((c) => c.steps.flatMap((s) => s.divergences))
  const byClass = Object.fromEntries(DIVERGENCE_CLASSES.map((k) => [k, 0])) as Record<DivergenceClass, number>
  const byRisk = Object.fromEntries(RISKS.map((k) => [k, 0])) as Record<Risk, number>
  for (const d of divergences) {
    byClass[d.class]++
    byRisk[d.risk]++
  }
  const components = [...new Set(cases.map((c) => c.component))].sort()
  return {
    ...tally(cases),
    steps: cases.reduce((n, c) => n + c.steps.length, 0),
    divergences: {
      total: divergences.length,
      new: divergences.filter((d) => !d.known).length,
      known: divergences.filter((d) => d.known).length,
    },
    findings: { total: findings.length, new: findings.filter((f) => !f.known).length, known: findings.filter((f) => f.known).length },
    noise: cases.reduce((n, c) => n + c.steps.reduce((m, s) => m + s.noise.length, 0), 0),
    byClass,
    byRisk,
    byComponent: Object.fromEntries(components.map((k) => [k, tally(cases.filter((c) => c.component === k))])),
    resolvedTrackerIds,
  }
}
