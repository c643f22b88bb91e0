/**
 * Inline stylesheet of report.html. System fonts only (the page makes no requests), colours
 * as custom properties with a dark variant (the chart script reads `--muted` and `--grid`),
 * and status shown by text as well as colour (`FAIL`, `bound`, `NOT reconciled`).
 */
export const HTML_STYLE = `
:root {
  --bg: #fbfbfa; --fg: #1d1d1f; --muted: #5f6368; --line: #dedede; --grid: #ececec; --panel: #ffffff; --code: #f4f4f2;
  --good: #1a7f37; --bad: #c62828; --warn: #9a6700; --error: #8e24aa; --accent: #0b5cad;
  --bad-bg: #fdecea; --warn-bg: #fff6d6;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16171a; --fg: #e6e6e6; --muted: #a0a0a8; --line: #33353b; --grid: #2a2c31; --panel: #1e2024; --code: #23262b;
    --good: #4ac26b; --bad: #ff6b6b; --warn: #d4a72c; --error: #d68bf0; --accent: #6cb6ff;
    --bad-bg: #3a1d1d; --warn-bg: #3a3112;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.mono, code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.quiet { color: var(--muted); font-size: 13px; max-width: 110ch; }
.wrap { max-width: 1500px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
header.run { border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
.model { font-size: 1.05rem; font-weight: 600; margin: .25rem 0 .5rem; }
.exit { display: inline-block; padding: .15rem .6rem; border-radius: 4px; font-weight: 600; color: #fff; }
.exit-0 { background: var(--good); } .exit-1 { background: var(--bad); } .exit-2 { background: var(--error); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: .75rem 0; }
.card { color: inherit; text-decoration: none; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .4rem .9rem; min-width: 8rem; }
.card .n { font-size: 1.4rem; font-weight: 650; display: block; font-variant-numeric: tabular-nums; }
.card.good .n { color: var(--good); } .card.bad .n { color: var(--bad); } .card.warn .n { color: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
section.warnings { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: .25rem 1rem .5rem; margin-top: 1rem; }
section.warnings h2 { margin-top: .5rem; }
section.tier { border-top: 1px solid var(--line); margin-top: 2rem; }
section.tier > h2 .model-note { font-weight: 400; color: var(--muted); font-size: .95rem; margin-left: .5rem; }
table { border-collapse: collapse; margin: .25rem 0 .5rem; }
th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group td { border-top: 2px solid var(--line); }
td.bad { color: var(--bad); }
tr.warn td { background: var(--warn-bg); }
tr.failed td { background: var(--bad-bg); }
tr.current td { font-weight: 600; }
.warn-note { border-left: 4px solid var(--warn); padding: .2rem .75rem; font-size: 13px; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge.good { color: var(--good); } .badge.bad { color: var(--bad); }
.scroll { overflow-x: auto; max-width: 100%; }
.rounds { display: flex; flex-wrap: wrap; gap: 0 2.5rem; align-items: flex-start; }
.rounds > section { min-width: 0; max-width: 100%; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; margin: 1rem 0; }
@media (max-width: 900px) { .charts { grid-template-columns: minmax(0, 1fr); } }
.chart-box { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem .75rem; min-width: 0; }
.chart-box.wide { grid-column: 1 / -1; }
.chart-box figcaption { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; font-weight: 600; font-size: 14px; margin-bottom: .25rem; }
.chart-box .toggle { font-weight: 400; font-size: 13px; color: var(--muted); white-space: nowrap; }
.chart { position: relative; height: 260px; }
.latency-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: .5rem 1.25rem; }
.latency-one { min-width: 0; }
.latency-title { font-size: 13px; font-weight: 600; text-align: center; overflow-wrap: anywhere; }
.latency-one .chart { height: 220px; }
details.examples summary { cursor: pointer; }
details.examples summary h3 { display: inline; }
td.msg { overflow-wrap: anywhere; min-width: 20rem; }
noscript p { border-left: 4px solid var(--warn); padding: .4rem .75rem; background: var(--panel); }
`
