import { describe, expect, it } from 'vitest'
import { renderSummaryMarkdown } from '../../src/report/index.ts'
import { buildReport } from './fixture-report.ts'

describe('renderSummaryMarkdown', () => {
  const md = renderSummaryMarkdown(buildReport())

  it('opens with the run id, targets with runtime and version, baseline, duration and commit', () => {
    expect(md.startsWith('# Parity run `20260502T100000Z-ab12`\n')).toBe(true)
    expect(md).toContain('**Baseline:** node (node 20.19.0)')
    expect(md).toContain('**Candidates:** bun (bun 1.4.5)')
    expect(md).toContain('**duration:** 2.5 s')
    expect(md).toContain('**Commit:** `cf838f8`')
    expect(md).toContain('**Exit code:** 2')
  })

  it('has an outcome row per component and a total', () => {
    expect(md).toContain('| component | cases | parity | known | divergent | errors |')
    expect(md).toContain('| storage | 3 | 0 | 1 | 1 | 1 |')
    expect(md).toContain('| validator | 2 | 1 | 0 | 1 | 0 |')
    expect(md).toContain('| **total** | **5** | **1** | **1** | **2** | **1** |')
  })

  it('leads with findings: by risk then breadth, endpoints, one example with both values, member count, tracker', () => {
    expect(md.indexOf('## Findings')).toBeLessThan(md.indexOf('## Outcomes'))
    expect(md.indexOf('## Outcomes')).toBeLessThan(md.indexOf('## Divergences'))
    const section = md.slice(md.indexOf('## Findings'), md.indexOf('## Outcomes'))
    expect(section).toContain('5 finding(s) — **4 new**, 1 known — group the 5 divergence(s)')
    expect(section).toMatch(
      /\| breaking \| `status 200→206` \| node→bun \| 1\/1 request \| `GET \/v1\/storage\/objects` 1\/1 \| `storage\/list` › list: `200` → `206` \| `pf-[0-9a-f]{10}` \(1 divergence\) \| {2}\|/,
    )
    const known = section.slice(section.indexOf('### Known (1)'))
    expect(known).toContain('| medium | `header etag value` | node→bun | 1/1 request | `PUT /v1/storage/objects/a.txt` 1/1 |')
    expect(known).toContain('| D-001 |')
    expect(section.indexOf('type $.count')).toBeLessThan(section.indexOf('value $.errors'))
  })

  it('lists every divergence, new and known, with the finding it belongs to', () => {
    const divs = md.slice(md.indexOf('## Divergences'))
    const fresh = divs.slice(divs.indexOf('### New (4)'), divs.indexOf('### Known (1)'))
    expect(fresh).toMatch(
      /\| `pd-4444444444` \| `pf-[0-9a-f]{10}` \| `storage\/list` \| list \| node→bun \| status \| breaking \| `status` \| 200 on node, 206 on bun \|/,
    )
    const known = divs.slice(divs.indexOf('### Known (1)'))
    expect(known).toMatch(
      /\| `pd-2222222222` \| `pf-[0-9a-f]{10}` \| `storage\/put-object` \| put \| node→bun \| header \| medium \| `header:etag` \| weak etag on bun \| D-001 \|/,
    )
  })

  it('reports noise, stale rules and resolved tracker rows', () => {
    expect(md).toContain('**Noise:** 1 path(s)')
    expect(md).toContain('- `validator/email-ok`: `$.trace_id`')
    expect(md).toContain('`D-007`')
  })

  it('has median/p95 per target and the slowest cases', () => {
    expect(md).toContain('| node | 5 | 8.0 | 20 |')
    expect(md).toContain('| bun | 5 | 6.0 | 30 |')
    const slowest = md.slice(md.indexOf('Slowest 5 case(s):'))
    expect(slowest.indexOf('validator/schema-error-shape')).toBeLessThan(slowest.indexOf('storage/list'))
  })

  it('escapes pipes in cells so the tables keep their columns', () => {
    const report = buildReport()
    const d = report.divergences[0]
    if (d === undefined) throw new Error('fixture')
    const out = renderSummaryMarkdown({ ...report, divergences: [{ ...d, message: 'a | b\nc' }] })
    expect(out).toContain('a \\| b c |')
  })

  it('shows markup and control characters in messages as written instead of rendering them', () => {
    expect(md).toContain('message text differs: "\\<b\\>" markup \\& \\</script\\> on node |')
    expect(md).toContain('etag absent on bun \\u0001\\u0008 (control chars) |')
    expect([...md].some((c) => (c.codePointAt(0) ?? 32) < 9)).toBe(false)
  })
})
