import { describe, expect, it } from 'vitest'
import type { ReportedCase } from '../../src/model.ts'
import { findResolved, knownDivergences, parseTracker } from '../../src/tracker/index.ts'
import { buildReport, FIXTURE_CASES } from '../report/fixture-report.ts'
import { trackerDoc } from './tracker-doc.ts'

const auto = (id: string, caseId: string, status = 'open', pair = 'node→bun') =>
  `| ${id} | c | \`${caseId}\` › \`step\` (${pair}): value at \`$.a\` — differs | ${status} | \`reports/parity/r0/\` | 2026-11-01 |  |`

function rowsOf(lines: readonly string[]) {
  return parseTracker(trackerDoc(lines)).rows
}

/** The fixture without its errored case: a complete, clean-enough run for hand rows. */
const withoutError = FIXTURE_CASES.filter((c) => c.outcome !== 'error')

describe('knownDivergences', () => {
  it('maps divergence ids of open and accepted rows to the row id, first row winning', () => {
    const rows = rowsOf([
      '| D-001 | storage | groups pd-2222222222 and pd-3333333333 | open | — | 2026-11-01 |  |',
      auto('pd-2222222222', 'storage/put-object'),
      auto('pd-4444444444', 'storage/list', 'accepted'),
      auto('pd-5555555555', 'storage/list', 'resolved'),
      auto('pd-6666666666', 'storage/list', 'new'),
    ])
    expect([...knownDivergences(rows)]).toEqual([
      ['pd-2222222222', 'D-001'],
      ['pd-3333333333', 'D-001'],
      ['pd-4444444444', 'pd-4444444444'],
    ])
  })

  it('does not count a row the tool opened (`new`) as known: only a person decides', () => {
    expect(knownDivergences(rowsOf([auto('pd-6666666666', 'storage/list', 'new')])).size).toBe(0)
    expect(knownDivergences(rowsOf([auto('pd-6666666666', 'storage/list', '**New**')])).size).toBe(0)
  })
})

describe('findResolved for new rows', () => {
  it('resolves a `new` row whose divergence is gone from a run that covered it', () => {
    const rows = rowsOf([auto('pd-5555555555', 'validator/email-ok', 'new'), auto('pd-0a1b2c3d4e', 'validator/schema-error-shape', 'new')])
    expect(findResolved(rows, buildReport())).toEqual(['pd-5555555555'])
  })
})

describe('findResolved', () => {
  it('resolves auto rows whose case ran cleanly on the pair and did not diverge', () => {
    const rows = rowsOf([
      auto('pd-5555555555', 'validator/email-ok'), // ran, parity → resolved
      auto('pd-6666666666', 'storage/get-missing'), // ran but errored → not covered
      auto('pd-7777777777', 'other/not-run'), // not in the run → not covered
      auto('pd-8888888888', 'validator/email-ok', 'open', 'node→deno'), // pair not compared
      auto('pd-0a1b2c3d4e', 'validator/schema-error-shape'), // occurred → stays
      auto('pd-9999999999', 'validator/email-ok', 'resolved'), // already resolved
      auto('pd-1212121212', 'storage/list', 'accepted'), // accepted counts as open
    ])
    expect(findResolved(rows, buildReport())).toEqual(['pd-5555555555', 'pd-1212121212'])
  })

  it('resolves hand rows through the auto rows of their divergences', () => {
    const rows = rowsOf([
      '| D-001 | validator | covers pd-5555555555 | open | — | 2026-11-01 |  |',
      '| D-002 | storage | covers pd-5555555555 and pd-6666666666 | open | — | 2026-11-01 |  |',
      auto('pd-5555555555', 'validator/email-ok', 'resolved'),
      auto('pd-6666666666', 'storage/get-missing', 'resolved'),
    ])
    expect(findResolved(rows, buildReport())).toEqual(['D-001'])
  })

  it('resolves other rows only after a complete, error-free node→bun run', () => {
    const lines = [
      '| D-003 | storage | decided: pd-abcdefabcd | accepted | — | 2026-11-01 |  |',
      '| pd-abababab12 | storage | reworded by hand, no case named | open | — | 2026-11-01 |  |',
      '| D-004 | apps | no divergence ids | open | — | 2026-11-01 |  |',
    ]
    const rows = rowsOf(lines)
    expect(findResolved(rows, buildReport(withoutError))).toEqual(['D-003', 'pd-abababab12'])
    expect(findResolved(rows, buildReport())).toEqual([]) // a case errored
    expect(findResolved(rows, buildReport(withoutError, { selection: { caseDir: 'parity/cases', cases: 'storage/*', tags: [] } }))).toEqual(
      [],
    )
    expect(findResolved(rows, buildReport(withoutError, { selection: { caseDir: 'parity/cases', tags: ['smoke'] } }))).toEqual([])
    expect(findResolved(rows, buildReport(withoutError, { pairs: [['a', 'b']] }))).toEqual([])
  })

  it('keeps a row open while any of its divergences occurs', () => {
    const rows = rowsOf(['| D-005 | mixed | pd-5555555555 and pd-0a1b2c3d4e | open | — | 2026-11-01 |  |'])
    expect(findResolved(rows, buildReport(withoutError as ReportedCase[]))).toEqual([])
  })
})

