/**
 * Inline stylesheet of the report page. System fonts only (no web fonts: the page makes no
 * requests), colours as custom properties with a dark variant, and mark colours that remain
 * distinguishable without colour (each marked line also carries a text label).
 */
export const HTML_STYLE = `
:root {
  --bg: #fbfbfa; --fg: #1d1d1f; --muted: #6b6b70; --line: #dedede; --panel: #ffffff; --code: #f4f4f2;
  --parity: #1a7f37; --known: #9a6700; --divergent: #c62828; --error: #8e24aa;
  --mark-new: #ffd7d5; --mark-known: #fff1c2; --mark-noise: #e9e9ec; --accent: #0b5cad;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16171a; --fg: #e6e6e6; --muted: #9a9aa2; --line: #33353b; --panel: #1e2024; --code: #23262b;
    --parity: #4ac26b; --known: #d4a72c; --divergent: #ff6b6b; --error: #d68bf0;
    --mark-new: #5c1f1f; --mark-known: #4d3d0f; --mark-noise: #2e3036; --accent: #6cb6ff;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0 0 .5rem; }
.mono, code, .code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.quiet { color: var(--muted); }
.wrap { max-width: 1600px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
header.run { border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
header.run .meta { color: var(--muted); margin: .25rem 0; }
.exit { display: inline-block; padding: .15rem .6rem; border-radius: 4px; font-weight: 600; color: #fff; }
.exit-0 { background: var(--parity); } .exit-1 { background: var(--divergent); } .exit-2 { background: var(--error); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.card .n { font-size: 1.5rem; font-weight: 650; display: block; font-variant-numeric: tabular-nums; }
.card.parity .n { color: var(--parity); } .card.known .n { color: var(--known); }
.card.divergent .n { color: var(--divergent); } .card.error .n { color: var(--error); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(380px, 100%), 1fr)); gap: 0 2rem; }
.grid2 > section { min-width: 0; }
table { border-collapse: collapse; margin: .25rem 0 1rem; }
th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td a.mono { overflow-wrap: anywhere; }
table.divs { width: 100%; }
table.divs td { max-width: 28rem; overflow-wrap: break-word; }
table.divs td.mono:not(.nowrap) { overflow-wrap: anywhere; min-width: 7rem; }
table.divs td:last-child { min-width: 12rem; }
.nowrap { white-space: nowrap; }
.scroll { overflow-x: auto; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.badge.parity { color: var(--parity); } .badge.known, .badge.medium { color: var(--known); }
.badge.divergent, .badge.breaking { color: var(--divergent); } .badge.error { color: var(--error); }
.badge.additive { color: var(--muted); }
.drill { display: grid; grid-template-columns: minmax(300px, 360px) 1fr; gap: 1.5rem; margin-top: 1rem; align-items: start; }
@media (max-width: 900px) { .drill { grid-template-columns: 1fr; } }
.drill aside { position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; }
#filters input[type=search] { width: 100%; padding: .35rem .5rem; font: inherit; margin-bottom: .5rem; }
#filters fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 .5rem; padding: .25rem .5rem; }
#filters legend { font-size: 12px; color: var(--muted); padding: 0 .25rem; }
#filters .check { display: inline-block; margin-right: .6rem; font-size: 13px; white-space: nowrap; }
#filters .select { display: block; margin-bottom: .5rem; font-size: 13px; }
.hint { font-size: 12px; color: var(--muted); margin: 0 0 .5rem; }
#case-list { list-style: none; padding: 0; margin: .5rem 0 0; }
#case-list li { border-top: 1px solid var(--line); }
.case-link { display: block; padding: .4rem .25rem; text-decoration: none; color: var(--fg); }
.case-link:hover, .case-link.current { background: var(--code); }
.case-id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
.case-meta { display: block; font-size: 12px; color: var(--muted); }
#case-detail { min-width: 0; }
.step { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
.panel { min-width: 0; border: 1px solid var(--line); border-radius: 4px; }
.panel-head { padding: .35rem .6rem; border-bottom: 1px solid var(--line); background: var(--code); }
.panel details.headers { padding: .25rem .6rem; border-bottom: 1px solid var(--line); font-size: 13px; }
.panel details.headers table { width: 100%; margin: .25rem 0; }
.code { background: var(--code); padding: .5rem 0; overflow-x: auto; margin: 0; }
.ln .txt { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
pre.code { padding: .5rem .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.code.empty { padding: .5rem .75rem; color: var(--muted); }
.ln { display: flex; justify-content: space-between; gap: 1rem; padding: 0 .75rem; min-height: 1.4em; }
.ln .tag, td.tag { font-family: system-ui, sans-serif; font-size: 11px; font-weight: 600; color: var(--muted); white-space: nowrap; }
.mark-new { background: var(--mark-new); } .mark-new .tag, .mark-new td.tag { color: var(--divergent); }
.mark-known { background: var(--mark-known); } .mark-known .tag { color: var(--known); }
.mark-noise { background: var(--mark-noise); color: var(--muted); }
.mark-ignored { opacity: .55; }
[class*="mark-absent-"] { box-shadow: inset 3px 0 0 var(--divergent); }
.mark-absent-known { box-shadow: inset 3px 0 0 var(--known); }
.mark-absent-noise, .mark-absent-ignored { box-shadow: inset 3px 0 0 var(--muted); }
.trunc { color: var(--muted); font-style: italic; }
.error-box { border-left: 4px solid var(--error); background: var(--code); padding: .4rem .75rem; }
details.findings { margin: .25rem 0 .75rem; font-size: 13px; }
details.findings.noise summary, details.findings.ignored summary { color: var(--muted); }
/* Narrow screens (a phone, 400 px): nothing scrolls sideways. Count tables tighten; divergence
   tables stack, one block per divergence, each cell labelled by its column (data-label). */
@media (max-width: 640px) {
  .wrap { padding: 1rem .75rem 2rem; }
  th, td { padding: .25rem .35rem; }
  table.tally { font-size: 12.5px; }
  table.tally th, table.tally td { padding: .25rem .25rem; }
  table.tally td:first-child, table.tally th:first-child { padding-left: 0; }
  .scroll { overflow-x: visible; }
  table.divs, table.divs tbody, table.divs tr, table.divs td { display: block; width: auto; max-width: none; min-width: 0; }
  table.divs td.mono:not(.nowrap), table.divs td:last-child { min-width: 0; }
  table.divs thead { display: none; }
  table.divs tr { border-bottom: 2px solid var(--line); padding: .35rem 0; }
  table.divs td { border: 0; padding: .1rem .25rem; overflow-wrap: anywhere; }
  table.divs td.nowrap { white-space: normal; }
  table.divs td[data-label]::before { content: attr(data-label); display: inline-block; min-width: 5.5rem; padding-right: .5rem; color: var(--muted); font: 12px system-ui, sans-serif; }
  .side-by-side { grid-template-columns: 1fr; }
  .ln { gap: .5rem; padding: 0 .5rem; }
}
noscript p { border-left: 4px solid var(--known); padding: .4rem .75rem; background: var(--panel); }
`
