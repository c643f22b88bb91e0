import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ReportedCase } from '../../src/model.ts'
import { knownDivergences, parseTracker, TrackerFormatError, trackerTemplate, updateTrackerDoc } from '../../src/tracker/index.ts'
import { buildReport, divergence, FIXTURE_CASES } from '../report/fixture-report.ts'
import { outsideBlocks, rowLine, trackerDoc } from './tracker-doc.ts'

const HAND_ROW =
  '| D-001 | storage |  Weak etags on Bun \\| kept for now: pd-2222222222  | **Open** | [ADR-009](DECISIONS.md) | 2026-11-01 |  |'
const EMAIL_ROW =
  '| pd-5555555555 | validator | `validator/email-ok` › `validate` (node→bun): value at `$.x` — gone now | open | `reports/parity/r0/` | 2026-11-01 |  |'
const date = '2026-11-21'
const report = buildReport()
/** The finding a fixture divergence belongs to (each is its own finding in the fixture). */
const pf = (pd: string, r = report) => {
  const id = r.divergences.find((d) => d.id === pd)?.findingId
  if (id === undefined) throw new Error(`no divergence ${pd}`)
  return id
}

function apply(doc: string, r = report, d = date) {
  return updateTrackerDoc(doc, r, { date: d })
}

describe('updateTrackerDoc', () => {
  it('opens one row per new finding, in report order, leaves known ones alone and resolves covered rows', () => {
    const doc = trackerDoc([HAND_ROW, EMAIL_ROW])
    const out = apply(doc)
    const opened = ['pd-1111111111', 'pd-3333333333', 'pd-4444444444', 'pd-0a1b2c3d4e'].map((d) => pf(d))
    expect(out.opened).toEqual(opened)
    expect(out.resolved).toEqual(['pd-5555555555'])
    expect(out.reopened).toEqual([])
    expect(out.changed).toBe(true)
    expect(rowLine(out.doc, pf('pd-4444444444'))).toBe(
      `| ${pf('pd-4444444444')} | storage | \`status 200→206\` (node→bun) on 1/1 requests in 1 case: \`storage/list\`; \`GET /v1/storage/objects\` 1/1 — e.g. \`storage/list\` › \`list\`: 200 on node, 206 on bun | new | \`reports/parity/20260502T100000Z-ab12/\` | 2026-11-21 | |`,
    )
    // Markup and control characters in messages are neutralised: the document is rendered by GitHub.
    expect(rowLine(out.doc, pf('pd-0a1b2c3d4e'))).toContain(
      '`value $.errors[*].message string` (node→bun) on 1/2 requests in 1 case: `validator/schema-error-shape`; `POST /v1/validate` 1/2 — e.g. `validator/schema-error-shape` › `invalid payload`: message text differs: "\\<b\\>" markup \\& \\</script\\> on node |',
    )
    expect(rowLine(out.doc, pf('pd-3333333333'))).toContain('etag absent on bun \\u0001\\u0008 (control chars) |')
    expect(rowLine(out.doc, 'pd-5555555555')).toBe(
      '| pd-5555555555 | validator | `validator/email-ok` › `validate` (node→bun): value at `$.x` — gone now | resolved | `reports/parity/r0/` | 2026-11-01 | `20260502T100000Z-ab12` |',
    )
    expect(rowLine(out.doc, 'D-001')).toBe(HAND_ROW)
    expect(out.doc).not.toContain(`| ${pf('pd-2222222222')} |`)
    const rows = parseTracker(out.doc).rows
    expect(rows.map((r) => r.id)).toEqual(['D-001', 'pd-5555555555', ...opened])
  })

  it('opens one row for a finding spanning several divergences, and a row naming the finding makes all of them known', () => {
    const [first, second] = [FIXTURE_CASES[1], FIXTURE_CASES[4]] as ReportedCase[]
    const step = (c: ReportedCase | undefined) => c?.steps[0]
    const a = step(first)
    const b = step(second)
    if (first === undefined || second === undefined || a === undefined || b === undefined) throw new Error('fixture')
    const header = {
      class: 'header',
      risk: 'medium',
      path: 'header:x-powered-by',
      baseline: 'Express',
      shape: 'present→absent',
      message: 'm',
    } as const
    const two = buildReport([
      { ...first, steps: [{ ...a, divergences: [divergence('pd-aaaaaaaaa1', first.id, first.component, a.name, header)] }] },
      { ...second, steps: [{ ...b, divergences: [divergence('pd-aaaaaaaaa2', second.id, second.component, b.name, header)] }] },
    ])
    const out = apply(trackerDoc([]), two)
    expect(out.opened).toHaveLength(1)
    const [id] = out.opened
    expect(rowLine(out.doc, id ?? '')).toContain(
      '`header x-powered-by present→absent` (node→bun) on 2/2 requests in 2 cases: `validator/schema-error-shape`, `storage/list`;',
    )
    expect(rowLine(out.doc, id ?? '')).toContain('| storage, validator |')
    const accepted = out.doc.replace(/(\| pf-[0-9a-f]{10} \|.*?\|.*?\|) new \|/, '$1 accepted |')
    const known = knownDivergences(parseTracker(accepted).rows)
    expect(two.divergences.every((d) => known.has(d.findingId))).toBe(true)
    // Applying the same report again opens nothing: the finding's row covers both.
    expect(apply(accepted, two).opened).toEqual([])
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
      shape: 'string',
      message: 'a | b\nsecond line',
    })
    const r = buildReport([{ ...base, steps: [{ ...step, divergences: [d] }] }])
    const out = apply(trackerDoc([]), r)
    expect(rowLine(out.doc, pf('pd-abcabcabca', r))).toContain('— e.g. `storage/list` › `list`: a \\| b second line |')
    const [row] = parseTracker(out.doc).rows
    expect(row?.finding).toBe(
      '`value $.items[*].v string` (node→bun) on 1/1 requests in 1 case: `storage/list`; `GET /v1/storage/objects` 1/1 — e.g. `storage/list` › `list`: a | b second line',
    )
  })

  it('reopens a resolved row whose divergence comes back', () => {
    const resolvedRow =
      '| pd-3333333333 | storage | `storage/list` › `list` (node→bun): missing at `$.items[1].etag` — old | resolved | `reports/parity/r0/` | 2026-11-01 | `r1` |'
    const handResolved = '| D-002 | storage | fixed in abc: pd-4444444444 | resolved | — | 2026-11-01 | `abc1234` |'
    const out = apply(trackerDoc([resolvedRow, handResolved]))
    expect(out.reopened).toEqual(['pd-3333333333', 'D-002'])
    // pd-2222222222 is known in the report, but this document has no row for it: the document wins.
    expect(out.opened).toEqual(['pd-1111111111', 'pd-0a1b2c3d4e', 'pd-2222222222'].map((d) => pf(d)))
    expect(rowLine(out.doc, 'pd-3333333333')).toBe(
      '| pd-3333333333 | storage | `storage/list` › `list` (node→bun): missing at `$.items[1].etag` — old | new | `reports/parity/r0/` | 2026-11-01 | |',
    )
    // A regression is looked at again: the row is `new`, not known, whatever it was before.
    expect(rowLine(out.doc, 'D-002')).toBe('| D-002 | storage | fixed in abc: pd-4444444444 | new | — | 2026-11-01 | |')
    expect(knownDivergences(parseTracker(out.doc).rows).has('pd-3333333333')).toBe(false)
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
      '<!-- parity:status:begin -->\n- **Last change:** run `20260502T100000Z-ab12` (2026-11-21, commit `cf838f8`)\n- **Tracker:** 4 new (awaiting a decision), 1 open, 0 accepted, 1 resolved\n<!-- parity:status:end -->',
    )
    // Cases are counted against the tracker after the update: the rows just opened are `new`,
    // not a decision, so their cases stay divergent; pd-2222222222 has an open hand row.
    expect(out.doc).toContain(
      [
        '| component | cases | parity | known | divergent | errors | last changed |',
        '|---|---:|---:|---:|---:|---:|---|',
        '| storage | 3 | 0 | 1 | 1 | 1 | 2026-11-21 · `cf838f8` |',
        '| validator | 2 | 1 | 0 | 1 | 0 | 2026-11-21 · `cf838f8` |',
      ].join('\n'),
    )
    expect(out.summary.map((c) => [c.component, c.before, c.after.divergent])).toEqual([
      ['storage', undefined, 1],
      ['validator', undefined, 1],
    ])
    // The change log keeps the run's own numbers.
    expect(out.doc).toContain(
      '- 2026-11-01: document created by hand.\n- 2026-11-21 `20260502T100000Z-ab12`: opened 4, resolved 1, reopened 0; 5 cases, 1 parity, 1 known, 2 divergent\n<!-- changelog:end -->',
    )
  })

  it('is idempotent: the same report, or a later run with the same outcomes on another day and commit, changes nothing', () => {
    const first = apply(trackerDoc([HAND_ROW, EMAIL_ROW])).doc
    const again = apply(first)
    expect(again).toEqual({ doc: first, opened: [], resolved: [], reopened: [], summary: [], summarySkipped: [], changed: false })
    // The next run reads the tracker as the runner does: the `new` rows make nothing known,
    // so the divergences fail again, and the document does not move — not even a date.
    const known = knownDivergences(parseTracker(first).rows)
    const later = buildReport(
      FIXTURE_CASES.map((c) => ({
        ...c,
        steps: c.steps.map((s) => ({
          ...s,
          divergences: s.divergences.map((d) => ({ ...d, known: known.has(d.id) || known.has(d.findingId) })),
        })),
      })),
      { runId: '20260503T110000Z-cd34', commit: 'fffffff' },
    )
    const laterKnown = later.divergences.map((d) => ({ ...d, known: known.has(d.id) || known.has(d.findingId) }))
    expect(laterKnown.filter((d) => !d.known).map((d) => d.id)).toEqual([
      'pd-0a1b2c3d4e',
      'pd-1111111111',
      'pd-3333333333',
      'pd-4444444444',
    ])
    const next = apply(first, later, '2026-12-24')
    expect(next.changed).toBe(false)
    expect(next.doc).toBe(first)
  })

  it('moves the status block, a summary row and the change log only when an outcome changes', () => {
    const first = apply(trackerDoc([HAND_ROW])).doc
    // A person accepts two of the new rows: storage's numbers change, validator's do not.
    const decided = first
      .replace(new RegExp(`(\\| ${pf('pd-3333333333')} \\|.*?\\|.*?\\|) new \\|`), '$1 accepted |')
      .replace(new RegExp(`(\\| ${pf('pd-4444444444')} \\|.*?\\|.*?\\|) new \\|`), '$1 open |')
    const next = apply(decided, buildReport(undefined, { runId: 'later', commit: 'bbbbbbb' }), '2026-11-22')
    expect(next.changed).toBe(true)
    expect(next.opened).toEqual([])
    expect(next.summary.map((c) => c.component)).toEqual(['storage'])
    expect(next.doc).toContain('| storage | 3 | 0 | 2 | 0 | 1 | 2026-11-22 · `bbbbbbb` |')
    expect(next.doc).toContain('| validator | 2 | 1 | 0 | 1 | 0 | 2026-11-21 · `cf838f8` |')
    expect(next.doc).toContain(
      '- **Last change:** run `later` (2026-11-22, commit `bbbbbbb`)\n- **Tracker:** 2 new (awaiting a decision), 2 open, 1 accepted, 0 resolved',
    )
    expect(next.doc.match(/^- 2026-11-2\d `/gm)?.length).toBe(2)
  })

  it('reads the older status block and keeps its last change when nothing changed', () => {
    const first = apply(trackerDoc([HAND_ROW])).doc
    const older = first.replace(
      /- \*\*Last change:\*\* run `([^`]+)` \(2026-11-21, commit `cf838f8`\)/,
      '- **Last refresh:** 2026-11-21, commit `cf838f8`\n- **Last change:** run `$1` (2026-11-21)',
    )
    const next = apply(older, buildReport(undefined, { runId: 'later' }), '2026-11-30')
    expect(next.doc).toContain('- **Last change:** run `20260502T100000Z-ab12` (2026-11-21)\n')
    expect(next.doc).not.toContain('Last refresh')
    expect(next.doc).not.toContain('`later`')
  })

  it('names the report directory the run wrote in new rows', () => {
    const out = updateTrackerDoc(trackerDoc([]), report, { date, reportDir: '/tmp/elsewhere/20260502T100000Z-ab12' })
    expect(rowLine(out.doc, pf('pd-4444444444'))).toContain('| new | `/tmp/elsewhere/20260502T100000Z-ab12/` |')
    expect(out.doc).not.toContain('reports/parity/')
  })

  it('keeps summary rows of components the run did not cover', () => {
    const summary =
      '| component | cases | parity | known | divergent | errors | last verified |\n|---|---:|---:|---:|---:|---:|---|\n| catalog | 4 | 4 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |\n| storage | 3 | 3 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |'
    const validatorOnly = buildReport(FIXTURE_CASES.filter((c) => c.component === 'validator'))
    const out = apply(trackerDoc([], { summary }), validatorOnly)
    expect(out.doc).toContain(
      '| catalog | 4 | 4 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |\n| storage | 3 | 3 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |\n| validator | 2 | 1 | 0 | 1 | 0 | 2026-11-21 · `cf838f8` |',
    )
  })

  describe('a filtered run', () => {
    const summary = [
      '| component | cases | parity | known | divergent | errors | last changed |',
      '|---|---:|---:|---:|---:|---:|---|',
      '| storage | 3 | 3 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |',
      '| validator | 2 | 2 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |',
    ].join('\n')
    const summaryBlock = (doc: string) =>
      doc.slice(doc.indexOf('<!-- parity:summary:begin -->'), doc.indexOf('<!-- parity:summary:end -->'))
    const storageLines = (doc: string) => doc.split('\n').filter((l) => l.startsWith('| storage |'))

    it('does not count setup cases it pulled in from other components', () => {
      // `--cases 'validator/*'`: the storage cases ran only as setup for it.
      const filtered = buildReport(undefined, { selection: { caseDir: 'parity/cases', cases: 'validator/*', tags: [] } })
      const out = updateTrackerDoc(trackerDoc([], { summary }), filtered, { date, corpusCases: { storage: 3, validator: 2 } })
      expect(storageLines(out.doc)).toEqual(['| storage | 3 | 3 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |'])
      expect(out.summary.map((c) => c.component)).toEqual(['validator'])
      expect(out.summarySkipped).toEqual([{ component: 'storage', reason: 'only 3 setup case(s) pulled in by the selection ran' }])
    })

    it('leaves a component alone when it ran only part of its cases', () => {
      const filtered = buildReport(undefined, { selection: { caseDir: 'parity/cases', cases: 'storage/list', tags: [] } })
      const out = updateTrackerDoc(trackerDoc([], { summary }), filtered, { date, corpusCases: { storage: 9, validator: 2 } })
      expect(summaryBlock(out.doc)).toBe(summaryBlock(trackerDoc([], { summary })))
      expect(out.summary).toEqual([])
      expect(out.summarySkipped).toEqual([
        { component: 'storage', reason: 'ran 3 of its 9 cases' },
        { component: 'validator', reason: 'only 2 setup case(s) pulled in by the selection ran' },
      ])
    })

    it('selects by tag as the loader does, and by file path', () => {
      const byTag = buildReport(undefined, { selection: { caseDir: 'parity/cases', tags: ['no-such-tag'] } })
      expect(updateTrackerDoc(trackerDoc([], { summary }), byTag, { date }).summary).toEqual([])
      const byFile = buildReport(undefined, { selection: { caseDir: 'parity/cases', cases: 'parity/cases/storage/*.yaml', tags: [] } })
      const out = updateTrackerDoc(trackerDoc([], { summary }), byFile, { date })
      expect(out.summary.map((c) => c.component)).toEqual(['storage'])
      expect(out.doc).toContain('| validator | 2 | 2 | 0 | 0 | 0 | 2026-11-01 · `aaaaaaa` |')
    })
  })

  it('adds the table header when the tracker block is empty', () => {
    const doc = trackerDoc([]).replace(/<!-- tracker:begin -->[\s\S]*<!-- tracker:end -->/, '<!-- tracker:begin -->\n<!-- tracker:end -->')
    const out = apply(doc)
    const ids = ['pd-1111111111', 'pd-3333333333', 'pd-4444444444', 'pd-0a1b2c3d4e', 'pd-2222222222'].map((d) => pf(d))
    expect(parseTracker(out.doc).rows.map((r) => r.id)).toEqual(ids)
    expect(out.doc).toContain(
      `<!-- tracker:begin -->\n| id | area | finding | status | evidence | first seen | resolved by |\n|---|---|---|---|---|---|---|\n| ${ids[0]} |`,
    )
  })

  it('refuses a document with a missing marker, naming it, and a malformed date', () => {
    const doc = trackerDoc([]).replace('<!-- parity:summary:end -->', '')
    expect(() => apply(doc)).toThrow(TrackerFormatError)
    expect(() => apply(doc)).toThrow(/^decisions tracker: marker <!-- parity:summary:end --> is missing/)
    expect(() => apply(trackerDoc([]), report, '21/11/2026')).toThrow(/YYYY-MM-DD/)
  })

  it('names every missing marker at once (an empty file)', () => {
    let message = ''
    try {
      apply('')
    } catch (e) {
      expect(e).toBeInstanceOf(TrackerFormatError)
      message = (e as Error).message
    }
    expect(message).toMatch(/^decisions tracker: 8 marker problems:/)
    for (const marker of ['parity:status', 'tracker', 'parity:summary', 'changelog']) {
      for (const end of ['begin', 'end']) expect(message).toContain(`marker <!-- ${marker}:${end} --> is missing`)
    }
  })

  it('tracker init writes a document every marker of which the update finds, with the workflow', () => {
    const doc = trackerTemplate()
    expect(parseTracker(doc).rows).toEqual([])
    expect(doc).toContain('<!-- load:begin -->')
    expect(doc).toContain('Known is a human decision')
    const out = apply(doc)
    expect(out.opened.length).toBe(5)
    expect(apply(out.doc).changed).toBe(false)
  })

  it('updates the project document without touching its hand-written text, idempotently', () => {
    const doc = readFileSync(new URL('../../../docs/ARCHITECTURE_COMPARISON.md', import.meta.url), 'utf8')
    const out = apply(doc)
    expect(outsideBlocks(out.doc)).toBe(outsideBlocks(doc))
    for (const id of ['D-001', 'D-002', 'D-003', 'D-004']) expect(rowLine(out.doc, id)).toBe(rowLine(doc, id))
    expect(apply(out.doc).changed).toBe(false)
  })
})
