import { findingTitle } from '../findings/group-findings.ts'
import type { Divergence, ParityFinding, RunReport } from '../model.ts'
import {
  componentTallies,
  describeTarget,
  exitMeaning,
  formatDuration,
  formatMs,
  oneLine,
  pairLabel,
  type ReportContext,
  seenLabel,
  settingsLabel,
  showValue,
  splitDivergences,
  splitFindings,
  TALLY_COLUMNS,
} from './format.ts'
import { escapeHtml as e } from './html-escape.ts'
import { latencyOverview } from './latency.ts'

/**
 * The part of report.html rendered on the server side of the pen: readable with JavaScript
 * off (mail clients, locked-down viewers), and the index the drill-down links into.
 */
export function renderStaticSummary(report: RunReport, context?: ReportContext): string {
  return [header(report, context), findings(report), tallies(report), divergences(report), housekeeping(report)].join('\n')
}

function header(report: RunReport, context: ReportContext | undefined): string {
  const baseline = report.targets.find((t) => t.name === report.baseline)
  const candidates = report.targets.filter((t) => t.name !== report.baseline).map(describeTarget)
  const s = report.summary
  // A count is coloured only when it is non-zero: 0 divergent is good news, not an alarm.
  const card = (n: number, label: string, cls = '') =>
    `<div class="card${n === 0 || cls === '' ? '' : ` ${cls}`}"><span class="n">${n}</span>${e(label)}</div>`
  return `<header class="run">
<h1>Parity run <span class="mono">${e(report.runId)}</span></h1>
<p class="meta">baseline <strong>${e(baseline === undefined ? report.baseline : describeTarget(baseline))}</strong> vs ${e(candidates.join(', ') || '(none)')}
 · started ${e(report.startedAt)} · ${e(formatDuration(report.durationMs))} · commit <span class="mono">${e(report.commit ?? 'unknown')}</span>
 · cases from <span class="mono">${e(report.selection.caseDir)}</span>${report.selection.cases === undefined ? '' : ` matching <span class="mono">${e(report.selection.cases)}</span>`}${
   report.selection.tags.length === 0 ? '' : ` tagged ${e(report.selection.tags.join(', '))}`
 }</p>
<p class="meta">${e(settingsLabel(report.settings))}</p>
<p><span class="exit exit-${report.exitCode}">exit ${report.exitCode}</span> ${e(exitMeaning(report.exitCode, context))}</p>
<div class="cards">
${card(s.findings.new, 'new findings', 'divergent')}${card(s.findings.known, 'known findings', 'known')}
${card(s.cases, 'cases')}${card(s.parity, 'parity', 'parity')}${card(s.known, 'known', 'known')}${card(s.divergent, 'divergent', 'divergent')}${card(s.errors, 'errors', 'error')}
${card(s.divergences.new, 'new divergences', 'divergent')}${card(s.divergences.known, 'known divergences', 'known')}${card(s.noise, 'noise paths')}${card(s.steps, 'steps')}
</div>
</header>`
}

function tallies(report: RunReport): string {
  const s = report.summary
  const rows = componentTallies(report)
    .map(([name, t]) => `<tr><td>${e(name)}</td>${TALLY_COLUMNS.map(([k]) => `<td class="num">${t[k]}</td>`).join('')}</tr>`)
    .join('\n')
  const total = `<tr><th>total</th>${TALLY_COLUMNS.map(([k]) => `<th class="num">${s[k]}</th>`).join('')}</tr>`
  const { targets, slowest } = latencyOverview(report)
  const names = report.targets.map((t) => t.name)
  const latency = targets
    .map(
      (t) =>
        `<tr><td>${e(t.target)}</td><td class="num">${t.cases}</td><td class="num">${formatMs(t.medianMs)}</td><td class="num">${formatMs(t.p95Ms)}</td></tr>`,
    )
    .join('\n')
  const slow = slowest
    .map(
      (c) =>
        `<tr><td><a class="mono" href="#case=${e(encodeURIComponent(c.caseId))}">${e(c.caseId)}</a></td>${names.map((n) => `<td class="num">${formatMs(c.latencyMs[n])}</td>`).join('')}</tr>`,
    )
    .join('\n')
  const classes =
    Object.entries(s.byClass)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${e(k)} ${n}`)
      .join(' · ') || 'none'
  const risks =
    Object.entries(s.byRisk)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${e(k)} ${n}`)
      .join(' · ') || 'none'
  return `<div class="grid2">
<section><h2>Outcomes by component</h2>
<table class="tally"><thead><tr><th>component</th>${TALLY_COLUMNS.map(([, l]) => `<th class="num">${l}</th>`).join('')}</tr></thead>
<tbody>${rows}\n${total}</tbody></table>
<p>Divergences by class: ${classes}<br>by risk: ${risks}</p></section>
<section><h2>Latency per case (ms)</h2>
<table class="tally"><thead><tr><th>target</th><th class="num">cases</th><th class="num">median</th><th class="num">p95</th></tr></thead><tbody>${latency}</tbody></table>
${slowest.length === 0 ? '' : `<table class="tally"><thead><tr><th>slowest cases</th>${names.map((n) => `<th class="num">${e(n)}</th>`).join('')}</tr></thead><tbody>${slow}</tbody></table>`}
<p class="quiet">Total of a case’s steps, first run; one sequential pass, not a benchmark.</p></section>
</div>`
}

