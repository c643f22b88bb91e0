import { findingTitle } from '../findings/group-findings.ts'
import type { Divergence, ParityFinding, RunReport } from '../model.ts'
import {
  codeSpan,
  componentTallies,
  describeTarget,
  exitMeaning,
  formatDuration,
  formatMs,
  mdCell,
  mdText,
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
import { latencyOverview } from './latency.ts'

/**
 * `summary.md`: what a reviewer reads in a pull request or CI artefact. Everything is derived
 * from the report, in report order, so it is as stable as `report.json`.
 */
export function renderSummaryMarkdown(report: RunReport, context?: ReportContext): string {
  const sections = [header(report, context), findings(report), outcomes(report), divergences(report), housekeeping(report), latency(report)]
  return `${sections.join('\n\n')}\n`
}

function header(report: RunReport, context: ReportContext | undefined): string {
  const candidates = report.targets.filter((t) => t.name !== report.baseline)
  const baseline = report.targets.find((t) => t.name === report.baseline)
  const lines = [
    `# Parity run ${codeSpan(report.runId)}`,
    '',
    `- **Baseline:** ${baseline === undefined ? codeSpan(report.baseline) : describeTarget(baseline)}`,
    `- **Candidates:** ${candidates.map(describeTarget).join(', ') || '(none)'}`,
    `- **Pairs:** ${report.pairs.map(pairLabel).join(', ') || '(none)'}`,
    `- **Started:** ${report.startedAt} · **duration:** ${formatDuration(report.durationMs)}`,
    `- **Commit:** ${report.commit === undefined ? 'unknown' : codeSpan(report.commit)}`,
    `- **Selection:** ${codeSpan(report.selection.caseDir)}${report.selection.cases === undefined ? '' : ` cases ${codeSpan(report.selection.cases)}`}${
      report.selection.tags.length === 0 ? '' : ` tags ${report.selection.tags.map(codeSpan).join(', ')}`
    }`,
    `- **Settings:** ${mdText(settingsLabel(report.settings))}`,
    `- **Exit code:** ${report.exitCode} — ${exitMeaning(report.exitCode, context)}`,
  ]
  return lines.join('\n')
}

function outcomes(report: RunReport): string {
  const head = `| component | ${TALLY_COLUMNS.map(([, label]) => label).join(' | ')} |`
  const rule = `|---|${TALLY_COLUMNS.map(() => '---:').join('|')}|`
  const rows = componentTallies(report).map(([name, t]) => `| ${mdText(name)} | ${TALLY_COLUMNS.map(([k]) => t[k]).join(' | ')} |`)
  const s = report.summary
  const total = `| **total** | ${TALLY_COLUMNS.map(([k]) => `**${s[k]}**`).join(' | ')} |`
  return ['## Outcomes', '', head, rule, ...rows, total, '', `${s.steps} steps compared.`].join('\n')
}

/** What a reviewer reads first: root causes, most severe then broadest, each with one example. */
function findings(report: RunReport): string {
  const s = report.summary
  const { fresh, known } = splitFindings(report.findings)
  const out = [
    '## Findings',
    '',
    `${s.findings.total} finding(s) — **${s.findings.new} new**, ${s.findings.known} known — group the ${s.divergences.total} divergence(s) by pair, class, normalised path and shape; most severe first, then the broadest. Each divergence is listed under [Divergences](#divergences).`,
  ]
  out.push('', `### New (${fresh.length})`, '', fresh.length === 0 ? '_None._' : findingTable(fresh))
  out.push('', `### Known (${known.length})`, '', known.length === 0 ? '_None._' : findingTable(known))
  return out.join('\n')
}

/** Endpoints named per finding; the rest are counted (report.html and report.json list them all). */
const ENDPOINTS_SHOWN = 4

function findingTable(list: readonly ParityFinding[]): string {
  const head = '| risk | finding | pair | seen | endpoints | example | id | tracker |'
  const rule = '|---|---|---|---|---|---|---|---|'
  const rows = list.map((f) => {
    const e = f.example
    const example = `${codeSpan(e.caseId)} › ${mdText(e.step)}: ${codeSpan(showValue(e.baseline))} → ${codeSpan(showValue(e.candidate))}`
    const cells = [
      f.risk,
      mdCell(codeSpan(findingTitle(f))),
      mdText(pairLabel(f.pair)),
      mdText(seenLabel(f)),
      [
        ...f.endpoints.slice(0, ENDPOINTS_SHOWN).map((p) => `${mdCell(codeSpan(p.endpoint))} ${p.occurrences}/${p.comparisons}`),
        ...(f.endpoints.length > ENDPOINTS_SHOWN ? [`+${f.endpoints.length - ENDPOINTS_SHOWN} more`] : []),
      ].join('<br>'),
      mdCell(example),
      `${mdCell(codeSpan(f.id))} (${f.members.length} divergence${f.members.length === 1 ? '' : 's'})`,
      mdText(f.trackerIds.join(', ')),
    ]
    return `| ${cells.join(' | ')} |`
  })
  return [head, rule, ...rows].join('\n')
}

function divergences(report: RunReport): string {
  const { fresh, known } = splitDivergences(report.divergences)
  const out = [
    '## Divergences',
    '',
    `${report.summary.divergences.total} in total: **${report.summary.divergences.new} new**, ${report.summary.divergences.known} known — every one, case by case; the \`finding\` column names the finding it belongs to.`,
  ]
  out.push('', `### New (${fresh.length})`, '', fresh.length === 0 ? '_None._' : divergenceTable(fresh, false))
  out.push('', `### Known (${known.length})`, '', known.length === 0 ? '_None._' : divergenceTable(known, true))
  return out.join('\n')
}

function divergenceTable(list: readonly Divergence[], withTracker: boolean): string {
  const head = `| id | finding | case | step | pair | class | risk | path | message |${withTracker ? ' tracker |' : ''}`
  const rule = `|---|---|---|---|---|---|---|---|---|${withTracker ? '---|' : ''}`
  const rows = list.map((d) => {
    const cells = [
      mdCell(codeSpan(d.id)),
      mdCell(codeSpan(d.findingId)),
      mdCell(codeSpan(d.caseId)),
      mdText(d.step),
      mdText(pairLabel(d.pair)),
      d.class,
      d.risk,
      mdCell(codeSpan(d.path)),
      mdText(d.message),
      ...(withTracker ? [mdText(d.trackerId ?? '')] : []),
    ]
    return `| ${cells.join(' | ')} |`
  })
  return [head, rule, ...rows].join('\n')
}

function housekeeping(report: RunReport): string {
  const out = ['## Noise, ignore rules and the tracker', '']
  out.push(
    `- **Noise:** ${report.summary.noise} path(s) differed between the two baseline runs; shown greyed in report.html, never counted.`,
  )
  if (report.staleRules.length === 0) out.push('- **Stale ignore rules:** none.')
  else {
    out.push(`- **Stale ignore rules** (matched nothing in this run; remove or fix them): ${report.staleRules.length}`)
    for (const r of report.staleRules) out.push(`  - ${codeSpan(oneLine(r.caseId))}: ${codeSpan(oneLine(r.rule))}`)
  }
  const resolved = report.summary.resolvedTrackerIds
  out.push(
    resolved.length === 0
      ? '- **Resolved tracker rows:** none.'
      : `- **Resolved tracker rows** (their divergence did not occur; \`--update-docs\` marks them): ${resolved.map(codeSpan).join(', ')}`,
  )
  return out.join('\n')
}

function latency(report: RunReport): string {
  const { targets, slowest } = latencyOverview(report)
  const out = ['## Latency per case', '', 'Total of a case’s steps, first run, milliseconds; one sequential pass, not a benchmark.', '']
  out.push('| target | cases | median | p95 |', '|---|---:|---:|---:|')
  for (const t of targets) out.push(`| ${mdText(t.target)} | ${t.cases} | ${formatMs(t.medianMs)} | ${formatMs(t.p95Ms)} |`)
  if (slowest.length > 0) {
    const names = report.targets.map((t) => t.name)
    out.push('', `Slowest ${slowest.length} case(s):`, '')
    out.push(`| case | ${names.map(mdText).join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`)
    for (const c of slowest) out.push(`| ${mdCell(codeSpan(c.caseId))} | ${names.map((n) => formatMs(c.latencyMs[n])).join(' | ')} |`)
  }
  return out.join('\n')
}
