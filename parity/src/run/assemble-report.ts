/**
 * Compared cases → a `RunReport`, and the four report files: the part of a run shared by the
 * replaying runner (runner.ts) and shadow mode (shadow/shadow-session.ts), which compares live
 * traffic instead of a corpus but reports it the same way.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { groupFindings } from '../findings/group-findings.ts'
import {
  type Divergence,
  type FailOn,
  REPORT_SCHEMA_ID,
  type ReportedCase,
  type Risk,
  type RunReport,
  type RunSettings,
  type StaleRule,
  type TargetInfo,
} from '../model.ts'
import { type ReportContext, renderJunitXml, renderReportHtml, renderReportJson, renderSummaryMarkdown } from '../report/index.ts'
import { findResolved, type TrackerRow } from '../tracker/index.ts'
import { applyFindingRows } from './known-findings.ts'
import { summarize } from './summarize.ts'

/** The risks that fail a run at each `--fail-on` level. */
const FAILING_RISKS: Readonly<Record<FailOn, readonly Risk[]>> = {
  breaking: ['breaking'],
  medium: ['breaking', 'medium'],
  any: ['breaking', 'medium', 'additive'],
}

/** 2 on any case error; 1 when a divergence no open/accepted row knows has a failing risk; else 0. */
export function exitCodeFor(cases: readonly ReportedCase[], failOn: FailOn = 'any'): 0 | 1 | 2 {
  if (cases.some((c) => c.outcome === 'error')) return 2
  const failing = (d: Divergence) => !d.known && FAILING_RISKS[failOn].includes(d.risk)
  return cases.some((c) => c.steps.some((s) => s.divergences.some(failing))) ? 1 : 0
}

/** `20261205T041800Z-3fa2`: sortable by start time, unique enough for one machine. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

export interface ReportInput {
  readonly runId: string
  readonly started: Date
  readonly finished: Date
  readonly commit?: string
  readonly targets: readonly TargetInfo[]
  readonly baseline: string
  readonly pairs: readonly (readonly [string, string])[]
  readonly selection: RunReport['selection']
  readonly settings: RunSettings
  readonly cases: readonly ReportedCase[]
  readonly staleRules: readonly StaleRule[]
  /** Divergence or finding id → the open or accepted tracker row naming it. */
  readonly known: ReadonlyMap<string, string>
  /** The tracker's rows, for the resolved candidates in the summary ([] without a tracker). */
  readonly rows: readonly TrackerRow[]
  readonly failOn?: FailOn
}

/**
 * Groups the cases' divergences into findings, lets tracker rows naming a merged finding mark
 * its members known (then groups again so the flags agree), and summarises.
 */
export function assembleReport(input: ReportInput): RunReport {
  const { pairs } = input
  const grouped = groupFindings(input.cases, pairs)
  const applied = applyFindingRows(input.cases, grouped, input.known)
  const cases = applied.changed ? applied.cases : input.cases
  const findings = applied.changed ? groupFindings(cases, pairs) : grouped
  const draft: RunReport = {
    schema: REPORT_SCHEMA_ID,
    runId: input.runId,
    startedAt: input.started.toISOString(),
    finishedAt: input.finished.toISOString(),
    durationMs: input.finished.getTime() - input.started.getTime(),
    ...(input.commit === undefined ? {} : { commit: input.commit }),
    targets: input.targets,
    baseline: input.baseline,
    pairs,
    selection: input.selection,
    settings: input.settings,
    summary: summarize(cases, findings, []),
    findings,
    cases,
    divergences: cases.flatMap((c) => c.steps.flatMap((s) => s.divergences)),
    staleRules: input.staleRules,
    exitCode: exitCodeFor(cases, input.failOn),
  }
  return { ...draft, summary: summarize(cases, findings, findResolved(input.rows, draft)) }
}

/**
 * Writes report.json, summary.md, report.html and junit.xml into `dir` (created). Each file is
 * written beside and renamed into place, so a reader — a browser refreshing a shadow run's
 * reports every few seconds — never sees half a file.
 */
export function writeReportFiles(dir: string, report: RunReport, context: ReportContext): void {
  mkdirSync(dir, { recursive: true })
  writeAtomic(join(dir, 'report.json'), renderReportJson(report))
  writeAtomic(join(dir, 'summary.md'), renderSummaryMarkdown(report, context))
  writeAtomic(join(dir, 'report.html'), renderReportHtml(report, context))
  writeAtomic(join(dir, 'junit.xml'), renderJunitXml(report))
}

export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}
