import { describe, expect, it } from 'vitest'
import { HTML_SCRIPT_CORE } from '../../src/report/html-script-core.ts'
import { HTML_SCRIPT_UI } from '../../src/report/html-script-ui.ts'
import { embedJson, REPORT_DATA_ELEMENT_ID, renderReportHtml } from '../../src/report/index.ts'
import { buildReport } from './fixture-report.ts'

const report = buildReport()
const html = renderReportHtml(report)

function embedded(page: string): string {
  const open = `<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">`
  const start = page.indexOf(open) + open.length
  return page.slice(start, page.indexOf('</script>', start))
}

interface Line {
  readonly text: string
  readonly segs: readonly unknown[]
}
interface Core {
  parseJsonRaw(text: string): unknown
  layoutJson(root: unknown): Line[]
  parsePath(path: string): unknown[] | null
  markLines(
    lines: readonly Line[],
    marks: readonly { path: string; kind: string; label: string }[],
  ): ({ kind: string; label: string } | null)[]
}
const core = new Function(`${HTML_SCRIPT_CORE}\nreturn { parseJsonRaw, layoutJson, parsePath, markLines }`)() as Core

describe('renderReportHtml', () => {
  it('leads with findings, each linking to its example case, and keeps every divergence one click away', () => {
    const body = html.slice(0, html.indexOf(`<script type="application/json"`))
    const findings = body.indexOf('<section id="findings">')
    expect(findings).toBeGreaterThan(0)
    expect(findings).toBeLessThan(body.indexOf('Outcomes by component'))
    expect(findings).toBeLessThan(body.indexOf('<section id="divergences"><details>'))
    const section = body.slice(findings, body.indexOf('</section>', findings))
    expect(section).toContain('<h3>New (4)</h3>')
    expect(section).toContain('<span class="mono">status 200→206</span>')
    expect(section).toContain('<a class="mono" href="#case=storage%2Flist">storage/list</a> › list')
    expect(section).toContain('<span class="mono">GET /v1/storage/objects</span> 1/1')
    expect(section).toMatch(
      /<summary class="mono nowrap">pf-[0-9a-f]{10}<\/summary>1 divergence\(s\): <span class="mono">pd-4444444444<\/span>/,
    )
    // Markup in an example value is text, not HTML.
    expect(section).toContain('&lt;/script&gt;')
    expect(section).not.toContain('</script>')
    expect(body).toContain('fail on any · tracker docs/ARCHITECTURE_COMPARISON.md (--update-docs) · noise: replay on the baseline')
  })

  it('embeds the report as JSON that round-trips', () => {
    expect(JSON.parse(embedded(html))).toEqual(JSON.parse(JSON.stringify(report)))
  })

  it('cannot be broken out of by bodies containing </script> or <!--', () => {
    const data = embedded(html)
    expect(data).not.toContain('<')
    expect(data).toContain('\\u003c/script\\u003e')
    const hostile = buildReport([], { runId: '</script><script>alert(1)</script><!--' })
    const page = renderReportHtml(hostile)
    expect(JSON.parse(embedded(page)).runId).toBe(hostile.runId)
    expect(page.match(/<\/script>/g)?.length).toBe(2) // the data block's and the code block's own
    expect(embedJson('\u2028<&>')).toBe('"\\u2028\\u003c\\u0026\\u003e"')
  })

  it('is self-contained: no external scripts, styles, fonts or images', () => {
    // The data block holds target URLs; everything else must not reference anything outside the file.
    const page = html.replace(embedded(html), '')
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(|@import|https?:\/\//)
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'')
    expect(`${HTML_SCRIPT_CORE}${HTML_SCRIPT_UI}`).not.toMatch(/<\/script|innerHTML|fetch\(|XMLHttpRequest/)
  })

  it('renders the summary without JavaScript, markup in data escaped', () => {
    const page = html.slice(0, html.indexOf('<script'))
    expect(page).toContain('<h1>Parity run <span class="mono">20260502T100000Z-ab12</span></h1>')
    expect(page).toContain('<span class="exit exit-2">exit 2</span>')
    expect(page).toMatch(/<td>storage<\/td><td class="num">3<\/td>/)
    expect(page).toContain('message text differs: &quot;&lt;b&gt;&quot; markup &amp; &lt;/script&gt; on node')
    expect(page).not.toContain('<b>')
    expect(page).toContain('href="#case=storage%2Flist"')
    expect(page).toContain('<noscript>')
    expect(page).toMatch(/<td>node<\/td><td class="num">5<\/td><td class="num">8.0<\/td><td class="num">20<\/td>/)
  })
})

describe('report page script', () => {
  it('pretty-prints JSON keeping number literals as written', () => {
    const lines = core.layoutJson(core.parseJsonRaw('{"count":1.0,"big":9007199254740993,"s":"a\\"b","e":[],"o":{"x":null}}'))
    expect(lines.map((l) => l.text)).toEqual([
      '{',
      '  "count": 1.0,',
      '  "big": 9007199254740993,',
      '  "s": "a\\"b",',
      '  "e": [],',
      '  "o": {',
      '    "x": null',
      '  }',
      '}',
    ])
  })

  it('refuses invalid JSON (the page then shows the text as is)', () => {
    expect(() => core.parseJsonRaw('{"a":1,}')).toThrow()
    expect(() => core.parseJsonRaw('{"a":1} trailing')).toThrow()
  })

  it('reads the divergence path grammar', () => {
    expect(core.parsePath("$.errors[?(@.field=='to')].message")).toEqual([{ k: 'errors' }, { f: 'field', v: 'to' }, { k: 'message' }])
    expect(core.parsePath("$['odd key'][2][*].x")).toEqual([{ k: 'odd key' }, { i: 2 }, { any: true }, { k: 'x' }])
    expect(core.parsePath("$.a[?(@['k y']=='it\\'s')]")).toEqual([{ k: 'a' }, { f: 'k y', v: "it's" }])
    expect(core.parsePath('header:etag')).toBeNull()
    expect(core.parsePath('$.a[')).toBeNull()
  })

  it('marks the lines at and under a divergence, by key filter, noise greyed, absent members on the parent', () => {
    const body = '{"items":[{"id":7,"v":1},{"id":8,"v":{"deep":true}}],"at":"t","n":2}'
    const lines = core.layoutJson(core.parseJsonRaw(body))
    const marks = core.markLines(lines, [
      { path: "$.items[?(@.id=='8')].v", kind: 'new', label: 'value' },
      { path: '$.at', kind: 'noise', label: 'noise' },
      { path: '$.n', kind: 'ignored', label: 'ignored' },
      { path: '$.gone', kind: 'known', label: 'missing (known)' },
    ])
    const marked = lines.map((l, i) => [l.text.trim(), marks[i]?.kind ?? '']).filter(([, k]) => k !== '')
    expect(marked).toEqual([
      ['{', 'absent-known'],
      ['"v": {', 'new'],
      ['"deep": true', 'new'],
      ['}', 'new'],
      ['"at": "t",', 'noise'],
      ['"n": 2', 'ignored'],
    ])
  })
})
