import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleForNode } from '@lakehouse/node/build'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import type { LoadReport } from '../src/model.ts'
import {
  LOAD_CHART_DATA_ELEMENT_ID,
  LOAD_REPORT_DATA_ELEMENT_ID,
  LOAD_REPORT_FILES,
  LOAD_REPORT_JSON_SCHEMA,
  renderJunitXml,
  renderReportHtml,
  renderReportJson,
  renderSummaryMarkdown,
  renderTerminalSummary,
  writeReportFiles,
} from '../src/report/index.ts'
import { buildSampleReport } from './fixtures/sample-report.ts'

const report = buildSampleReport()
const hostile = buildSampleReport({ scenarioNames: ['<script>alert(1)</script>', 'a|b\u001b[31m*x*\nnext'] })
const validate = new Ajv({ allErrors: true }).compile(LOAD_REPORT_JSON_SCHEMA)

/** report.json as a consumer reads it. */
function asJson(r: LoadReport): Record<string, unknown> {
  return JSON.parse(renderReportJson(r)) as Record<string, unknown>
}

function dataBlock(page: string, id: string): string {
  const open = `<script type="application/json" id="${id}">`
  const start = page.indexOf(open)
  expect(start).toBeGreaterThan(0)
  return page.slice(start + open.length, page.indexOf('</script>', start))
}

/** The page without its script elements: what the HTML parser shows as markup. */
function markupOnly(page: string): string {
  return page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
}

/** Balanced tags, quoted attributes, only predefined or numeric entities, no character XML 1.0 forbids. */
function assertWellFormedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true)
  expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u)
  const open: string[] = []
  const body = xml.slice(xml.indexOf('\n') + 1)
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g)) {
    if (m[6] !== undefined) throw new Error(`stray < at ${m.index}`)
    for (const ref of `${m[5] ?? ''}${m[3] ?? ''}`.matchAll(/&[^;]*;?/g)) expect(ref[0]).toMatch(/^&(amp|lt|gt|quot|apos|#\d+);$/)
    if (m[2] === undefined) continue
    if (m[1] === '/') expect(open.pop()).toBe(m[2])
    else if (m[4] !== '/') open.push(m[2])
  }
  expect(open).toEqual([])
}

describe('LOAD_REPORT_JSON_SCHEMA', () => {
  it('accepts the sample report as written to report.json', () => {
    expect(validate(asJson(report)), JSON.stringify(validate.errors)).toBe(true)
  })

  it('rejects a report missing a member, deep or shallow', () => {
    const { thresholds: _, ...shallow } = asJson(report)
    expect(validate(shallow)).toBe(false)
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'required', params: { missingProperty: 'thresholds' } })
    const deep = asJson(report) as { measurements: { latency: Record<string, unknown> }[] }
    delete deep.measurements[0]?.latency.p999_us
    expect(validate(deep)).toBe(false)
    expect(validate.errors?.[0]?.instancePath).toBe('/measurements/0/latency')
  })

  it('rejects members the model does not have, and an open-model report without its rate', () => {
    expect(validate({ ...asJson(report), extra: 1 })).toBe(false)
    const open = asJson(report) as { settings: Record<string, unknown> }
    open.settings.model = 'open'
    expect(validate(open)).toBe(false)
    expect(validate({ ...open, settings: { ...open.settings, rate: 200 } })).toBe(true)
  })
})

