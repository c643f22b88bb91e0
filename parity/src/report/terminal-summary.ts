import { findingTitle } from '../findings/group-findings.ts'
import type { ParityFinding, RunReport } from '../model.ts'
import {
  componentTallies,
  describeTarget,
  endpointsLabel,
  exitMeaning,
  formatDuration,
  oneLine,
  pairLabel,
  seenLabel,
  settingsLabel,
  splitFindings,
  TALLY_COLUMNS,
} from './format.ts'

export interface TerminalSummaryOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR, --no-color). */
  readonly color: boolean
  /** Where the runner wrote the report files, as the user should see it (usually repo-relative). */
  readonly reportDir: string
  /** The tracker the run read, as the user should see it (default: "the decisions tracker"). */
  readonly tracker?: string
}

/** The files the runner writes into `reportDir`, in the order a person opens them. */
export const REPORT_FILES = ['report.html', 'summary.md', 'report.json', 'junit.xml'] as const

const MAX_LISTED = 20

/**
 * The compact table printed at the end of a run. Returns the text; the runner prints it.
 * Plain ASCII layout apart from `→`/`…`, so it stays legible when piped into CI logs.
 */
export function renderTerminalSummary(report: RunReport, options: TerminalSummaryOptions): string {
  const paint = painter(options.color)
  const out: string[] = []
  const baseline = report.targets.find((t) => t.name === report.baseline)
  const others = report.targets.filter((t) => t.name !== report.baseline).map(describeTarget)
  out.push(
    `${paint.bold('parity')} ${report.runId} · ${baseline === undefined ? report.baseline : describeTarget(baseline)} vs ${others.join(', ') || '(none)'} · ${formatDuration(report.durationMs)}`,
    '',
  )

  const header = ['component', ...TALLY_COLUMNS.map(([, label]) => label)]
  const rows = componentTallies(report).map(([name, t]) => [name, ...TALLY_COLUMNS.map(([k]) => String(t[k]))])
  const total = ['total', ...TALLY_COLUMNS.map(([k]) => String(report.summary[k]))]
  const widths = header.map((h, i) => Math.max(h.length, ...[...rows, total].map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[], style: (s: string) => string = (s) => s) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .map((c, i) => (i === 0 ? style(c) : colourCount(c, i, paint)))
      .join('  ')
  out.push(paint.dim(header.map((h, i) => (i === 0 ? h.padEnd(widths[i] ?? 0) : h.padStart(widths[i] ?? 0))).join('  ')))
  for (const r of rows) out.push(line(r))
  out.push(line(total, paint.bold))

  const { fresh, known } = splitFindings(report.findings)
  const s = report.summary
  const newCount = (n: number) => (n === 0 ? `${n} new` : paint.red(`${n} new`))
  out.push(
    '',
    `findings: ${s.findings.total} (${newCount(s.findings.new)}, ${s.findings.known} known) from ${s.divergences.total} divergences (${s.divergences.new} new) · noise ${s.noise}`,
    paint.dim(settingsLabel(report.settings)),
  )
  // New findings lead, by risk then breadth (the report's order); known ones are one line each at most.
  for (const [label, list] of [
    ['new findings', fresh],
    ['known findings', known],
  ] as const) {
    if (list.length === 0) continue
    const limit = label === 'new findings' ? MAX_LISTED : Math.min(MAX_LISTED, 5)
    out.push('', paint.bold(`${label} (${list.length}):`))
    for (const f of list.slice(0, limit)) out.push(...findingLines(f, paint, label === 'new findings'))
    if (list.length > limit) out.push(`  … ${list.length - limit} more in report.html`)
  }
  const errored = report.cases.filter((c) => c.outcome === 'error')
  if (errored.length > 0) {
    out.push('', paint.bold(`errors (${errored.length}):`))
    for (const c of errored.slice(0, MAX_LISTED)) {
      const reason = c.error ?? c.steps.find((st) => st.error !== undefined)?.error ?? 'case error'
      out.push(`  ${c.id}: ${oneLine(reason)}`)
    }
    if (errored.length > MAX_LISTED) out.push(`  … ${errored.length - MAX_LISTED} more`)
  }
  if (report.staleRules.length > 0) out.push('', paint.yellow(`${report.staleRules.length} stale ignore rule(s): see summary.md`))
  if (s.resolvedTrackerIds.length > 0)
    out.push(
      '',
      `resolved tracker rows: ${s.resolvedTrackerIds.join(', ')}${report.settings.updateDocs ? '' : ' (run with --update-docs to mark them)'}`,
    )

  const exitStyle = report.exitCode === 0 ? paint.green : report.exitCode === 1 ? paint.red : paint.magenta
  out.push('', exitStyle(`exit ${report.exitCode}: ${exitMeaning(report.exitCode, options)}`))
  const dir = options.reportDir.replace(/[\\/]+$/, '')
  out.push(`report: ${dir}/`, ...REPORT_FILES.map((f) => `  ${dir}/${f}`))
  return `${out.join('\n')}\n`
}

/**
 * `  breaking  type $.id integer→string (a→b) · 9/9 requests · GET /posts/{id} 9/9  pf-…`
 * then, for new findings, one example: `      e.g. posts.get › one: 1 on a, "1" on b`.
 */
function findingLines(f: ParityFinding, paint: Painter, withExample: boolean): string[] {
  const risk = f.risk === 'breaking' ? paint.red(f.risk.padEnd(8)) : f.risk === 'medium' ? paint.yellow(f.risk.padEnd(8)) : f.risk.padEnd(8)
  const rows = f.trackerIds.length === 0 ? '' : ` ${paint.dim(`[${f.trackerIds.join(', ')}]`)}`
  const head = `  ${risk}  ${oneLine(findingTitle(f))} (${pairLabel(f.pair)}) · ${seenLabel(f)} · ${oneLine(endpointsLabel(f))}  ${paint.dim(f.id)}${rows}`
  if (!withExample) return [head]
  const e = f.example
  return [head, paint.dim(`            e.g. ${oneLine(e.caseId)} › ${oneLine(e.step)}: ${oneLine(e.message)}`)]
}

/** Non-zero outcome counts get their outcome's colour; zeros stay plain so problems stand out. */
function colourCount(cell: string, column: number, paint: Painter): string {
  if (cell.trim() === '0') return cell
  const key = TALLY_COLUMNS[column - 1]?.[0]
  if (key === 'parity') return paint.green(cell)
  if (key === 'known') return paint.yellow(cell)
  if (key === 'divergent') return paint.red(cell)
  if (key === 'errors') return paint.magenta(cell)
  return cell
}

/** ANSI colours for terminal output; shared with the load generator's terminal summary. */
export interface Painter {
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
  readonly red: (s: string) => string
  readonly green: (s: string) => string
  readonly yellow: (s: string) => string
  readonly magenta: (s: string) => string
}

export function painter(color: boolean): Painter {
  // SGR codes with their specific resets (22 for bold/dim, 39 for colours) so nesting works.
  const sgr = (on: number, off: number) => (s: string) => (color ? `\u001b[${on}m${s}\u001b[${off}m` : s)
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), magenta: sgr(35, 39) }
}
