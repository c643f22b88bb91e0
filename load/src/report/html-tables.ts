import { escapeHtml as e } from '@lakehouse/parity'
import { formatCount } from '../analysis/index.ts'
import type { LoadReport } from '../model.ts'
import {
  ALL_SCENARIOS,
  EXIT_CODE_MEANINGS,
  formatFailures,
  formatThresholdValue,
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
import type { TierView } from './tier-view.ts'

/**
 * The page's HTML written on the server side: readable with JavaScript off and the same
 * figures as summary.md (both draw on sections.ts and the tier views). Every interpolated
 * string goes through escapeHtml.
 */

export function headerHtml(report: LoadReport): string {
  const failed = report.thresholds.filter((t) => !t.pass).length
  const facts = runFacts(report)
    .filter(([label]) => label !== 'Exit code')
    .map(([label, value]) => `<dt>${e(label)}</dt><dd>${e(value)}</dd>`)
    .join('')
  const card = (n: number, label: string, cls = '', href = '') =>
    `<a class="card ${cls}"${href === '' ? '' : ` href="${href}"`}><span class="n">${n}</span>${e(label)}</a>`
  return `<header class="run">
<h1>Load run <span class="mono">${e(report.run_id)}</span></h1>
<p class="model">${e(settingsModelLabel(report.settings))}</p>
<p><span class="exit exit-${report.exit_code}">exit ${report.exit_code}</span> ${e(EXIT_CODE_MEANINGS[report.exit_code])}</p>
<div class="cards">${card(report.thresholds.length - failed, 'thresholds passed', 'good', '#thresholds')}${card(
    failed,
    'thresholds failed',
    failed > 0 ? 'bad' : '',
    '#thresholds',
  )}${card(report.warnings.length, 'warnings', report.warnings.length > 0 ? 'warn' : '', report.warnings.length > 0 ? '#warnings' : '')}${card(report.measurements.length, 'measurements')}</div>
<dl class="facts">${facts}</dl>
</header>`
}

export function warningsHtml(report: LoadReport): string {
  if (report.warnings.length === 0) return ''
  return `<section class="warnings" id="warnings"><h2>Warnings</h2><p>Read these before trusting the figures below.</p><ul>${report.warnings
    .map((w) => `<li>${e(w)}</li>`)
    .join('')}</ul></section>`
}

export function scenarioTableHtml(view: TierView): string {
  const rows = view.rows
    .map((r) => {
      const l = r.latency
      const name = r.scenario === ALL_SCENARIOS ? `<strong>${e(scenarioLabel(r.scenario))}</strong>` : e(r.scenario)
      const first = r.target === view.targets[0]
      return `<tr${first ? ' class="group"' : ''}><td>${first ? name : ''}</td><td>${e(r.target)}</td><td class="num">${formatCount(r.okPerS)}</td><td class="num">${formatCount(r.ok + r.failed)}</td><td class="num${r.failed > 0 ? ' bad' : ''}">${e(formatFailures(r.failPct, r.failures))}</td>${[
        l.p50_us,
        l.p90_us,
        l.p99_us,
        l.p999_us,
        l.max_us,
      ]
        .map((v) => `<td class="num">${msFromUs(v)}</td>`)
        .join('')}<td class="num">${msFromUs(r.latencyOk.p99_us)}</td></tr>`
    })
    .join('\n')
  return `<div class="scroll"><table class="scenarios"><thead><tr><th>scenario</th><th>target</th><th class="num">scenarios/s</th><th class="num">count</th><th class="num">fail %</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th><th class="num">ok-only p99</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="quiet">Latency in ms from a scenario's first request to its last response${
    view.model === 'open' ? ' (counted from the intended start)' : ''
  }, percentiles over every round's scenarios together; scenarios/s is the median over rounds of ok scenarios per second; fail % of finished scenarios, causes in brackets.</p>`
}

export function comparisonHtml(view: TierView): string {
  const table = comparisonRows(view)
  if (table === undefined) return ''
  const rows = table.rows
    .map(
      (r) =>
        `<tr><td>${e(r.scenario)}</td><td>${e(r.metric)}</td>${r.values.map((v) => `<td class="num">${e(v)}</td>`).join('')}<td class="num">${e(r.p)}</td><td>${
          r.better === undefined ? e(r.verdict) : `<span class="badge good">${e(r.verdict)}</span>`
        }</td></tr>`,
    )
    .join('\n')
  return `<h3>${e(table.title)}</h3>
<div class="scroll"><table><thead><tr><th>scenario</th><th>metric</th>${table.targets.map((t) => `<th class="num">${e(t)}</th>`).join('')}<th class="num">p</th><th>verdict</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="quiet">${e(table.note)}</p>`
}

export function roundsHtml(view: TierView): string {
  const rows = measurementRows(view)
  const columns = resourceColumns(view)
  const resources = rows
    .map(
      (r) =>
        `<tr${r.bound ? ' class="warn"' : ''}>${r.resources.map((c, i) => `<td${i < 1 ? '' : ' class="num"'}>${e(c)}</td>`).join('')}</tr>`,
    )
    .join('\n')
  const checks = rows
    .map(
      (r) =>
        `<tr>${r.checks.map((c, i) => `<td${i === 1 ? ' class="num"' : i === 3 && !r.reconciled ? ' class="bad"' : ''}>${e(c)}</td>`).join('')}</tr>`,
    )
    .join('\n')
  const bound = rows.some((r) => r.bound) ? `<p class="warn-note">${e(BOUND_NOTE)}</p>` : ''
  return `<div class="rounds">
<section><h3>Server and load generator</h3>
<div class="scroll"><table><thead><tr>${columns.map((c, i) => `<th${i < 1 ? '' : ' class="num"'}>${e(c)}</th>`).join('')}</tr></thead><tbody>${resources}</tbody></table></div>${bound}</section>
<section><h3>Consistency</h3>
<div class="scroll"><table><thead><tr>${CHECK_COLUMNS.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead><tbody>${checks}</tbody></table></div>
<p class="quiet">${e(LITTLE_NOTE)}</p></section>
</div>`
}

export function failureExamplesHtml(view: TierView): string {
  const { rows, more } = failureExampleRows(view)
  if (rows.length === 0) return ''
  const body = rows
    .map(
      (x) =>
        `<tr><td>${e(x.target)}</td><td class="num">${e(x.rounds)}</td><td>${e(x.where)}</td><td>${e(x.cause)}</td><td class="mono msg">${e(x.message)}</td></tr>`,
    )
    .join('\n')
  return `<details class="examples"><summary><h3>Failure examples (${rows.length + more})</h3></summary>
<div class="scroll"><table><thead><tr>${FAILURE_EXAMPLE_COLUMNS.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>
<p class="quiet">The first failures each round recorded, identical ones folded${more > 0 ? `; ${more} more in report.json` : ''}.</p></details>`
}

export function thresholdsHtml(report: LoadReport): string {
  if (report.thresholds.length === 0)
    return '<section id="thresholds"><h2>Thresholds</h2><p class="quiet">The mix sets no thresholds.</p></section>'
  const rows = report.thresholds
    .map(
      (t) =>
        `<tr${t.pass ? '' : ' class="failed"'}><td>${e(scenarioLabel(t.scenario))}</td><td>${e(t.target)}</td><td class="num">${t.tier}</td><td class="mono">${e(
          t.threshold,
        )}</td><td class="num">${e(formatThresholdValue(t.threshold, t.value))}</td><td><span class="badge ${t.pass ? 'good' : 'bad'}">${
          t.pass ? 'pass' : 'FAIL'
        }</span></td></tr>`,
    )
    .join('\n')
  return `<section id="thresholds"><h2>Thresholds</h2>
<table><thead><tr><th>scenario</th><th>target</th><th class="num">tier</th><th>threshold</th><th class="num">measured</th><th>result</th></tr></thead><tbody>${rows}</tbody></table>
<p class="quiet">Measured values are medians over rounds.</p></section>`
}

export function exitCodesHtml(report: LoadReport): string {
  const rows = ([0, 1, 2] as const)
    .map((c) => `<tr${c === report.exit_code ? ' class="current"' : ''}><td class="num">${c}</td><td>${e(EXIT_CODE_MEANINGS[c])}</td></tr>`)
    .join('')
  return `<section><h2>Exit codes</h2><table><thead><tr><th class="num">code</th><th>meaning</th></tr></thead><tbody>${rows}</tbody></table></section>`
}
