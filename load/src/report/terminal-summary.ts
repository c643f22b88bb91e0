import { type Painter, painter } from '@lakehouse/parity'
import { formatCount, formatPct } from '../analysis/index.ts'
import type { LoadReport } from '../model.ts'
import {
  describeTarget,
  EXIT_CODE_MEANINGS,
  formatDuration,
  formatThresholdValue,
  modelLabel,
  msFromUs,
  plain,
  scenarioLabel,
  settingsModelLabel,
} from './format.ts'
import { rowOf, type TierView, tierViews } from './tier-view.ts'
import { LOAD_REPORT_FILES } from './write-report.ts'

export interface TerminalSummaryOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR, --no-color). */
  readonly color: boolean
  /** Where the report files were written, as the user should see it (usually repo-relative). */
  readonly reportDir: string
}

const MAX_LISTED = 20
const COLUMNS = ['ok/s', 'fail %', 'p50', 'p99'] as const

/**
 * The compact table printed at the end of a run: per tier, one row per scenario and, side by
 * side, each target's ok scenarios/s, fail %, p50 and p99 (ms). Returns the text; the runner
 * prints it. Plain ASCII layout apart from `·`/`→`/`…`, so it stays legible in CI logs.
 */
export function renderTerminalSummary(report: LoadReport, options: TerminalSummaryOptions): string {
  const paint = painter(options.color)
  const out: string[] = []
  const targets = report.targets.map(describeTarget).join(' vs ') || '(no targets)'
  out.push(
    `${paint.bold('load')} ${plain(report.run_id)} · mix ${plain(report.mix.name)} · ${plain(targets)} · ${formatDuration(report.duration_ms)}`,
  )
  out.push(paint.dim(plain(settingsModelLabel(report.settings))))
  for (const view of tierViews(report)) out.push('', ...tierTable(view, paint))

  const failed = report.thresholds.filter((t) => !t.pass)
  if (report.thresholds.length > 0) {
    out.push(
      '',
      `thresholds: ${report.thresholds.length - failed.length} passed, ${failed.length === 0 ? '0 failed' : paint.red(`${failed.length} failed`)}`,
    )
    for (const t of failed.slice(0, MAX_LISTED)) {
      out.push(
        `  ${paint.red('✗')} ${plain(scenarioLabel(t.scenario))} on ${plain(t.target)}, tier ${t.tier}: ${plain(t.threshold)} — measured ${formatThresholdValue(t.threshold, t.value)}`,
      )
    }
    if (failed.length > MAX_LISTED) out.push(`  … ${failed.length - MAX_LISTED} more`)
  }
  if (report.warnings.length > 0) {
    out.push('', paint.yellow(`warnings (${report.warnings.length}):`))
    for (const w of report.warnings.slice(0, MAX_LISTED)) out.push(`  ${paint.yellow('!')} ${plain(w)}`)
    if (report.warnings.length > MAX_LISTED) out.push(`  … ${report.warnings.length - MAX_LISTED} more (summary.md)`)
  }
  const exitStyle = report.exit_code === 0 ? paint.green : report.exit_code === 1 ? paint.red : paint.magenta
  out.push('', exitStyle(`exit ${report.exit_code}: ${EXIT_CODE_MEANINGS[report.exit_code]}`))
  const dir = options.reportDir.replace(/[\\/]+$/, '')
  out.push(`report: ${dir}/`, ...LOAD_REPORT_FILES.map((f) => `  ${dir}/${f}`))
  return `${out.join('\n')}\n`
}

function tierTable(view: TierView, paint: Painter): string[] {
  const head = ['scenario', ...view.targets.flatMap(() => COLUMNS)]
  const rows = view.scenarios.map((scenario) => [
    plain(scenarioLabel(scenario)),
    ...view.targets.flatMap((target) => {
      const r = rowOf(view, scenario, target)
      return r === undefined
        ? COLUMNS.map(() => '–')
        : [formatCount(r.okPerS), formatPct(r.failPct), msFromUs(r.latency.p50_us), msFromUs(r.latency.p99_us)]
    }),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const gap = '  '
  const group = ' │ '
  const cells = (r: readonly string[], style: (s: string, i: number) => string) =>
    r[0] === undefined
      ? ''
      : [
          style(r[0].padEnd(widths[0] ?? 0), 0),
          ...view.targets.map((_, t) =>
            COLUMNS.map((_, c) => {
              const i = 1 + t * COLUMNS.length + c
              return style((r[i] ?? '').padStart(widths[i] ?? 0), i)
            }).join(gap),
          ),
        ].join(group)
  const blockWidth = (t: number) =>
    COLUMNS.reduce((n, _, c) => n + (widths[1 + t * COLUMNS.length + c] ?? 0), 0) + gap.length * (COLUMNS.length - 1)
  const titles = [' '.repeat(widths[0] ?? 0), ...view.targets.map((t, i) => centre(plain(t), blockWidth(i)))].join(group)
  const failCell = (s: string, i: number) => ((i - 1) % COLUMNS.length === 1 && s.trim() !== '0' && i > 0 ? paint.red(s) : s)
  return [
    paint.bold(`tier ${view.tier} · ${plain(modelLabel(view.model, view.connections, view.rate))}`),
    paint.bold(titles.trimEnd()),
    paint.dim(cells(head, (s) => s)),
    ...rows.map((r, n) => cells(r, (s, i) => (n === 0 && i === 0 ? paint.bold(s) : failCell(s, i)))),
    ...(view.measurements.some((m) => m.load_generator.bound)
      ? [paint.yellow('  ! load generator bound in some rounds: see warnings')]
      : []),
    ...(view.measurements.some((m) => !m.reconciliation.reconciled)
      ? [paint.yellow('  ! counters not reconciled in some rounds: see warnings')]
      : []),
  ]
}

function centre(text: string, width: number): string {
  const label = text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text
  const left = Math.floor((width - label.length) / 2)
  return `${' '.repeat(left)}${label}${' '.repeat(width - label.length - left)}`
}
