import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../src/model.ts'
import { runParity } from '../../src/run/runner.ts'
import { type DivergingPair, startDivergingPair } from './diverging-servers.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CASES = fileURLToPath(new URL('../fixtures/e2e-cases', import.meta.url))
const TRACKER_TEMPLATE = join(ROOT, 'docs/ARCHITECTURE_COMPARISON.md')

let pair: DivergingPair
let out: string
let report: RunReport

const run = (extra: Partial<Parameters<typeof runParity>[0]> = {}) =>
  runParity({
    targets: [
      { name: 'a', url: pair.a },
      { name: 'b', url: pair.b },
    ],
    selection: { caseDir: CASES, root: ROOT },
    outDir: out,
    updateDocs: false,
    ...extra,
  })

beforeAll(async () => {
  pair = await startDivergingPair()
  out = mkdtempSync(join(tmpdir(), 'parity-e2e-'))
  report = (await run()).report
})

afterAll(async () => {
  await pair.close()
  rmSync(out, { recursive: true, force: true })
})

const caseOf = (id: string) => {
  const c = report.cases.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no case ${id}`)
  return c
}
const classes = (id: string) => caseOf(id).steps.flatMap((s) => s.divergences.map((d) => `${d.class}:${d.risk}:${d.path}`))

describe('parity against two deliberately diverging services', () => {
  it('finds nothing where they agree', () => {
    expect(caseOf('e2e.same').outcome).toBe('parity')
    expect(caseOf('e2e.keyed').outcome).toBe('parity')
  })

  it('classifies a status difference as breaking', () => {
    expect(classes('e2e.status')).toEqual(['status:breaking:status'])
  })

  it('sees the tagged-enum vs flat error pair as missing and extra members', () => {
    const found = classes('e2e.error-shape')
    expect(found).toContain('missing:breaking:$.errors[0].Schema')
    expect(found.filter((f) => f.startsWith('extra:additive:$.errors[0].'))).toHaveLength(3)
  })

  it('reports a value difference as medium', () => {
    expect(classes('e2e.value')).toEqual(['value:medium:$.n'])
  })

  it('tells 1 from 1.0', () => {
    expect(classes('e2e.float')).toEqual(['type:breaking:$.n'])
  })

  it('reports a header difference', () => {
    expect(classes('e2e.header')).toEqual(['header:medium:header:cache-control'])
  })

  it('reports an order-only difference as its own class', () => {
    expect(classes('e2e.order')).toEqual(['order:medium:$.tags'])
  })

  it('treats a changing timestamp as noise, not a divergence', () => {
    const c = caseOf('e2e.noisy')
    expect(c.outcome).toBe('parity')
    expect(c.steps[0]?.noise.map((n) => n.path)).toEqual(['$.ts'])
    expect(report.summary.noise).toBeGreaterThanOrEqual(1)
  })

  it('flags an ignore rule that matched nothing as stale', () => {
    expect(report.staleRules).toContainEqual({ caseId: 'e2e.keyed', rule: '$.never_there' })
  })

  it('exits 1 on new divergences and writes all four report files', () => {
    expect(report.exitCode).toBe(1)
    for (const f of ['report.json', 'summary.md', 'report.html', 'junit.xml']) {
      expect(readFileSync(join(out, report.runId, f), 'utf8').length).toBeGreaterThan(100)
    }
    expect(report.cases.every((c) => c.latencyMs.a !== undefined && c.latencyMs.b !== undefined)).toBe(true)
  })

  it('gives the same divergence the same id on every run', async () => {
    const again = (await run({ selection: { caseDir: CASES, root: ROOT, cases: 'e2e.value' } })).report
    expect(again.divergences.map((d) => d.id)).toEqual(report.divergences.filter((d) => d.caseId === 'e2e.value').map((d) => d.id))
  })

  it('counts a tracked divergence as known and exits 0; --update-docs opens rows and is idempotent', async () => {
    const tracker = join(out, 'tracker.md')
    copyFileSync(TRACKER_TEMPLATE, tracker)
    const first = await run({
      selection: { caseDir: CASES, root: ROOT, cases: 'e2e.{value,noisy,same}' },
      trackerPath: tracker,
      updateDocs: true,
    })
    expect(first.report.exitCode).toBe(1)
    expect(first.tracker?.opened).toHaveLength(1)
    const afterFirst = readFileSync(tracker, 'utf8')
    expect(afterFirst).toContain(first.report.divergences[0]?.id ?? 'missing')

    const second = await run({
      selection: { caseDir: CASES, root: ROOT, cases: 'e2e.{value,noisy,same}' },
      trackerPath: tracker,
      updateDocs: true,
    })
    expect(second.report.exitCode).toBe(0)
    expect(second.report.cases.find((c) => c.id === 'e2e.value')?.outcome).toBe('known')
    expect(second.tracker?.changed).toBe(false)
    expect(readFileSync(tracker, 'utf8')).toBe(afterFirst)
  })

  it('resolves a tracker row once its divergence is gone', async () => {
    const tracker = join(out, 'tracker-resolve.md')
    copyFileSync(TRACKER_TEMPLATE, tracker)
    await run({ selection: { caseDir: CASES, root: ROOT, cases: 'e2e.value' }, trackerPath: tracker, updateDocs: true })
    // The same case id against two agreeing targets: the divergence is gone.
    const same = await runParity({
      targets: [
        { name: 'a', url: pair.a },
        { name: 'b', url: pair.a },
      ],
      selection: { caseDir: CASES, root: ROOT, cases: 'e2e.value' },
      outDir: out,
      trackerPath: tracker,
      updateDocs: true,
    })
    expect(same.report.exitCode).toBe(0)
    expect(same.tracker?.resolved).toHaveLength(1)
    expect(readFileSync(tracker, 'utf8')).toMatch(/\| resolved \|/)
  })

  it('refuses a broken corpus before contacting any target', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'parity-bad-cases-'))
    writeFileSync(join(bad, 'x.yaml'), 'id: Bad Id\ntitle: t\nsteps: [{ method: FETCH, path: nope }]\n')
    try {
      await expect(run({ selection: { caseDir: bad, root: ROOT } })).rejects.toMatchObject({ name: 'CaseConfigError' })
    } finally {
      rmSync(bad, { recursive: true, force: true })
    }
  })

  it('refuses an unreachable target with a TargetError', async () => {
    await expect(
      runParity({
        targets: [
          { name: 'a', url: pair.a },
          { name: 'b', url: 'http://127.0.0.1:9' },
        ],
        selection: { caseDir: CASES, root: ROOT },
        outDir: out,
        updateDocs: false,
        timeouts: { connectMs: 1000, headersMs: 1000, bodyMs: 1000 },
      }),
    ).rejects.toMatchObject({ name: 'TargetError' })
  })
})
