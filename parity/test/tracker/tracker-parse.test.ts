import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseTracker, TrackerFormatError } from '../../src/tracker/index.ts'
import { trackerDoc } from './tracker-doc.ts'

describe('parseTracker', () => {
  it('reads rows, unescaping pipes and collecting every pd- and pf- id in the row', () => {
    const doc = trackerDoc([
      '| D-001 | storage | Weak etags \\| strong etags on Bun; see pd-2222222222 and `pd-2222222222`, pd-abcdef0123, finding pf-0123456789 (not xpf-0123456789) | **Open** | ADR-009 | 2026-11-01 |  |',
      "| pd-0a1b2c3d4e | validator | `validator/x` › `step` (node→bun): value at `$.a[?(@.k=='a\\|b')]` — a \\| b | _accepted_ | `reports/parity/r1/` | 2026-11-02 | |",
      '| D-002 | apps | no divergence ids here | resolved | — | 2026-10-01 | `89a5f0c` |',
    ])
    const { rows } = parseTracker(doc)
    expect(rows).toEqual([
      {
        id: 'D-001',
        area: 'storage',
        finding:
          'Weak etags | strong etags on Bun; see pd-2222222222 and `pd-2222222222`, pd-abcdef0123, finding pf-0123456789 (not xpf-0123456789)',
        status: 'open',
        evidence: 'ADR-009',
        firstSeen: '2026-11-01',
        resolvedBy: '',
        ids: ['pd-2222222222', 'pd-abcdef0123', 'pf-0123456789'],
      },
      {
        id: 'pd-0a1b2c3d4e',
        area: 'validator',
        finding: "`validator/x` › `step` (node→bun): value at `$.a[?(@.k=='a|b')]` — a | b",
        status: 'accepted',
        evidence: '`reports/parity/r1/`',
        firstSeen: '2026-11-02',
        resolvedBy: '',
        ids: ['pd-0a1b2c3d4e'],
      },
      {
        id: 'D-002',
        area: 'apps',
        finding: 'no divergence ids here',
        status: 'resolved',
        evidence: '—',
        firstSeen: '2026-10-01',
        resolvedBy: '`89a5f0c`',
        ids: [],
      },
    ])
  })

  it('reads an empty table and an empty block', () => {
    expect(parseTracker(trackerDoc([])).rows).toEqual([])
    expect(parseTracker('<!-- tracker:begin -->\n<!-- tracker:end -->').rows).toEqual([])
  })

  it('reads the project document', () => {
    const doc = readFileSync(new URL('../../../docs/ARCHITECTURE_COMPARISON.md', import.meta.url), 'utf8')
    const { rows } = parseTracker(doc)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => /^D-\d{3}$|^pd-[0-9a-f]{10}$/.test(r.id))).toBe(true)
  })

  it.each([
    ['missing', (d: string) => d.replace('<!-- tracker:end -->', ''), /marker <!-- tracker:end --> is missing/],
    [
      'garbled',
      (d: string) => d.replace('<!-- tracker:begin -->', '<!- tracker:begin ->'),
      /marker <!-- tracker:begin --> is garbled at line \d+/,
    ],
    ['duplicated', (d: string) => d.replace('## Parity summary', '<!-- tracker:begin -->'), /marker <!-- tracker:begin --> occurs 2 times/],
    [
      'out of order',
      (d: string) =>
        d
          .replace('<!-- tracker:begin -->', '@@')
          .replace('<!-- tracker:end -->', '<!-- tracker:begin -->')
          .replace('@@', '<!-- tracker:end -->'),
      /<!-- tracker:end --> comes before <!-- tracker:begin -->/,
    ],
  ])('throws a TrackerFormatError naming the marker when it is %s', (_, mutate, message) => {
    const doc = mutate(trackerDoc([]))
    expect(() => parseTracker(doc)).toThrow(message)
    expect(() => parseTracker(doc)).toThrow(TrackerFormatError)
  })

  it('accepts markers with different inner spacing', () => {
    const doc = trackerDoc([]).replace('<!-- tracker:begin -->', '<!--tracker:begin-->')
    expect(parseTracker(doc).rows).toEqual([])
  })

  it('names the line of a row it cannot read', () => {
    expect(() => parseTracker(trackerDoc(['| D-001 | a | b | done | e | f | g |']))).toThrow(
      /row D-001 \(line \d+\) has status "done", expected one of new, open, accepted, resolved/,
    )
    expect(() => parseTracker(trackerDoc(['| D-001 | a | b|c | open | e | f | g |']))).toThrow(/line 1\d has 8 cells, expected 7/)
    expect(() => parseTracker(trackerDoc(['some prose inside the block']))).toThrow(/is not a table row/)
    expect(() => parseTracker(trackerDoc(['|  | a | b | open | e | f | g |']))).toThrow(/empty id/)
    try {
      parseTracker(trackerDoc(['| D-001 | a | b | done | e | f | g |']))
    } catch (e) {
      expect((e as TrackerFormatError).code).toBe('PARITY_TRACKER_ROW')
    }
  })
})
