import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findRepoRoot, TrackerFormatError } from '@lakehouse/parity'
import { afterEach, describe, expect, it } from 'vitest'
import { updateLoadBlock, updateLoadTracker } from '../src/tracker/load-block.ts'
import { measurement, report, spread, twoTargetRun } from './fixtures/analysis-fixtures.ts'

const DATE = '2026-11-21'

const MINI_DOC = `# Doc

Hand-written intro.

<!-- load:begin -->
_No load run has updated this section yet._
<!-- load:end -->

## Change log

<!-- changelog:begin -->
- 2026-11-20: created.
<!-- changelog:end -->

Footer.
`

/** node at half bun's speed, tiers 10 and 50, three rounds each. */
const RUN = report({ run_id: '20261121T100000Z-aaaa', measurements: twoTargetRun({ tiers: [10, 50], rounds: 3, slow: 2 }) })

function block(doc: string): string {
  return doc.slice(doc.indexOf('<!-- load:begin -->'), doc.indexOf('<!-- load:end -->'))
}

function changelogLines(doc: string): string[] {
  const body = doc.slice(doc.indexOf('<!-- changelog:begin -->'), doc.indexOf('<!-- changelog:end -->'))
  return body.split('\n').filter((l) => l.startsWith('- '))
}

function markerError(doc: string): TrackerFormatError {
  try {
    updateLoadBlock(doc, RUN, { date: DATE })
  } catch (error) {
    if (error instanceof TrackerFormatError) return error
    throw error
  }
  throw new Error('no error thrown')
}

