import { escapeHtml as e, embedJson } from '@lakehouse/parity'
import type { LoadReport } from '../model.ts'
import { chartJsSource } from './chart-js.ts'
import { modelLabel } from './format.ts'
import { chartData, chartsHtml } from './html-charts.ts'
import { HTML_SCRIPT } from './html-script.ts'
import { HTML_STYLE } from './html-style.ts'
import {
  comparisonHtml,
  exitCodesHtml,
  failureExamplesHtml,
  headerHtml,
  roundsHtml,
  scenarioTableHtml,
  thresholdsHtml,
  warningsHtml,
} from './html-tables.ts'
import { tierViews } from './tier-view.ts'

/** id of the `<script type="application/json">` element holding report.json. */
export const LOAD_REPORT_DATA_ELEMENT_ID = 'report-data'
/** id of the element holding what the charts draw (percentiles decoded from the histograms, samples as columns). */
export const LOAD_CHART_DATA_ELEMENT_ID = 'chart-data'

/**
 * `report.html`: one self-contained file that works opened from disk, offline — inline CSS,
 * the Chart.js UMD build inlined, no external request (the CSP below forbids them, so a
 * regression cannot slip in unnoticed), no server. Tables are plain HTML (readable with
 * JavaScript off); the charts are drawn by the page script from the chart data block. The
 * whole report is embedded too, for anyone who wants the numbers behind a chart.
 */
export function renderReportHtml(report: LoadReport): string {
  const tiers = tierViews(report)
    .map(
      (view, index) => `<section class="tier" id="tier-${view.tier}">
<h2>Tier ${view.tier} <span class="model-note">${e(modelLabel(view.model, view.connections, view.rate))}</span></h2>
${scenarioTableHtml(view)}
${chartsHtml(view, index)}
${comparisonHtml(view)}
${roundsHtml(view)}
${failureExamplesHtml(view)}
</section>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Load ${e(report.run_id)} · ${e(report.mix.name)} · exit ${report.exit_code}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<div class="wrap">
${headerHtml(report)}
${warningsHtml(report)}
<noscript><p>The charts need JavaScript; every figure they draw is also in the tables and in <code>summary.md</code>.</p></noscript>
${tiers}
${thresholdsHtml(report)}
${exitCodesHtml(report)}
</div>
<script type="application/json" id="${LOAD_REPORT_DATA_ELEMENT_ID}">${embedJson(report)}</script>
<script type="application/json" id="${LOAD_CHART_DATA_ELEMENT_ID}">${embedJson(chartData(report))}</script>
<script>
${chartJsSource()}
</script>
<script>
${HTML_SCRIPT}
</script>
</body>
</html>
`
}
