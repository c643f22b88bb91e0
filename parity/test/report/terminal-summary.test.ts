import { describe, expect, it } from 'vitest'
import type { ReportedCase } from '../../src/model.ts'
import { renderTerminalSummary } from '../../src/report/index.ts'
import { buildReport, divergence, FIXTURE_CASES } from './fixture-report.ts'

const ESC = String.fromCharCode(27)
const ANSI = new RegExp(`${ESC}\\[\\d+m`)
const ANSI_ALL = new RegExp(`${ESC}\\[\\d+m`, 'g')

describe('renderTerminalSummary', () => {
  it('prints a row per component, the total, new divergences, the exit code and the report files', () => {
    const out = renderTerminalSummary(buildReport(), { color: false, reportDir: 'reports/parity/20260502T100000Z-ab12/' })
    expect(out).not.toMatch(ANSI)
    const lines = out.split('\n')
    expect(lines[0]).toBe('parity 20260502T100000Z-ab12 · node (node 20.19.0) vs bun (bun 1.4.5) · 2.5 s')
    expect(lines).toContain('component  cases  parity  known  divergent  errors')
    expect(lines).toContain('storage        3       0      1          1       1')
    expect(lines).toContain('validator      2       1      0          1       0')
    expect(lines).toContain('total          5       1      1          2       1')
    expect(out).toContain('new divergences (4):')
    expect(out).toContain('pd-4444444444 storage/list › list (node→bun) status/breaking status: 200 on node, 206 on bun')
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

  it('lists at most 20 new divergences, then how many more', () => {
    const base = FIXTURE_CASES[4] as ReportedCase
    const step = base.steps[0]
    if (step === undefined) throw new Error('fixture')
    const many = Array.from({ length: 23 }, (_, i) =>
      divergence(`pd-${String(i).padStart(10, '0')}`, base.id, base.component, 'list', {
        class: 'value',
        risk: 'medium',
        path: `$.v${i}`,
        shape: 'string',
        message: `m${i}`,
      }),
    )
    const out = renderTerminalSummary(buildReport([{ ...base, steps: [{ ...step, divergences: many }] }]), { color: false, reportDir: 'r' })
    expect(out).toContain('new divergences (23):')
    expect(out).toContain('$.v19: m19')
    expect(out).not.toContain('$.v20: m20')
    expect(out).toContain('  … 3 more')
    expect(out).toContain('exit 1: new divergence')
  })

  it('says exit 0 on a clean run', () => {
    const out = renderTerminalSummary(buildReport([FIXTURE_CASES[0] as ReportedCase]), { color: false, reportDir: 'r' })
    expect(out).toContain('exit 0: parity')
    expect(out).not.toContain('new divergences (')
  })
})
