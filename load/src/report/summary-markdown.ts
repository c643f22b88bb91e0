import { mdText } from '@lakehouse/parity'
import { formatCount } from '../analysis/index.ts'
import type { LoadReport } from '../model.ts'
import {
  EXIT_CODE_MEANINGS,
  formatFailures,
  formatThresholdValue,
  modelLabel,
  msFromUs,
  scenarioLabel,
  settingsModelLabel,
} from './format.ts'
import {
  BOUND_NOTE,
  CHECK_COLUMNS,
  comparisonRows,
  FAILURE_EXAMPLE_COLUMNS,
  failureExampleRows,
  LITTLE_NOTE,
  measurementRows,
  resourceColumns,
  runFacts,
} from './sections.ts'
import { type TierView, tierViews } from './tier-view.ts'

/**
 * `summary.md`: what a reviewer reads in a pull request or CI artefact. Every figure is
 * derived from the report (through the same tier views as the page and the terminal), in
 * report order, so it is as stable as `report.json`.
 */
export function renderSummaryMarkdown(report: LoadReport): string {
  const sections = [header(report), warnings(report), ...tierViews(report).map(tier), thresholds(report), exitCodes(report)]
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`
}

function header(report: LoadReport): string {
  const facts = runFacts(report).map(([label, value]) => `- **${label}:** ${mdText(value)}`)
  return [`# Load run ${mdText(report.run_id)}`, '', `**${mdText(settingsModelLabel(report.settings))}**`, '', ...facts].join('\n')
}

function warnings(report: LoadReport): string {
  if (report.warnings.length === 0) return ''
  return ['## Warnings', '', 'Read these before trusting the figures below.', '', ...report.warnings.map((w) => `- ⚠ ${mdText(w)}`)].join(
    '\n',
  )
}

function tier(view: TierView): string {
  const out = [`## Tier ${view.tier} — ${mdText(modelLabel(view.model, view.connections, view.rate))}`, '']
  out.push('### Scenarios', '')
  out.push(
    `Latency in ms from the scenario's first request to its last response${
      view.model === 'open' ? ' (counted from the intended start)' : ''
    }, percentiles over every round's scenarios together; scenarios/s is the median over rounds of ok scenarios per second; fail % of finished scenarios, causes in brackets.`,
    '',
  )
  out.push('| scenario | target | scenarios/s | count | fail % | p50 | p90 | p99 | p99.9 | max | ok-only p99 |')
  out.push('|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|')
  for (const r of view.rows) {
    const name = r.scenario === view.scenarios[0] ? `**${scenarioLabel(r.scenario)}**` : mdText(r.scenario)
    const l = r.latency
    out.push(
      `| ${name} | ${mdText(r.target)} | ${formatCount(r.okPerS)} | ${formatCount(r.ok + r.failed)} | ${formatFailures(r.failPct, r.failures)} | ${msFromUs(l.p50_us)} | ${msFromUs(l.p90_us)} | ${msFromUs(l.p99_us)} | ${msFromUs(l.p999_us)} | ${msFromUs(l.max_us)} | ${msFromUs(r.latencyOk.p99_us)} |`,
    )
  }
  const comparison = comparisonRows(view)
  if (comparison !== undefined) {
    out.push('', `### ${mdText(comparison.title)}`, '', mdText(comparison.note), '')
    out.push(`| scenario | metric | ${comparison.targets.map(mdText).join(' | ')} | p | verdict |`)
    out.push(`|---|---|${comparison.targets.map(() => '---:').join('|')}|---:|---|`)
    for (const row of comparison.rows) {
      const verdict = row.better === undefined ? row.verdict : `**${mdText(row.verdict)}**`
      out.push(`| ${mdText(row.scenario)} | ${mdText(row.metric)} | ${row.values.map(mdText).join(' | ')} | ${row.p} | ${verdict} |`)
    }
  }
  const rows = measurementRows(view)
  out.push('', '### Server and load generator', '')
  const columns = resourceColumns(view)
  out.push(
    `| ${columns.join(' | ')} |`,
    `|---|---:|${columns
      .slice(2)
      .map(() => '---:')
      .join('|')}|`,
  )
  for (const r of rows) out.push(`| ${r.resources.map(mdText).join(' | ')} |`)
  if (rows.some((r) => r.bound)) {
    out.push('', `⚠ ${mdText(BOUND_NOTE)}`)
  }
  out.push('', '### Consistency', '', LITTLE_NOTE, '')
  out.push(
    `| ${CHECK_COLUMNS.join(' | ')} |`,
    `|---|---:|${CHECK_COLUMNS.slice(2)
      .map(() => '---')
      .join('|')}|`,
  )
  for (const r of rows) out.push(`| ${r.checks.map(mdText).join(' | ')} |`)
  const examples = failureExampleRows(view)
  if (examples.rows.length > 0) {
    out.push('', '### Failure examples', '', 'The first failures each round recorded, identical ones folded.', '')
    out.push(`| ${FAILURE_EXAMPLE_COLUMNS.join(' | ')} |`, `|---|---|---|---|---|`)
    for (const x of examples.rows) out.push(`| ${[x.target, x.rounds, x.where, x.cause, x.message].map(mdText).join(' | ')} |`)
    if (examples.more > 0) out.push('', `… ${examples.more} more in report.json (\`measurements[].failure_examples\`).`)
  }
  return out.join('\n')
}

function thresholds(report: LoadReport): string {
  const out = ['## Thresholds', '']
  if (report.thresholds.length === 0) return [...out, '_The mix sets no thresholds._'].join('\n')
  const failed = report.thresholds.filter((t) => !t.pass).length
  out.push(`${report.thresholds.length - failed} passed, ${failed} failed. Measured values are medians over rounds.`, '')
  out.push('| scenario | target | tier | threshold | measured | result |', '|---|---|---:|---|---:|---|')
  for (const t of report.thresholds) {
    out.push(
      `| ${mdText(scenarioLabel(t.scenario))} | ${mdText(t.target)} | ${t.tier} | ${mdText(t.threshold)} | ${mdText(formatThresholdValue(t.threshold, t.value))} | ${t.pass ? 'pass' : '**FAIL**'} |`,
    )
  }
  return out.join('\n')
}

function exitCodes(report: LoadReport): string {
  const out = ['## Exit code', '', `This run: **${report.exit_code}** — ${EXIT_CODE_MEANINGS[report.exit_code]}.`, '']
  out.push('| code | meaning |', '|---:|---|')
  for (const code of [0, 1, 2] as const) out.push(`| ${code} | ${EXIT_CODE_MEANINGS[code]} |`)
  return out.join('\n')
}
