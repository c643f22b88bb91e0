import type { RunReport } from '../model.ts'
import type { ReportContext } from './format.ts'
import { embedJson, escapeHtml } from './html-escape.ts'
import { HTML_SCRIPT_CORE } from './html-script-core.ts'
import { HTML_SCRIPT_UI } from './html-script-ui.ts'
import { renderStaticSummary } from './html-static.ts'
import { HTML_STYLE } from './html-style.ts'

/** id of the `<script type="application/json">` element holding the report. */
export const REPORT_DATA_ELEMENT_ID = 'report-data'

/**
 * `report.html`: one self-contained file that works opened from disk, offline — inline CSS
 * and JS, no external request (the CSP below forbids them, so a regression cannot slip in
 * unnoticed), no server. The summary is plain HTML; the drill-down is built by the script
 * from the report embedded as JSON.
 */
export function renderReportHtml(report: RunReport, context?: ReportContext): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Parity ${escapeHtml(report.runId)} · exit ${report.exitCode}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<div class="wrap">
${renderStaticSummary(report, context)}
<section id="drill">
<h2>Cases</h2>
<noscript><p>The case drill-down (steps, both responses side by side, highlighted paths) needs JavaScript; the tables above and <code>summary.md</code> work without it.</p></noscript>
<div class="drill">
<aside><div id="filters"></div><p id="case-count" class="quiet"></p><ul id="case-list"></ul></aside>
<main id="case-detail"></main>
</div>
</section>
</div>
<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${embedJson(report)}</script>
<script>
'use strict';
${HTML_SCRIPT_CORE}
${HTML_SCRIPT_UI}
</script>
</body>
</html>
`
}