describe('findResolved for finding rows (pf-)', () => {
  const findingRow = (id: string, scope: string, pair = 'node→bun') =>
    `| ${id} | c | \`header x-powered-by present→absent\` (${pair}) on 2/2 requests ${scope}; \`GET /x\` 2/2 — e.g. \`a\` › \`s\`: m | open | — | 2026-11-01 |  |`
  const clean = buildReport(withoutError)

  it('resolves a row naming its cases once those cases ran cleanly without it', () => {
    const rows = rowsOf([findingRow('pf-0000000001', 'in 1 case: `validator/email-ok`')])
    expect(findResolved(rows, clean)).toEqual(['pf-0000000001'])
    const filtered = buildReport(
      withoutError.filter((c) => c.id === 'validator/email-ok'),
      {
        selection: { caseDir: 'parity/cases', cases: 'validator/email-ok', tags: [] },
      },
    )
    expect(findResolved(rows, filtered)).toEqual(['pf-0000000001'])
  })

  it('keeps it while a named case did not run, errored, or the pair was not compared', () => {
    expect(findResolved(rowsOf([findingRow('pf-0000000002', 'in 1 case: `storage/other`')]), clean)).toEqual([])
    expect(findResolved(rowsOf([findingRow('pf-0000000003', 'in 1 case: `storage/get-missing`')]), buildReport())).toEqual([])
    expect(findResolved(rowsOf([findingRow('pf-0000000004', 'in 1 case: `validator/email-ok`', 'a→b')]), clean)).toEqual([])
  })

  it('needs a whole run for a row of a finding in more cases than it names', () => {
    const rows = rowsOf([findingRow('pf-0000000005', 'in 12 cases')])
    expect(findResolved(rows, clean)).toEqual(['pf-0000000005'])
    const filtered = buildReport(withoutError, { selection: { caseDir: 'parity/cases', cases: 'validator/*', tags: [] } })
    expect(findResolved(rows, filtered)).toEqual([])
  })

  it('resolves a contract finding row (a self-pair) only when the run checked a contract and ran that target', () => {
    const rows = rowsOf([findingRow('pf-0000000006', 'in 1 case: `validator/email-ok`', 'node→node')])
    const settings = { ...clean.settings, contract: 'openapi.json' }
    expect(findResolved(rows, buildReport(withoutError, { settings }))).toEqual(['pf-0000000006'])
    // Without a contract nothing checked node against a document: its absence proves nothing.
    expect(findResolved(rows, clean)).toEqual([])
    // A contract, but not the target the row names.
    const other = rowsOf([findingRow('pf-0000000007', 'in 1 case: `validator/email-ok`', 'deno→deno')])
    expect(findResolved(other, buildReport(withoutError, { settings }))).toEqual([])
  })

  it('keeps a row whose finding, or a merged finding naming it, still occurs', () => {
    const report = buildReport(withoutError)
    const [f] = report.findings
    if (f === undefined) throw new Error('fixture')
    expect(findResolved(rowsOf([findingRow(f.id, 'in 12 cases')]), report)).toEqual([])
    expect(findResolved(rowsOf([`| D-009 | c | decided: ${f.id} | open | — | 2026-11-01 |  |`]), report)).toEqual([])
  })
})
