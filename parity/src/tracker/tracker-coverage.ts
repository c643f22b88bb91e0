import type { RunReport } from '../model.ts'
import { isActive, isAutoRow, isFindingId, isTracked, parseAutoFinding, parseFindingScope, type TrackerRow } from './tracker-row.ts'

/**
 * Divergence or finding id → id of the tracker row that makes it known (a divergence is
 * known when its own id or its finding's id maps to a row). Only open and accepted rows
 * count (a person wrote them; a `new` row the tool opened does not make anything known);
 * when two rows mention the same id the first in table order wins, so a hand-written
 * decision row placed above the auto rows is the one reports cite.
 */
export function knownDivergences(rows: readonly TrackerRow[]): Map<string, string> {
  const known = new Map<string, string>()
  for (const row of rows) {
    if (!isActive(row)) continue
    for (const id of row.ids) if (!known.has(id)) known.set(id, row.id)
  }
  return known
}

/**
 * Ids of new/open/accepted rows that this run shows to be gone: the row names at least one
 * divergence or finding, none of them occurred, and the run actually looked (covered them).
 * Absence in a run that never executed the case proves nothing, so:
 *
 * - a finding row the tool opened (`pf-…`) covers its pair and the cases it names, read back
 *   from its text: covered when those cases ran without error and the pair was compared; a
 *   row of a finding in more cases than it names is covered only by a run with no case or tag
 *   filter and no case error;
 * - a divergence row the tool opened (`pd-…`) covers its case and pair: covered when that
 *   case ran without error and the pair was compared;
 * - a self-pair `[t, t]` (a contract finding) counts as compared when the run checked a
 *   contract (`settings.contract`) and `t` was one of its targets;
 * - a row mentioning ids of such auto rows is covered when all of them are;
 * - otherwise (hand rows, or auto rows whose finding was reworded) only a complete run
 *   covers it: no case or tag filter, the node→bun pair compared, and no case errored
 *   (stricter than "unfiltered": an errored case may be the one that would have shown it).
 */
export function findResolved(rows: readonly TrackerRow[], report: RunReport): string[] {
  const out: string[] = []
  for (const i of resolvedRowIndexes(rows, report)) {
    const id = rows[i]?.id
    if (id !== undefined && !out.includes(id)) out.push(id)
  }
  return out
}

/** Positions (into `rows`) of the rows `findResolved` names. */
export function resolvedRowIndexes(rows: readonly TrackerRow[], report: RunReport): number[] {
  const occurred = new Set([...report.divergences.flatMap((d) => [d.id, d.findingId]), ...report.findings.map((f) => f.id)])
  const ranCleanly = new Set(report.cases.filter((c) => c.outcome !== 'error').map((c) => c.id))
  // A contract finding's pair is `[t, t]` (one target against the document), never in
  // `pairs`: it was looked at when the run checked a contract and `t` answered.
  const checkedAlone = (t: string) => report.settings.contract !== undefined && report.targets.some((x) => x.name === t)
  const compared = (pair: readonly [string, string]) =>
    pair[0] === pair[1] ? checkedAlone(pair[0]) : report.pairs.some((p) => p[0] === pair[0] && p[1] === pair[1])
  const whole =
    report.selection.cases === undefined && report.selection.tags.length === 0 && report.cases.every((c) => c.outcome !== 'error')
  const complete = whole && compared(['node', 'bun'])

  // Id → covered, from auto rows whose text still names their scope.
  const coveredById = new Map<string, boolean>()
  for (const row of rows) {
    if (!isAutoRow(row)) continue
    if (isFindingId(row.id)) {
      const scope = parseFindingScope(row.finding)
      if (scope === undefined) continue
      const cases = scope.cases
      const ran = cases === undefined ? whole : cases.every((c) => ranCleanly.has(c))
      coveredById.set(row.id, ran && compared(scope.pair))
      continue
    }
    const scope = parseAutoFinding(row.finding)
    if (scope !== undefined) coveredById.set(row.id, ranCleanly.has(scope.caseId) && compared(scope.pair))
  }

  const out: number[] = []
  rows.forEach((row, i) => {
    if (!isTracked(row) || row.ids.length === 0) return
    if (row.ids.some((id) => occurred.has(id))) return
    const scoped = row.ids.every((id) => coveredById.has(id))
    const covered = scoped ? row.ids.every((id) => coveredById.get(id) === true) : complete
    if (covered) out.push(i)
  })
  return out
}
