import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ReportedCase } from '../../src/model.ts'
import { parseTracker, TrackerFormatError, updateTrackerDoc } from '../../src/tracker/index.ts'
import { buildReport, divergence, FIXTURE_CASES } from '../report/fixture-report.ts'
import { outsideBlocks, rowLine, trackerDoc } from './tracker-doc.ts'

const HAND_ROW =
  '| D-001 | storage |  Weak etags on Bun \\| kept for now: pd-2222222222  | **Open** | [ADR-009](DECISIONS.md) | 2026-11-01 |  |'
const EMAIL_ROW =
  '| pd-5555555555 | validator | `validator/email-ok` › `validate` (node→bun): value at `$.x` — gone now | open | `reports/parity/r0/` | 2026-11-01 |  |'
const date = '2026-11-21'
const report = buildReport()

function apply(doc: string, r = report, d = date) {
  return updateTrackerDoc(doc, r, { date: d })
}

describe('updateTrackerDoc', () => {
  it('opens one row per new divergence, leaves known ones alone and resolves covered rows', () => {
    const doc = trackerDoc([HAND_ROW, EMAIL_ROW])
    const out = apply(doc)
    expect(out.opened).toEqual(['pd-0a1b2c3d4e', 'pd-1111111111', 'pd-3333333333', 'pd-4444444444'])
    expect(out.resolved).toEqual(['pd-5555555555'])
    expect(out.reopened).toEqual([])
    expect(out.changed).toBe(true)
    expect(rowLine(out.doc, 'pd-4444444444')).toBe(
      '| pd-4444444444 | storage | `storage/list` › `list` (node→bun): status at `status` — 200 on node, 206 on bun | open | `reports/parity/20260502T100000Z-ab12/` | 2026-11-21 | |',
    )
    // Markup and control characters in messages are neutralised: the document is rendered by GitHub.
    expect(rowLine(out.doc, 'pd-0a1b2c3d4e')).toContain(
      'value at `$.errors[?(@.field==\'to\')].message` — message text differs: "\\<b\\>" markup \\& \\</script\\> on node |',
    )
    expect(rowLine(out.doc, 'pd-3333333333')).toContain('etag absent on bun \\u0001\\u0008 (control chars) |')
    expect(rowLine(out.doc, 'pd-5555555555')).toBe(
      '| pd-5555555555 | validator | `validator/email-ok` › `validate` (node→bun): value at `$.x` — gone now | resolved | `reports/parity/r0/` | 2026-11-01 | `20260502T100000Z-ab12` |',
    )
    expect(rowLine(out.doc, 'D-001')).toBe(HAND_ROW)
    expect(out.doc).not.toContain('| pd-2222222222 |')
    const rows = parseTracker(out.doc).rows
    expect(rows.map((r) => r.id)).toEqual(['D-001', 'pd-5555555555', 'pd-0a1b2c3d4e', 'pd-1111111111', 'pd-3333333333', 'pd-4444444444'])
  })

  it('preserves hand-written text and hand rows byte for byte', () => {
    const doc = trackerDoc([HAND_ROW, EMAIL_ROW])
    const out = apply(doc)
    expect(outsideBlocks(out.doc)).toBe(outsideBlocks(doc))
    expect(out.doc.startsWith(doc.slice(0, doc.indexOf('<!-- parity:status:begin -->')))).toBe(true)
    expect(out.doc).toContain(`${HAND_ROW}\n`)
  })

  it('escapes pipes in findings and reads them back', () => {
    const base = FIXTURE_CASES[4] as ReportedCase
    const step = base.steps[0]
    if (step === undefined) throw new Error('fixture')
    const d = divergence('pd-abcabcabca', base.id, base.component, 'list', {
      class: 'value',
      risk: 'medium',
      path: "$.items[?(@.key=='a|b')].v",
      message: 'a | b\nsecond line',
    })
    const out = apply(trackerDoc([]), buildReport([{ ...base, steps: [{ ...step, divergences: [d] }] }]))
    expect(rowLine(out.doc, 'pd-abcabcabca')).toContain("value at `$.items[?(@.key=='a\\|b')].v` — a \\| b second line |")
    const [row] = parseTracker(out.doc).rows
    expect(row?.finding).toBe("`storage/list` › `list` (node→bun): value at `$.items[?(@.key=='a|b')].v` — a | b second line")
  })

  it('reopens a resolved row whose divergence comes back', () => {
    const resolvedRow =
      '| pd-3333333333 | storage | `storage/list` › `list` (node→bun): missing at `$.items[1].etag` — old | resolved | `reports/parity/r0/` | 2026-11-01 | `r1` |'
    const handResolved = '| D-002 | storage | fixed in abc: pd-4444444444 | resolved | — | 2026-11-01 | `abc1234` |'
    const out = apply(trackerDoc([resolvedRow, handResolved]))
    expect(out.reopened).toEqual(['pd-3333333333', 'D-002'])
    // pd-2222222222 is known in the report, but this document has no row for it: the document wins.
    expect(out.opened).toEqual(['pd-0a1b2c3d4e', 'pd-1111111111', 'pd-2222222222'])
    expect(rowLine(out.doc, 'pd-3333333333')).toBe(
      '| pd-3333333333 | storage | `storage/list` › `list` (node→bun): missing at `$.items[1].etag` — old | open | `reports/parity/r0/` | 2026-11-01 | |',
    )
    expect(rowLine(out.doc, 'D-002')).toBe('| D-002 | storage | fixed in abc: pd-4444444444 | open | — | 2026-11-01 | |')
    expect(out.doc).toMatch(/opened 3, resolved 0, reopened 2;/)
  })

  it('does not resolve rows whose case the run did not cover', () => {
    const errored =
      '| pd-6666666666 | storage | `storage/get-missing` › `get` (node→bun): value at `$.code` — x | open | — | 2026-11-01 |  |'
    const notRun = '| pd-7777777777 | storage | `storage/other` › `get` (node→bun): value at `$.code` — x | open | — | 2026-11-01 |  |'
    const out = apply(trackerDoc([errored, notRun]))
    expect(out.resolved).toEqual([])
    expect(rowLine(out.doc, 'pd-6666666666')).toBe(errored)
    expect(rowLine(out.doc, 'pd-7777777777')).toBe(notRun)
  })

  it('writes the status, summary and one change-log line', () => {
    const out = apply(trackerDoc([HAND_ROW, EMAIL_ROW]))
    expect(out.doc).toContain(
      '<!-- parity:status:begin -->\n- **Last refresh:** 2026-11-21, commit `cf838f8`\n- **Last change:** run `20260502T100000Z-ab12` (2026-11-21)\n- **Tracker:** 5 open, 0 accepted, 1 resolved\n<!-- parity:status:end -->',
    )
    // Cases are counted against the tracker after the update: every divergence now has a row.
    expect(out.doc).toContain(
      [
        '| component | cases | parity | known | divergent | errors | last verified |',
        '|---|---:|---:|---:|---:|---:|---|',
        '| storage | 3 | 0 | 2 | 0 | 1 | 2026-11-21 · `cf838f8` |',
        '| validator | 2 | 1 | 1 | 0 | 0 | 2026-11-21 · `cf838f8` |',
      ].join('\n'),
    )
    // The change log keeps the run's own numbers.
    expect(out.doc).toContain(
      '- 2026-11-01: document created by hand.\n- 2026-11-21 `20260502T100000Z-ab12`: opened 4, resolved 1, reopened 0; 5 cases, 1 parity, 1 known, 2 divergent\n<!-- changelog:end -->',
    )
  })

  it('is idempotent: the same report, or a later equivalent run on the same day and commit, changes nothing', () => {
    const first = apply(trackerDoc([HAND_ROW, EMAIL_ROW])).doc
    const again = apply(first)
    expect(again).toEqual({ doc: first, opened: [], resolved: [], reopened: [], changed: false })
    // The next run sees the opened divergences as known; same outcome against the tracker.
    const known = new Set(parseTracker(first).rows.flatMap((r) => r.divergenceIds))
    const later = buildReport(
      FIXTURE_CASES.map((c) => ({
        ...c,
        outcome: c.outcome === 'divergent' ? ('known' as const) : c.outcome,
        steps: c.steps.map((s) => ({ ...s, divergences: s.divergences.map((d) => ({ ...d, known: known.has(d.id) })) })),
      })),
      { runId: '20260502T110000Z-cd34' },
    )
    const next = apply(first, later)
    expect(next.changed).toBe(false)
    expect(next.doc).toBe(first)
  })

  it('on a later day with the same outcome moves only the refresh date, without a change-log line', () => {
    const first = apply(trackerDoc([HAND_ROW])).doc
    const next = apply(first, buildReport(undefined, { runId: 'later' }), '2026-11-22')
    expect(next.changed).toBe(true)
    expect(next.doc).toContain(
      '- **Last refresh:** 2026-11-22, commit `cf838f8`\n- **Last change:** run `20260502T100000Z-ab12` (2026-11-21)',
    )
    expect(next.doc.match(/^- 2026-11-2\d `/gm)?.length).toBe(1)
    expect(next.doc).not.toContain('`later`')
  })

  it('keeps summary rows of components the run did not cover', () => {
    const summary =
      '| component | cases | parity | known | divergent | errors | last verified |\n|---|---:|---:|---:|---:|---:|---|\n| catalog | 4 | 4 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |\n| storage | 3 | 3 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |'
    const validatorOnly = buildReport(FIXTURE_CASES.filter((c) => c.component === 'validator'))
    const out = apply(trackerDoc([], { summary }), validatorOnly)
    expect(out.doc).toContain(
      '| catalog | 4 | 4 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |\n| storage | 3 | 3 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |\n| validator | 2 | 1 | 1 | 0 | 0 | 2026-11-21 · `cf838f8` |',
    )
  })

  it('adds the table header when the tracker block is empty', () => {
    const doc = trackerDoc([]).replace(/<!-- tracker:begin -->[\s\S]*<!-- tracker:end -->/, '<!-- tracker:begin -->\n<!-- tracker:end -->')
    const out = apply(doc)
    expect(parseTracker(out.doc).rows.map((r) => r.id)).toEqual([
      'pd-0a1b2c3d4e',
      'pd-1111111111',
      'pd-2222222222',
      'pd-3333333333',
      'pd-4444444444',
    ])
    expect(out.doc).toContain(
      '<!-- tracker:begin -->\n| id | area | finding | status | evidence | first seen | resolved by |\n|---|---|---|---|---|---|---|\n| pd-0a1b2c3d4e |',
    )
  })

  it('refuses a document with a missing marker, naming it, and a malformed date', () => {
    const doc = trackerDoc([]).replace('<!-- parity:summary:end -->', '')
    expect(() => apply(doc)).toThrow(TrackerFormatError)
    expect(() => apply(doc)).toThrow(/<!-- parity:summary:end --> is missing/)
    expect(() => apply(trackerDoc([]), report, '21/11/2026')).toThrow(/YYYY-MM-DD/)
  })

  it('updates the project document without touching its hand-written text, idempotently', () => {
    const doc = readFileSync(new URL('../../../docs/ARCHITECTURE_COMPARISON.md', import.meta.url), 'utf8')
    const out = apply(doc)
    expect(outsideBlocks(out.doc)).toBe(outsideBlocks(doc))
    for (const id of ['D-001', 'D-002', 'D-003', 'D-004']) expect(rowLine(out.doc, id)).toBe(rowLine(doc, id))
    expect(apply(out.doc).changed).toBe(false)
  })
})
