import picomatch from 'picomatch'
import type { Divergence, ReportedCase, RunReport, Tally } from '../model.ts'
import { locateAllBlocks, replaceBlocks } from './tracker-blocks.ts'
import { resolvedRowIndexes } from './tracker-coverage.ts'
import {
  appendToBlock,
  changedCell,
  changeLogLine,
  parseLastChange,
  parseSummaryBlock,
  renderStatusBlock,
  renderSummaryBlock,
  type SummaryRow,
  sameNumbers,
} from './tracker-generated.ts'
import { autoRow, codeSpan, isTracked, type TrackerRow } from './tracker-row.ts'
import { parseTable, rebuildTable, withStatus } from './tracker-table.ts'

export interface TrackerUpdateOptions {
  /** The run's date, `YYYY-MM-DD` (the runner passes the finish date, UTC). */
  readonly date: string
  /**
   * The run's report directory as new rows' evidence names it (the runner passes the
   * directory it actually wrote, relative to the repository when inside it). Default
   * `reports/parity/<run-id>/`.
   */
  readonly reportDir?: string
  /**
   * Cases per component in the whole corpus. When given, a component's summary row is
   * rewritten only by a run that ran every one of its cases; otherwise by any run that
   * selected at least one of them.
   */
  readonly corpusCases?: Readonly<Record<string, number>>
}

/** A summary row this update rewrote: its numbers before (absent for a new component) and after. */
export interface SummaryChange {
  readonly component: string
  readonly before?: Tally
  readonly after: Tally
}

/** A component the run executed cases of but whose summary row it left alone, and why. */
export interface SummarySkip {
  readonly component: string
  readonly reason: string
}

export interface TrackerDocUpdate {
  readonly doc: string
  /** Finding ids (`pf-…`) of the rows opened by this update (status `new`), one per finding. */
  readonly opened: string[]
  /** Ids of the rows marked resolved. */
  readonly resolved: string[]
  /** Ids of resolved rows opened again (status `new`) because their divergence came back. */
  readonly reopened: string[]
  /** Summary rows whose numbers changed, in component order. */
  readonly summary: SummaryChange[]
  /** Components the run touched but may not speak for (setup cases pulled in, a partial selection). */
  readonly summarySkipped: SummarySkip[]
  /** False when `doc` is byte-identical to the input. */
  readonly changed: boolean
}

/**
 * `--update-docs`: opens a row (status `new`) per finding with a divergence no row tracks
 * (by the divergence's id or its finding's), reopens (as `new`) resolved rows whose
 * divergence or finding came back, resolves the rows `findResolved` names,
 * rewrites the summary rows of the components this run speaks for and appends one
 * change-log line when rows or summary numbers changed. Only the content between markers
 * changes; in the tracker block only the affected rows' status and resolved-by cells, and
 * the new rows. The status block and a summary row carry the date and commit of the last
 * change, not of the last run: applying a report with the same outcomes again — another
 * day, another commit — returns the input.
 */
