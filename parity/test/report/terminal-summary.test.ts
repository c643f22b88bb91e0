import { describe, expect, it } from 'vitest'
import type { ReportedCase } from '../../src/model.ts'
import { renderTerminalSummary } from '../../src/report/index.ts'
import { buildReport, divergence, FIXTURE_CASES } from './fixture-report.ts'

const ESC = String.fromCharCode(27)
const ANSI = new RegExp(`${ESC}\\[\\d+m`)
const ANSI_ALL = new RegExp(`${ESC}\\[\\d+m`, 'g')

describe('renderTerminalSummary', () => {
  it('prints a row per component, the total, findings first, the exit code and the report files', () => {
    const out = renderTerminalSummary(buildReport(), { color: false, reportDir: 'reports/parity/20260502T100000Z-ab12/' })
    expect(out).not.toMatch(ANSI)
    const lines = out.split('\n')
    expect(lines[0]).toBe('parity 20260502T100000Z-ab12 · node (node 20.19.0) vs bun (bun 1.4.5) · 2.5 s')
    expect(lines).toContain('component  cases  parity  known  divergent  errors')
    expect(lines).toContain('storage        3       0      1          1       1')
    expect(lines).toContain('validator      2       1      0          1       0')
    expect(lines).toContain('total          5       1      1          2       1')
    expect(out).toContain('findings: 5 (4 new, 1 known) from 5 divergences (4 new) · noise 1')
    expect(out).toContain('fail on any · tracker docs/ARCHITECTURE_COMPARISON.md (--update-docs) · noise: replay on the baseline')
    expect(out).toContain('new findings (4):')
    expect(out).toContain('  breaking  status 200→206 (node→bun) · 1/1 request · GET /v1/storage/objects 1/1  pf-')
    expect(out).toContain('            e.g. storage/list › list: 200 on node, 206 on bun')
    expect(out).toContain('known findings (1):')
    expect(out).toMatch(
      / {2}medium {4}header etag value \(node→bun\) · 1\/1 request · PUT \/v1\/storage\/objects\/a\.txt 1\/1 {2}pf-[0-9a-f]{10} \[D-001\]/,
    )
    // Breaking before medium, whatever the case order.
    expect(out.indexOf('type $.count')).toBeLessThan(out.indexOf('value $.errors[*].message'))
    expect(out).toContain('storage/get-missing: step get: expected status 404 on bun, got 500')
    expect(out).toContain('exit 2: configuration or target error')
    expect(out).toContain('  reports/parity/20260502T100000Z-ab12/report.html\n')
    expect(out).toContain('  reports/parity/20260502T100000Z-ab12/junit.xml\n')
  })

  it('colours when asked, keeping the columns aligned', () => {
    const out = renderTerminalSummary(buildReport(), { color: true, reportDir: 'r' })
    expect(out).toMatch(ANSI)
    const plain = out.replace(ANSI_ALL, '')
    expect(plain).toBe(renderTerminalSummary(buildReport(), { color: false, reportDir: 'r' }))
  })

  it('lists at most 20 new findings, then how many more', () => {
    const base = FIXTURE_CASES[4] as ReportedCase
    const step = base.steps[0]
    if (step === undefined) throw new Error('fixture')
    const many = Array.from({ length: 23 }, (_, i) =>
      divergence(`pd-${String(i).padStart(10, '0')}`, base.id, base.component, 'list', {
        class: 'value',
        risk: 'medium',
        // Members of different objects: findings in one object changing in the same steps would merge.
        path: `$.v${i}.x`,
        shape: 'string',
        message: `m${i}`,
      }),
    )
    const out = renderTerminalSummary(buildReport([{ ...base, steps: [{ ...step, divergences: many }] }]), { color: false, reportDir: 'r' })
    // Same risk and breadth: by path, in code-unit order ($.v0, $.v1, $.v10 … $.v19, $.v2, $.v20 …).
    expect(out).toContain('new findings (23):')
    expect(out).toContain('value $.v6.x string')
    expect(out).not.toContain('value $.v7.x string')
    expect(out).toContain('  … 3 more in report.html')
    expect(out).toContain('exit 1: new divergence')
  })

  it('says exit 0 on a clean run', () => {
    const out = renderTerminalSummary(buildReport([FIXTURE_CASES[0] as ReportedCase]), { color: false, reportDir: 'r' })
    expect(out).toContain('exit 0: parity')
    expect(out).not.toContain('new findings (')
    expect(out).toContain('findings: 0 (0 new, 0 known)')
  })
})