describe('updateLoadBlock', () => {
  it('writes one table per tier with a column group per target (median ok/s, fail %, p50, p99) and an all row', () => {
    const { doc, changed } = updateLoadBlock(MINI_DOC, RUN, { date: DATE })
    expect(changed).toBe(true)
    const b = block(doc)
    expect(b).toContain(
      '**Last run:** `20261121T100000Z-aaaa` (2026-11-21, commit `abc1234`) · mix reference (closed model) · profile standard · 100,000 corpus rows · 3 rounds × 10 s per target and tier · tiers 10, 50',
    )
    expect(b.match(/^\*\*c=\d+\*\*$/gm)).toEqual(['**c=10**', '**c=50**'])
    const header = '| scenario | node ok/s | node fail % | node p50 ms | node p99 ms | bun ok/s | bun fail % | bun p50 ms | bun p99 ms |'
    expect(b.split(header)).toHaveLength(3)
    // node: 300 iterations per 10 s between 2 and 10 ms; bun: 600 between 1 and 5 ms; profile_swap adds one failure each.
    expect(b).toContain('| cold_search_email | 30 | 0.0 | 6.0 | 9.9 | 60 | 0.0 | 3.0 | 5.0 |')
    expect(b).toContain('| profile_swap | 30 | 0.3 | 6.0 | 8.0 | 60 | 0.2 | 3.0 | 4.0 |')
    expect(b).toContain('| **all** | 60 | 0.2 | 6.0 | 9.9 | 120 | 0.08 | 3.0 | 4.9 |')
    expect(b).toContain(
      'Server RSS max: node 102 MiB, bun 102 MiB · load-generator CPU: node 40 %, bun 40 % · bun ahead in every round (+100.0 % ok/s), but 3 vs 3 rounds cannot reach p < 0.05 (p=0.10)',
    )
  })

  it('puts the seed’s Go reference row under the c=50 table only, with "—" where the seed has no figure', () => {
    const withOther = report({
      run_id: 'r-ref',
      scenarios: [
        { name: 'cold_search_email', weight: 1, thresholds: [] },
        { name: 'custom', weight: 1, thresholds: [] },
      ],
      measurements: [10, 50].flatMap((tier) =>
        ['node', 'bun'].map((target) =>
          measurement({
            target,
            tier,
            round: 1,
            scenarios: [
              { name: 'cold_search_email', ok: spread(10, 1000, 2000) },
              { name: 'custom', ok: spread(10, 1000, 2000) },
            ],
          }),
        ),
      ),
    })
    const b = block(updateLoadBlock(MINI_DOC, withOther, { date: DATE }).doc)
    const rows = b.split('\n').filter((l) => l.startsWith('| Go (seed harness, conc=50, 100k workers) |'))
    expect(rows).toEqual([
      '| Go (seed harness, conc=50, 100k workers) | 1,115 scenarios/s (438/s after its HNSW fix), 0.0 % fail | p50 2.2 ms · p99 8.6 ms · 0.0 % fail | — |',
    ])
    expect(b.indexOf(rows[0] ?? '')).toBeGreaterThan(b.indexOf('**c=50**'))
    expect(b).toContain('| reference | all | cold_search_email | custom |')
    const tier10Only = report({ run_id: 'r-10', measurements: twoTargetRun({ tiers: [10], rounds: 1 }) })
    expect(block(updateLoadBlock(MINI_DOC, tier10Only, { date: DATE }).doc)).not.toContain('Go (seed harness')
  })

  it('names the full seed figures for the reference mix’s scenarios', () => {
    const names = ['cold_search_email', 'surge_fill_validate', 'profile_swap', 'repeat_cache', 'sms_validate', 'playbook_record_replay']
    const r = report({
      run_id: 'r-seed',
      scenarios: names.map((name) => ({ name, weight: 1, thresholds: [] })),
      measurements: [measurement({ target: 'node', tier: 50, round: 1, scenarios: names.map((name) => ({ name, ok: [1000] })) })],
    })
    const row = block(updateLoadBlock(MINI_DOC, r, { date: DATE }).doc)
      .split('\n')
      .find((l) => l.startsWith('| Go'))
    expect(row).toBe(
      '| Go (seed harness, conc=50, 100k workers) | 1,115 scenarios/s (438/s after its HNSW fix), 0.0 % fail | p50 2.2 ms · p99 8.6 ms · 0.0 % fail | 98.8 % fail | p50 4.5 ms · 0.0 % fail | p50 11.7 ms · 0.0 % fail | 0.0 % fail | 96.8 % fail (a bug in its HNSW library) |',
    )
  })

  it('is idempotent: the same report twice gives a byte-identical document and one change-log line', () => {
    const once = updateLoadBlock(MINI_DOC, RUN, { date: DATE })
    const twice = updateLoadBlock(once.doc, RUN, { date: DATE })
    expect(twice).toEqual({ doc: once.doc, changed: false })
    expect(changelogLines(twice.doc)).toEqual([
      '- 2026-11-20: created.',
      '- 2026-11-21 load `20261121T100000Z-aaaa`: mix reference, closed model, tiers 10/50, 3 rounds × 10 s; c=10: bun ahead in every round (+100.0 % ok/s), but 3 vs 3 rounds cannot reach p < 0.05 (p=0.10); c=50: bun ahead in every round (+100.0 % ok/s), but 3 vs 3 rounds cannot reach p < 0.05 (p=0.10); 2 thresholds failed',
    ])
  })

  it('appends a change-log line per run that changes the block, newest last, naming the faster target', () => {
    const first = updateLoadBlock(MINI_DOC, RUN, { date: DATE }).doc
    const decisive = report({ run_id: 'r-2', measurements: twoTargetRun({ tiers: [50], rounds: 4, slow: 1.5, jitter: 0.01 }) })
    const second = updateLoadBlock(first, decisive, { date: '2026-11-22' })
    expect(second.changed).toBe(true)
    const lines = changelogLines(second.doc)
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe(
      '- 2026-11-22 load `r-2`: mix reference, closed model, tiers 50, 4 rounds × 10 s; c=50: bun faster (+50.1 % ok/s, p=0.03); 1 threshold failed',
    )
  })

  it('changes nothing outside the two blocks', () => {
    const { doc } = updateLoadBlock(MINI_DOC, RUN, { date: DATE })
    const outside = (d: string) => [
      d.slice(0, d.indexOf('<!-- load:begin -->')),
      d.slice(d.indexOf('<!-- load:end -->'), d.indexOf('<!-- changelog:begin -->')),
      d.slice(d.indexOf('<!-- changelog:end -->')),
    ]
    expect(outside(doc)).toEqual(outside(MINI_DOC))
  })

  it('updates the real docs/ARCHITECTURE_COMPARISON.md without touching the parity blocks', async () => {
    const path = join(findRepoRoot(), 'docs', 'ARCHITECTURE_COMPARISON.md')
    const doc = await readFile(path, 'utf8')
    const { doc: out } = updateLoadBlock(doc, RUN, { date: DATE })
    const before = doc.slice(0, doc.indexOf('<!-- load:begin -->'))
    expect(out.startsWith(before)).toBe(true)
    expect(out.endsWith(doc.slice(doc.indexOf('<!-- changelog:end -->')))).toBe(true)
    expect(updateLoadBlock(out, RUN, { date: DATE }).changed).toBe(false)
  })

  it.each([
    ['a missing begin marker', MINI_DOC.replace('<!-- load:begin -->\n', ''), 'marker <!-- load:begin --> is missing'],
    [
      'a duplicated end marker',
      MINI_DOC.replace('<!-- load:end -->', '<!-- load:end -->\n<!-- load:end -->'),
      'marker <!-- load:end --> occurs 2 times',
    ],
    ['a garbled marker', MINI_DOC.replace('<!-- load:begin -->', '<!- load:begin -->'), 'marker <!-- load:begin --> is garbled at line 5'],
    [
      'markers in the wrong order',
      MINI_DOC.replace('<!-- load:begin -->', '@@').replace('<!-- load:end -->', '<!-- load:begin -->').replace('@@', '<!-- load:end -->'),
      'marker <!-- load:end --> comes before <!-- load:begin -->',
    ],
    ['a missing change-log block', MINI_DOC.replace('<!-- changelog:end -->', ''), 'marker <!-- changelog:end --> is missing'],
    [
      'a load block inside the change log',
      MINI_DOC.replace('<!-- load:begin -->\n_No load run has updated this section yet._\n<!-- load:end -->', '').replace(
        '- 2026-11-20: created.',
        '<!-- load:begin -->\n<!-- load:end -->',
      ),
      'block <!-- load:begin --> (line',
    ],
  ])('refuses %s with a TrackerFormatError naming the marker', (_name, doc, message) => {
    const error = markerError(doc)
    expect(error.code).toBe('PARITY_TRACKER_MARKER')
    expect(error.message).toContain(message)
  })

  it('accepts markers with other inner whitespace', () => {
    const doc = MINI_DOC.replace('<!-- load:begin -->', '<!--load:begin-->')
    expect(updateLoadBlock(doc, RUN, { date: DATE }).changed).toBe(true)
  })
})

describe('updateLoadTracker', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('writes the document only when it changed, leaving no temp file behind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'load-tracker-'))
    const path = join(dir, 'ARCHITECTURE_COMPARISON.md')
    await writeFile(path, MINI_DOC)
    expect((await updateLoadTracker(path, RUN, { date: DATE })).changed).toBe(true)
    const written = await readFile(path, 'utf8')
    expect(written).toBe(updateLoadBlock(MINI_DOC, RUN, { date: DATE }).doc)
    expect((await updateLoadTracker(path, RUN, { date: DATE })).changed).toBe(false)
    expect(await readFile(path, 'utf8')).toBe(written)
    expect(await readdir(dir)).toEqual(['ARCHITECTURE_COMPARISON.md'])
  })

  it('leaves the file as it was when a marker is missing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'load-tracker-'))
    const path = join(dir, 'doc.md')
    const broken = MINI_DOC.replace('<!-- load:end -->', '')
    await writeFile(path, broken)
    await expect(updateLoadTracker(path, RUN, { date: DATE })).rejects.toBeInstanceOf(TrackerFormatError)
    expect(await readFile(path, 'utf8')).toBe(broken)
    expect(await readdir(dir)).toEqual(['doc.md'])
  })
})