/** Root causes first: what a reviewer reads before anything else; each links to its example case. */
function findings(report: RunReport): string {
  const { fresh, known } = splitFindings(report.findings)
  const s = report.summary
  return `<section id="findings"><h2>Findings</h2>
<p>${s.findings.total} finding(s) group the ${s.divergences.total} divergence(s) by pair, class, normalised path and shape — most severe first, then the broadest. Each links to its first occurrence; every divergence is listed under <a href="#divergences">Divergences</a>.</p>
<h3>New (${fresh.length})</h3>${fresh.length === 0 ? '<p class="quiet">None.</p>' : findingTable(fresh)}
${known.length === 0 ? '' : `<details><summary><h3 style="display:inline">Known (${known.length})</h3></summary>${findingTable(known)}</details>`}</section>`
}

/** Endpoints listed before the rest fold away: the busiest ones say where to look. */
const ENDPOINTS_SHOWN = 4

function findingTable(list: readonly ParityFinding[]): string {
  const rows = list
    .map((f) => {
      const x = f.example
      const line = (p: ParityFinding['endpoints'][number]) => `<span class="mono">${e(p.endpoint)}</span> ${p.occurrences}/${p.comparisons}`
      const shown = f.endpoints.slice(0, ENDPOINTS_SHOWN).map(line).join('<br>')
      const rest = f.endpoints.slice(ENDPOINTS_SHOWN)
      const endpoints =
        rest.length === 0 ? shown : `${shown}<details><summary>${rest.length} more</summary>${rest.map(line).join('<br>')}</details>`
      const members = f.members.map((id) => `<span class="mono">${e(id)}</span>`).join(' ')
      return `<tr><td data-label="risk"><span class="badge ${e(f.risk)}">${e(f.risk)}</span></td>
<td data-label="finding"><span class="mono">${e(findingTitle(f))}</span><br><span class="quiet">${e(pairLabel(f.pair))} · ${e(f.components.join(', '))}</span></td>
<td data-label="seen" class="nowrap">${e(seenLabel(f))}</td><td data-label="endpoints">${endpoints}</td>
<td data-label="example"><a class="mono" href="#case=${e(encodeURIComponent(x.caseId))}">${e(x.caseId)}</a> › ${e(x.step)}<br><span class="mono">${e(showValue(x.baseline))}</span> → <span class="mono">${e(showValue(x.candidate))}</span></td>
<td data-label="id"><details><summary class="mono nowrap">${e(f.id)}</summary>${f.members.length} divergence(s): ${members}</details>${f.trackerIds.length === 0 ? '' : `<span class="quiet">${e(f.trackerIds.join(', '))}</span>`}</td></tr>`
    })
    .join('\n')
  return `<div class="scroll"><table class="divs findings"><thead><tr><th>risk</th><th>finding</th><th>seen</th><th>endpoints</th><th>example</th><th>id</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}

/** Every divergence, case by case: the evidence behind the findings, one click away. */
function divergences(report: RunReport): string {
  const { fresh, known } = splitDivergences(report.divergences)
  return `<section id="divergences"><details><summary><h2 style="display:inline">Divergences (${fresh.length} new, ${known.length} known)</h2></summary>
<h3>New (${fresh.length})</h3>${fresh.length === 0 ? '<p class="quiet">None.</p>' : divergenceTable(fresh)}
<h3>Known (${known.length})</h3>${known.length === 0 ? '<p class="quiet">None.</p>' : divergenceTable(known)}</details></section>`
}

function divergenceTable(list: readonly Divergence[]): string {
  const rows = list
    .map(
      (
        d,
      ) => `<tr><td data-label="id" class="mono nowrap">${e(d.id)}<br><span class="quiet">${e(d.findingId)}</span>${d.trackerId === undefined ? '' : `<br><span class="quiet">${e(d.trackerId)}</span>`}</td>
<td data-label="case"><a class="mono" href="#case=${e(encodeURIComponent(d.caseId))}">${e(d.caseId)}</a></td><td data-label="step">${e(d.step)}</td><td data-label="pair" class="nowrap">${e(pairLabel(d.pair))}</td>
<td data-label="class">${e(d.class)}</td><td data-label="risk"><span class="badge ${e(d.risk)}">${e(d.risk)}</span></td><td data-label="path" class="mono">${e(d.path)}</td>
<td data-label="baseline" class="mono">${e(showValue(d.baseline))}</td><td data-label="candidate" class="mono">${e(showValue(d.candidate))}</td><td data-label="message">${e(oneLine(d.message))}</td></tr>`,
    )
    .join('\n')
  return `<div class="scroll"><table class="divs"><thead><tr><th>id</th><th>case</th><th>step</th><th>pair</th><th>class</th><th>risk</th><th>path</th><th>baseline</th><th>candidate</th><th>message</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}

function housekeeping(report: RunReport): string {
  const stale =
    report.staleRules.length === 0
      ? '<p class="quiet">No stale ignore rules.</p>'
      : `<p>Stale ignore rules (matched nothing in this run; remove or fix them):</p><ul>${report.staleRules
          .map((r) => `<li><span class="mono">${e(r.caseId)}</span>: <code>${e(r.rule)}</code></li>`)
          .join('')}</ul>`
  const resolved = report.summary.resolvedTrackerIds
  const tracker =
    resolved.length === 0
      ? '<p class="quiet">No tracker row resolved by this run.</p>'
      : `<p>Tracker rows whose divergence did not occur (<code>--update-docs</code> marks them resolved): ${resolved.map((id) => `<span class="mono">${e(id)}</span>`).join(', ')}</p>`
  return `<section><h2>Noise, ignore rules and the tracker</h2>
<p>${report.summary.noise} noise path(s) differed between the two baseline runs: shown greyed in the drill-down, never counted.</p>
${stale}
${tracker}</section>`
}