describe('renderSummaryMarkdown', () => {
  const md = renderSummaryMarkdown(report)

  it('labels the load model and lists the run settings', () => {
    expect(md).toContain('**closed model (8, 32 connections, one tier each; each connection runs one scenario after another)**')
    expect(md).toContain('## Tier 32 — closed model (32 connections, each runs one scenario after another)')
    for (const fact of ['Mix', 'Targets', 'Profile', 'Tiers', 'Rounds', 'Durations', 'Seed', 'Corpus', 'Pinning', 'Machine', 'Commit'])
      expect(md).toContain(`- **${fact}:** `)
    expect(md).toContain('- **Exit code:** 1 — a threshold failed')
  })

  it('has a scenario table per tier with latencies in ms, and the comparison, resources and checks', () => {
    expect(md).toContain('| scenario | target | scenarios/s | count | fail % | p50 | p90 | p99 | p99.9 | max | ok-only p99 |')
    expect(md.match(/\| \*\*all scenarios\*\* \| node \| [\d,]+ \| [\d,]+ \| [\d.]+ \(status \d+/g)).toHaveLength(2)
    expect(md).toMatch(/\| ingest-and-query \| bun \| 1,022 \| 20,571 \| 0\.6 \(status 126, timeout 1\) \| 16\.08 \| 21\.55 \| 27\.55 \|/)
    expect(md).toContain('### node vs bun')
    expect(md).toMatch(
      /\| all scenarios \| p99 ms \| [\d.]+ \\\[[\d.]+–[\d.]+\\\] \| [\d.]+ \\\[[\d.]+–[\d.]+\\\] \| 0\.33 \(min 0\.33\) \| apart in every round; too few rounds for p < 0\.05 \|/,
    )
    expect(md).toContain('| bun | 2 | 10 | 4,117 | 9,250 | 73 MiB → 76 MiB | 76 MiB | 3.6 | 86 / 88 | 97 (bound) |')
    expect(md).toContain('NOT reconciled: responses: ours 89824, autocannon 89823')
    expect(md).toContain('### Failure examples')
  })

  it('lists warnings, thresholds with pass and FAIL, and the exit codes', () => {
    expect(md).toContain('## Warnings')
    expect(md).toContain('- ⚠ load generator CPU-bound in bun c=32 r2 (97 %)')
    expect(md).toContain('| ingest-and-query | bun | 32 | p99 \\< 25ms | 27.54 ms | **FAIL** |')
    expect(md).toContain('| search-candidates | node | 8 | fail \\< 0.5% | 0.4 % | pass |')
    expect(md).toContain('| 2 | configuration or target error |')
  })

  it('escapes markup in scenario names', () => {
    const text = renderSummaryMarkdown(hostile)
    expect(text).not.toContain('<script>')
    expect(text).toContain('\\<script\\>alert(1)\\</script\\>')
    expect(text).not.toContain('\u001b')
  })
})

describe('renderReportHtml', () => {
  const html = renderReportHtml(report)

  it('is self-contained: Chart.js inline, no external reference outside the data', () => {
    expect(html).toContain('Chart.js v4.6.1')
    expect(html).not.toContain('sourceMappingURL')
    const page = html.replace(dataBlock(html, LOAD_REPORT_DATA_ELEMENT_ID), '')
    expect(page).not.toMatch(/src="http|<script[^>]+src=|<link[^>]+href=|url\(|@import/)
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'')
  })

  it('embeds the report and the chart data as JSON', () => {
    expect(JSON.parse(dataBlock(html, LOAD_REPORT_DATA_ELEMENT_ID))).toEqual(asJson(report))
    const charts = JSON.parse(dataBlock(html, LOAD_CHART_DATA_ELEMENT_ID)) as { tiers: { tier: number; series: unknown[] }[] }
    expect(charts.tiers.map((t) => [t.tier, t.series.length])).toEqual([
      [8, 4],
      [32, 4],
    ])
    expect(html.match(/<canvas id="latency-1-\d"/g)).toHaveLength(3)
  })

  it('renders the tables without JavaScript', () => {
    const markup = markupOnly(html)
    expect(markup).toContain('closed model (8, 32 connections, one tier each; each connection runs one scenario after another)')
    expect(markup).toContain('<span class="exit exit-1">exit 1</span>')
    expect(markup).toMatch(
      /<td>bun<\/td><td class="num">32<\/td><td class="mono">p99 &lt; 25ms<\/td><td class="num">27\.54 ms<\/td><td><span class="badge bad">FAIL/,
    )
    expect(markup).toContain('&lt;queue full&gt; &amp; retry')
  })

  it('escapes a scenario named <script> everywhere', () => {
    const page = renderReportHtml(hostile)
    expect(markupOnly(page)).not.toMatch(/<script|<\/script/)
    expect(markupOnly(page)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    // data block, chart data block, Chart.js, page script: four elements, four closing tags
    expect(page.match(/<\/script>/g)).toHaveLength(4)
    expect(JSON.parse(dataBlock(page, LOAD_REPORT_DATA_ELEMENT_ID)).mix.scenarios[0].name).toBe('<script>alert(1)</script>')
  })
})

describe('renderJunitXml', () => {
  const xml = renderJunitXml(report)

  it('is well-formed, one testsuite per target and tier', () => {
    assertWellFormedXml(xml)
    assertWellFormedXml(renderJunitXml(hostile))
    expect(xml.match(/<testsuite name="[^"]+"/g)).toEqual([
      '<testsuite name="node tier 8"',
      '<testsuite name="bun tier 8"',
      '<testsuite name="node tier 32"',
      '<testsuite name="bun tier 32"',
    ])
    expect(xml).toContain('<testsuites name="load 20260502T100000Z-c0de" tests="24" failures="2" errors="0" skipped="0"')
  })

  it('fails the failed threshold with its measured value, and the unreconciled round', () => {
    const bun32 = xml.slice(xml.indexOf('<testsuite name="bun tier 32"'))
    expect(bun32).toContain(
      '<testcase classname="bun tier 32" name="ingest-and-query: p99 &lt; 25ms" time="0.000">\n      <failure message="ingest-and-query on bun at tier 32: p99 &lt; 25ms failed, measured 27.54 ms" type="threshold">',
    )
    expect(xml).toContain('<testcase classname="bun tier 8" name="ingest-and-query: p99 &lt; 25ms" time="0.000"/>')
    expect(xml).toMatch(
      /name="round 1: counters reconciled with autocannon" time="10.000">\n {6}<failure message="round 1 not reconciled: responses: ours 89824, autocannon 89823" type="reconciliation">/,
    )
  })

  it('adds an errored run suite for a configuration or target error', () => {
    const broken = renderJunitXml({
      ...report,
      measurements: [],
      thresholds: [],
      comparisons: [],
      warnings: ['bun exited 1'],
      exit_code: 2,
    })
    assertWellFormedXml(broken)
    expect(broken).toContain('<error message="configuration or target error" type="error">bun exited 1</error>')
  })
})

describe('renderTerminalSummary', () => {
  const text = renderTerminalSummary(report, { color: false, reportDir: 'reports/load/20260502T100000Z-c0de/' })

  it('prints a side-by-side table per tier, failed thresholds, warnings, files and the exit code', () => {
    expect(text).toContain('closed model (8, 32 connections, one tier each; each connection runs one scenario after another)')
    expect(text).toContain('scenario          │  ok/s  fail %   p50   p99 │  ok/s  fail %   p50   p99')
    expect(text).toMatch(/ingest-and-query {2}│ {3}697 {5}0\.6 {2}4\.84 {2}8\.26 │ {3}726 {5}0\.6 {2}5\.44 {2}9\.35/)
    expect(text).toContain('✗ ingest-and-query on bun, tier 32: p99 < 25ms — measured 27.54 ms')
    expect(text).toContain('warnings (7):')
    expect(text).toContain('exit 1: a threshold failed')
    for (const f of LOAD_REPORT_FILES) expect(text).toContain(`  reports/load/20260502T100000Z-c0de/${f}`)
    expect(text).not.toContain('\u001b')
  })

  it('colours only on request, and neutralises escape sequences in names', () => {
    expect(renderTerminalSummary(report, { color: true, reportDir: 'r' })).toContain('\u001b[31m')
    const plain = renderTerminalSummary(hostile, { color: false, reportDir: 'r' })
    expect(plain).not.toContain('\u001b')
    expect(plain).toContain('a|b\\u001b[31m*x* next')
  })
})

describe('a run that measured nothing', () => {
  it('still renders every file and says why', () => {
    const broken: LoadReport = {
      ...report,
      measurements: [],
      comparisons: [],
      thresholds: [],
      warnings: ['bun exited 1 before the first round'],
      exit_code: 2,
    }
    expect(renderSummaryMarkdown(broken)).toContain('This run: **2** — configuration or target error.')
    expect(renderReportHtml(broken)).toContain('bun exited 1 before the first round')
    expect(renderTerminalSummary(broken, { color: false, reportDir: 'r' })).toContain('exit 2: configuration or target error')
    expect(validate(asJson(broken))).toBe(true)
  })
})

describe('writeReportFiles', () => {
  it('writes the four files into a new directory and returns their paths', async () => {
    const root = await mkdtemp(join(tmpdir(), 'load-report-'))
    try {
      const dir = join(root, 'reports', 'load', report.run_id)
      const paths = await writeReportFiles(dir, report)
      expect(paths).toEqual(LOAD_REPORT_FILES.map((f) => join(dir, f)))
      expect((await readdir(dir)).sort()).toEqual([...LOAD_REPORT_FILES].sort())
      const json = await readFile(join(dir, 'report.json'), 'utf8')
      expect(json).toBe(`${JSON.stringify(report, null, 2)}\n`)
      expect(await readFile(join(dir, 'summary.md'), 'utf8')).toBe(renderSummaryMarkdown(report))
      expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toBe(renderJunitXml(report))
      expect((await readFile(join(dir, 'report.html'), 'utf8')).length).toBeGreaterThan(200_000)
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('finds Chart.js when the renderer runs from an esbuild bundle under load/dist', async () => {
    const loadDir = fileURLToPath(new URL('..', import.meta.url))
    await mkdir(join(loadDir, 'dist'), { recursive: true })
    const work = await mkdtemp(join(loadDir, 'dist', 'report-bundle-check-'))
    try {
      const entry = join(work, 'entry.ts')
      const src = fileURLToPath(new URL('../src/report/chart-js.ts', import.meta.url))
      await writeFile(entry, `import { chartJsSource } from ${JSON.stringify(src)}\nprocess.stdout.write(chartJsSource().slice(0, 40))\n`)
      const out = await bundleForNode(entry, join(work, 'check.js'))
      const run = spawnSync(process.execPath, [out], { encoding: 'utf8' })
      expect(run.stderr).toBe('')
      expect(run.stdout).toContain('Chart.js v4.6.1')
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })
})
