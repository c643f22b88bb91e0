/**
 * `live.html`: the page to keep open during a shadow run. It reloads itself (meta refresh) and
 * loads nothing else — no script, no stylesheet, no font — so it works from the file system
 * and from the proxy (`/__parity/live`) alike. The full reports sit next to it.
 */
import { findingTitle, ratio } from '../findings/group-findings.ts'
import type { RunReport } from '../model.ts'
import { escapeHtml } from '../report/html-escape.ts'
import type { ShadowCounters } from './shadow-counters.ts'

const TOP_FINDINGS = 10

export interface LivePageInput {
  readonly report: RunReport
  readonly counters: ShadowCounters
  readonly urls: { readonly primary: string; readonly candidate: string; readonly secondary?: string }
  /** Seconds between reloads. */
  readonly refresh: number
  /** Still running (false: the final page, which stops reloading). */
  readonly live: boolean
  readonly updatedAt: Date
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.2rem .7rem;text-align:left;border-bottom:1px solid #ddd}
td.n{text-align:right;font-variant-numeric:tabular-nums}.breaking{color:#b00020}.medium{color:#a05a00}.additive{color:#256029}
code{background:#f3f3f3;padding:0 .2rem}.dim{color:#777}`

export function renderLivePage(input: LivePageInput): string {
  const { report, counters: c, urls } = input
  const s = report.summary
  const rows: [string, number][] = [
    ['requests answered by the primary', c.requests],
    ['mirrored', c.mirrored],
    ['dropped (mirror queue full)', c.dropped],
    ['not mirrored: unsafe method', c.skippedUnsafe],
    ['not mirrored: body over the copy limit', c.skippedLarge],
    ['primary errors (client got 502)', c.primaryErrors],
    ['mirror errors', c.mirrorErrors],
    ['mirror timeouts (of the errors)', c.mirrorTimeouts],
    ['abandoned at stop (of the errors)', c.abandoned],
    ['compared', c.compared],
    ['in the report (as of its last rewrite)', report.cases.length],
    ['findings new', s.findings.new],
    ['findings total', s.findings.total],
    ['divergences new', s.divergences.new],
    ['noise (primary vs secondary)', s.noise],
  ]
  const findings = report.findings.filter((f) => !f.known).slice(0, TOP_FINDINGS)
  const findingRows = findings
    .map(
      (f) =>
        `<tr><td class="${f.risk}">${f.risk}</td><td><code>${escapeHtml(findingTitle(f))}</code></td><td class="n">${escapeHtml(ratio(f))}</td><td>${escapeHtml(
          f.endpoints
            .slice(0, 3)
            .map((e) => e.endpoint)
            .join(', '),
        )}</td><td>${escapeHtml(f.example.message)}</td><td class="dim">${escapeHtml(f.id)}</td></tr>`,
    )
    .join('\n')
  const refresh = input.live ? `<meta http-equiv="refresh" content="${input.refresh}">` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}
<title>parity shadow ${escapeHtml(report.runId)}</title><style>${STYLE}</style></head>
<body>
<h1>parity shadow ${escapeHtml(report.runId)} <span class="dim">${input.live ? 'running' : 'stopped'}</span></h1>
<p>primary <code>${escapeHtml(urls.primary)}</code> · candidate <code>${escapeHtml(urls.candidate)}</code> · ${
    urls.secondary === undefined ? 'no secondary: nothing is noise' : `secondary <code>${escapeHtml(urls.secondary)}</code> (noise)`
  }<br><span class="dim">updated ${escapeHtml(input.updatedAt.toISOString())}${input.live ? ` · reloads every ${input.refresh} s` : ''} · full reports: report.html, summary.md, report.json, junit.xml beside this page</span></p>
<table>${rows.map(([label, n]) => `<tr><td>${label}</td><td class="n">${n}</td></tr>`).join('')}</table>
<h2>Top new findings</h2>
${findings.length === 0 ? '<p class="dim">none</p>' : `<table><tr><th>risk</th><th>finding</th><th>requests</th><th>endpoints</th><th>example</th><th>id</th></tr>\n${findingRows}</table>`}
${c.lastErrors.length === 0 ? '' : `<h2>Last mirror errors</h2><ul>${c.lastErrors.map((e) => `<li><code>${escapeHtml(e)}</code></li>`).join('')}</ul>`}
</body></html>
`
}
