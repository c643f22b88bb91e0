import type { Divergence, ReportedCase, RunReport, Tally } from '../model.ts'
import { locateAllBlocks, replaceBlocks } from './tracker-blocks.ts'
import { resolvedRowIndexes } from './tracker-coverage.ts'
import {
  appendToBlock,
  changeLogLine,
  parseLastChange,
  parseSummaryBlock,
  renderStatusBlock,
  renderSummaryBlock,
  type SummaryRow,
  sameNumbers,
  verifiedCell,
} from './tracker-generated.ts'
import { autoRow, codeSpan, divergenceIdsIn, isActive, type TrackerRow } from './tracker-row.ts'
import { parseTable, rebuildTable, withStatus } from './tracker-table.ts'

export interface TrackerUpdateOptions {
  /** The run's date, `YYYY-MM-DD` (the runner passes the finish date, UTC). */
  readonly date: string
}

export interface TrackerDocUpdate {
  readonly doc: string
  /** Divergence ids of the rows opened by this update. */
  readonly opened: string[]
  /** Ids of the rows marked resolved. */
  readonly resolved: string[]
  /** Ids of resolved rows opened again because their divergence came back. */
  readonly reopened: string[]
  /** False when `doc` is byte-identical to the input. */
  readonly changed: boolean
}

/**
 * `--update-docs`: opens a row per new divergence, reopens resolved rows whose divergence
 * came back, resolves the rows `findResolved` names, regenerates the status and summary
 * blocks and appends one change-log line when rows or summary numbers changed. Only the
 * content between markers changes; in the tracker block only the affected rows' status and
 * resolved-by cells, and the new rows. Idempotent: applying the same report again, or a
 * later report with the same outcome on the same date and commit, returns the input.
 */
export function updateTrackerDoc(doc: string, report: RunReport, options: TrackerUpdateOptions): TrackerDocUpdate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new TypeError(`updateTrackerDoc: date must be YYYY-MM-DD, got ${options.date}`)
  const { date } = options
  const blocks = locateAllBlocks(doc)
  const table = parseTable(doc, blocks.tracker)
  const rows = table.rows.map((r) => r.row)

  const active = new Set(rows.filter(isActive).flatMap((r) => r.divergenceIds))
  const edits = new Map<number, string>()
  const statusAfter = rows.map((r) => r.status)
  const opened: string[] = []
  const reopened: string[] = []
  const appended: string[] = []
  for (const d of uniqueById(report.divergences)) {
    if (active.has(d.id)) continue
    const resolvedRows = table.rows.filter((r) => r.row.status === 'resolved' && r.row.divergenceIds.includes(d.id))
    if (resolvedRows.length > 0) {
      for (const r of resolvedRows) {
        if (edits.has(r.line)) continue
        edits.set(r.line, withStatus(table.lines[r.line] ?? '', 'open', ''))
        statusAfter[table.rows.indexOf(r)] = 'open'
        reopened.push(r.row.id)
      }
    } else {
      appended.push(autoRow(d, report.runId, date))
      opened.push(d.id)
    }
    active.add(d.id)
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
  // whose divergences all have an open row is `known`. Otherwise the run after an update
  // would report the same cases as known and change the block a second time.
  const tracked = new Set([
    ...rows.filter((_, i) => statusAfter[i] !== 'resolved').flatMap((r) => r.divergenceIds),
    ...appended.flatMap((line) => divergenceIdsIn(line)),
  ])
  const previous = parseSummaryBlock(doc.slice(blocks.summary.start, blocks.summary.end))
  const fresh = componentRows(report.cases, tracked, verifiedCell(date, report.commit))
  const merged = mergeSummary(previous, fresh)
  const numbersChanged = fresh.some(
    (row) =>
      !sameNumbers(
        row,
        previous.find((p) => p.component === row.component),
      ),
  )
  const rowsChanged = opened.length + resolved.length + reopened.length > 0
  const somethingChanged = rowsChanged || numbersChanged

  const statusContent = doc.slice(blocks.status.start, blocks.status.end)
  const lastChange = somethingChanged ? { runId: report.runId, date } : parseLastChange(statusContent)
  const rowsAfter: TrackerRow[] = [
    ...rows.map((r, i) => ({ ...r, status: statusAfter[i] ?? r.status })),
    ...opened.map((id) => ({
      id,
      area: '',
      finding: '',
      status: 'open' as const,
      evidence: '',
      firstSeen: date,
      resolvedBy: '',
      divergenceIds: [id],
    })),
  ]
  const changelogContent = doc.slice(blocks.changelog.start, blocks.changelog.end)
  const replacements: [typeof blocks.status, string][] = [
    [blocks.status, renderStatusBlock({ date, commit: report.commit, lastChange, rows: rowsAfter })],
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
  return { doc: out, opened, resolved, reopened, changed: out !== doc }
}

function uniqueById(list: readonly Divergence[]): Divergence[] {
  return [...new Map(list.map((d) => [d.id, d] as const)).values()]
}

function componentRows(cases: readonly ReportedCase[], tracked: ReadonlySet<string>, lastVerified: string): SummaryRow[] {
  const byComponent = new Map<string, Tally>()
  for (const c of cases) {
    const t = byComponent.get(c.component) ?? { cases: 0, parity: 0, known: 0, divergent: 0, errors: 0 }
    const outcome = c.outcome === 'divergent' && c.steps.every((s) => s.divergences.every((d) => tracked.has(d.id))) ? 'known' : c.outcome
    byComponent.set(c.component, {
      cases: t.cases + 1,
      parity: t.parity + (outcome === 'parity' ? 1 : 0),
      known: t.known + (outcome === 'known' ? 1 : 0),
      divergent: t.divergent + (outcome === 'divergent' ? 1 : 0),
      errors: t.errors + (outcome === 'error' ? 1 : 0),
    })
  }
  return [...byComponent].map(([component, t]) => ({ component, ...t, lastVerified }))
}

/**
 * Components this run covered replace their rows; the others keep theirs (with their own
 * "last verified"), so a run filtered to one component does not erase the rest.
 */
function mergeSummary(previous: readonly SummaryRow[], fresh: readonly SummaryRow[]): SummaryRow[] {
  const byName = new Map(previous.map((r) => [r.component, r]))
  for (const r of fresh) byName.set(r.component, r)
  return [...byName.values()].sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0))
}