export function updateTrackerDoc(doc: string, report: RunReport, options: TrackerUpdateOptions): TrackerDocUpdate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new TypeError(`updateTrackerDoc: date must be YYYY-MM-DD, got ${options.date}`)
  const { date } = options
  const reportDir = options.reportDir ?? `reports/parity/${report.runId}/`
  const blocks = locateAllBlocks(doc)
  const table = parseTable(doc, blocks.tracker)
  const rows = table.rows.map((r) => r.row)

  const tracked = new Set(rows.filter(isTracked).flatMap((r) => r.ids))
  const edits = new Map<number, string>()
  const statusAfter = rows.map((r) => r.status)
  const opened: string[] = []
  const reopened: string[] = []
  const appended: string[] = []
  // One row per finding with a divergence no row tracks yet (by its own id, its per-path
  // finding id, or the id of the finding it was merged into).
  const byPart = new Map<string, Divergence[]>()
  for (const d of report.divergences) byPart.set(d.findingId, [...(byPart.get(d.findingId) ?? []), d])
  for (const f of report.findings) {
    if (tracked.has(f.id)) continue
    const members = f.parts.flatMap((part) => byPart.get(part) ?? []).filter((d) => !tracked.has(d.id) && !tracked.has(d.findingId))
    if (members.length === 0) continue
    const names = new Set([f.id, ...f.parts, ...members.map((d) => d.id)])
    const resolvedRows = table.rows.filter((r) => r.row.status === 'resolved' && r.row.ids.some((id) => names.has(id)))
    if (resolvedRows.length > 0) {
      for (const r of resolvedRows) {
        if (edits.has(r.line)) continue
        // A regression: whatever was decided before, a person looks at it again.
        edits.set(r.line, withStatus(table.lines[r.line] ?? '', 'new', ''))
        statusAfter[table.rows.indexOf(r)] = 'new'
        reopened.push(r.row.id)
      }
    } else {
      appended.push(autoRow(f, reportDir, date))
      opened.push(f.id)
    }
    for (const id of names) tracked.add(id)
  }

  const resolved: string[] = []
  for (const i of resolvedRowIndexes(rows, report)) {
    const r = table.rows[i]
    if (r === undefined) continue
    edits.set(r.line, withStatus(table.lines[r.line] ?? '', 'resolved', codeSpan(report.runId)))
    statusAfter[i] = 'resolved'
    if (!resolved.includes(r.row.id)) resolved.push(r.row.id)
  }

  // The summary counts cases against the tracker as it stands after this update: a case
  // whose divergences all have an open or accepted row is `known`; `new` rows (this run's
  // included) are not a decision, so their cases stay divergent — as the next run sees them.
  const known = new Set(rows.filter((_, i) => statusAfter[i] === 'open' || statusAfter[i] === 'accepted').flatMap((r) => r.ids))
  const previous = parseSummaryBlock(doc.slice(blocks.summary.start, blocks.summary.end))
  const scope = summaryScope(report, options.corpusCases)
  const mergedInto = new Map(report.findings.flatMap((f) => f.parts.map((part) => [part, f.id] as const)))
  const isKnown = (d: Divergence) => known.has(d.id) || known.has(d.findingId) || known.has(mergedInto.get(d.findingId) ?? '')
  const fresh = componentTallies(
    report.cases.filter((c) => scope.components.has(c.component)),
    isKnown,
  )
  const summary: SummaryChange[] = []
  const byName = new Map(previous.map((r) => [r.component, r]))
  for (const [component, after] of fresh) {
    const before = byName.get(component)
    const row: SummaryRow = { component, ...after, lastChanged: changedCell(date, report.commit) }
    if (before !== undefined && sameNumbers(before, row)) continue // keeps its own "last changed"
    byName.set(component, row)
    summary.push({ component, ...(before === undefined ? {} : { before: tallyOf(before) }), after })
  }
  const merged = [...byName.values()].sort((a, b) => byCodeUnit(a.component, b.component))
  const somethingChanged = opened.length + resolved.length + reopened.length + summary.length > 0

  const statusContent = doc.slice(blocks.status.start, blocks.status.end)
  const lastChange = somethingChanged
    ? { runId: report.runId, date, ...(report.commit === undefined ? {} : { commit: report.commit }) }
    : parseLastChange(statusContent)
  const rowsAfter: Pick<TrackerRow, 'status'>[] = [
    ...statusAfter.map((status) => ({ status })),
    ...opened.map(() => ({ status: 'new' as const })),
  ]
  const changelogContent = doc.slice(blocks.changelog.start, blocks.changelog.end)
  const replacements: [typeof blocks.status, string][] = [
    [blocks.status, renderStatusBlock({ lastChange, rows: rowsAfter })],
    [blocks.tracker, rebuildTable(table, edits, appended)],
    [blocks.summary, renderSummaryBlock(merged)],
  ]
  if (somethingChanged) {
    const line = changeLogLine({
      date,
      runId: report.runId,
      opened: opened.length,
      resolved: resolved.length,
      reopened: reopened.length,
      tally: report.summary,
    })
    replacements.push([blocks.changelog, appendToBlock(changelogContent, line)])
  }
  const out = replaceBlocks(doc, replacements)
  return { doc: out, opened, resolved, reopened, summary, summarySkipped: scope.skipped, changed: out !== doc }
}

/**
 * The components whose summary rows this run may rewrite: those with at least one case the
 * selection chose itself (setup cases pulled in for other components do not count) and —
 * when the corpus counts are known — every one of their cases run. The others are named
 * with the reason, so the runner can say exactly what it left alone.
 */
export function summaryScope(
  report: Pick<RunReport, 'cases' | 'selection'>,
  corpusCases?: Readonly<Record<string, number>>,
): { components: Set<string>; skipped: SummarySkip[] } {
  const chosen = selectionMatcher(report.selection)
  const ran = new Map<string, { total: number; chosen: number }>()
  for (const c of report.cases) {
    const t = ran.get(c.component) ?? { total: 0, chosen: 0 }
    ran.set(c.component, { total: t.total + 1, chosen: t.chosen + (chosen(c) ? 1 : 0) })
  }
  const components = new Set<string>()
  const skipped: SummarySkip[] = []
  for (const [component, t] of [...ran].sort((a, b) => byCodeUnit(a[0], b[0]))) {
    const inCorpus = corpusCases?.[component]
    if (t.chosen === 0) skipped.push({ component, reason: `only ${t.total} setup case(s) pulled in by the selection ran` })
    else if (inCorpus !== undefined && t.total < inCorpus) skipped.push({ component, reason: `ran ${t.total} of its ${inCorpus} cases` })
    else components.add(component)
  }
  return { components, skipped }
}

/** The case loader's own test: the glob against id or file, any of the tags. */
function selectionMatcher(selection: RunReport['selection']): (c: ReportedCase) => boolean {
  const glob = selection.cases === undefined ? undefined : picomatch(selection.cases, { dot: true })
  const tags = selection.tags
  return (c) => (glob === undefined || glob(c.id) || glob(c.file)) && (tags.length === 0 || c.tags.some((t) => tags.includes(t)))
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function tallyOf(r: Tally): Tally {
  return { cases: r.cases, parity: r.parity, known: r.known, divergent: r.divergent, errors: r.errors }
}

function componentTallies(cases: readonly ReportedCase[], isKnown: (d: Divergence) => boolean): [string, Tally][] {
  const byComponent = new Map<string, Tally>()
  for (const c of cases) {
    const t = byComponent.get(c.component) ?? { cases: 0, parity: 0, known: 0, divergent: 0, errors: 0 }
    const outcome = c.outcome === 'divergent' && c.steps.every((s) => s.divergences.every(isKnown)) ? 'known' : c.outcome
    byComponent.set(c.component, {
      cases: t.cases + 1,
      parity: t.parity + (outcome === 'parity' ? 1 : 0),
      known: t.known + (outcome === 'known' ? 1 : 0),
      divergent: t.divergent + (outcome === 'divergent' ? 1 : 0),
      errors: t.errors + (outcome === 'error' ? 1 : 0),
    })
  }
  return [...byComponent].sort((a, b) => byCodeUnit(a[0], b[0]))
}
