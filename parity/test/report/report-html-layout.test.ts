import { describe, expect, it } from 'vitest'
import { HTML_SCRIPT_UI } from '../../src/report/html-script-ui.ts'
import { HTML_STYLE } from '../../src/report/html-style.ts'
import { renderReportHtml } from '../../src/report/index.ts'
import { buildReport, FIXTURE_CASES } from './fixture-report.ts'

const staticPart = (html: string) => html.slice(0, html.indexOf('<script'))

describe('report page: counts and narrow screens', () => {
  it('colours a count card only when the count is not zero', () => {
    const clean = staticPart(renderReportHtml(buildReport([FIXTURE_CASES[0] as (typeof FIXTURE_CASES)[number]])))
    expect(clean).toContain('<div class="card parity"><span class="n">1</span>parity</div>')
    for (const label of ['known', 'divergent', 'errors', 'new divergences', 'known divergences']) {
      expect(clean).toContain(`<div class="card"><span class="n">0</span>${label}</div>`)
    }
    const dirty = staticPart(renderReportHtml(buildReport()))
    expect(dirty).toContain('<div class="card divergent"><span class="n">2</span>divergent</div>')
    expect(dirty).toContain('<div class="card error"><span class="n">1</span>errors</div>')
  })

  it('labels every cell of a divergence table with its column, for the stacked narrow layout', () => {
    const page = staticPart(renderReportHtml(buildReport()))
    const tables = [...page.matchAll(/<table class="divs">([\s\S]*?)<\/table>/g)].map((m) => m[1] ?? '')
    expect(tables.length).toBeGreaterThan(0)
    for (const t of tables) {
      const cells = [...t.matchAll(/<td[^>]*>/g)].map((m) => m[0])
      expect(cells.length).toBeGreaterThan(0)
      for (const cell of cells) expect(cell).toMatch(/ data-label="[a-z]+"/)
    }
    // The drill-down's table, built by the page script, carries the same labels.
    for (const label of ['id', 'class', 'risk', 'path', 'baseline', 'candidate', 'message']) {
      expect(HTML_SCRIPT_UI).toContain(`'data-label': '${label}'`)
    }
  })

  it('fits a 400 px viewport: no fixed column wider than the screen, divergence tables stack', () => {
    expect(HTML_STYLE).toContain('minmax(min(380px, 100%), 1fr)')
    const narrow = HTML_STYLE.slice(HTML_STYLE.indexOf('@media (max-width: 640px)'))
    expect(narrow).toContain('table.divs thead { display: none; }')
    expect(narrow).toContain('content: attr(data-label)')
    expect(narrow).toContain('.side-by-side { grid-template-columns: 1fr; }')
  })
})
