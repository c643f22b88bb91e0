/**
 * A tracker row may name a finding's id instead of its divergences. Per-path finding ids
 * (`Divergence.findingId`) are matched while comparing; a merged finding's id exists only
 * once the run's divergences are grouped, so rows naming one are applied here: its members
 * become known and their cases' outcomes follow.
 */
import type { CaseOutcome, Divergence, ParityFinding, ReportedCase } from '../model.ts'

export function applyFindingRows(
  cases: readonly ReportedCase[],
  findings: readonly ParityFinding[],
  known: ReadonlyMap<string, string>,
): { readonly cases: ReportedCase[]; readonly changed: boolean } {
  const rowOf = new Map<string, string>()
  for (const f of findings) {
    const row = known.get(f.id)
    if (row === undefined || f.parts.length < 2) continue
    for (const id of f.members) rowOf.set(id, row)
  }
  if (rowOf.size === 0) return { cases: [...cases], changed: false }
  let changed = false
  const mark = (d: Divergence): Divergence => {
    const row = rowOf.get(d.id)
    if (d.known || row === undefined) return d
    changed = true
    return { ...d, known: true, trackerId: row }
  }
  const out = cases.map((c) => {
    const steps = c.steps.map((s) => ({ ...s, divergences: s.divergences.map(mark) }))
    const all = steps.flatMap((s) => s.divergences)
    const outcome: CaseOutcome = c.outcome === 'divergent' && all.every((d) => d.known) ? 'known' : c.outcome
    return { ...c, steps, outcome }
  })
  return { cases: out, changed }
}
