import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../src/model.ts'
import { runParity } from '../../src/run/runner.ts'
import { trackerTemplate } from '../../src/tracker/index.ts'
import { type DivergingPair, startDivergingPair } from './diverging-servers.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CASES = fileURLToPath(new URL('../fixtures/e2e-cases', import.meta.url))

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

  it('a row the tool opens is `new` and fails every run until a person marks it open', async () => {
    const tracker = join(out, 'tracker.md')
    writeFileSync(tracker, trackerTemplate())
    const selection = { caseDir: CASES, root: ROOT, cases: 'e2e.{value,noisy,same}' }
    const first = await run({ selection, trackerPath: tracker, updateDocs: true })
    expect(first.report.exitCode).toBe(1)
    expect(first.tracker?.opened).toHaveLength(1)
    const id = first.report.findings[0]?.id ?? 'missing'
    const afterFirst = readFileSync(tracker, 'utf8')
    expect(afterFirst).toMatch(new RegExp(`\\| ${id} \\|.*\\| new \\|`))

    // The regression does not pass on the second run: the row is not a decision.
    const second = await run({ selection, trackerPath: tracker, updateDocs: true })
    expect(second.report.exitCode).toBe(1)
    expect(second.report.cases.find((c) => c.id === 'e2e.value')?.outcome).toBe('divergent')
    expect(second.tracker?.changed).toBe(false)
    expect(readFileSync(tracker, 'utf8')).toBe(afterFirst)

    // A person marks it open: now it is known, and the run passes.
    writeFileSync(tracker, afterFirst.replace(/\| new \|/, '| open |'))
    const third = await run({ selection, trackerPath: tracker, updateDocs: true })
    expect(third.report.exitCode).toBe(0)
    expect(third.report.cases.find((c) => c.id === 'e2e.value')?.outcome).toBe('known')
    const afterThird = readFileSync(tracker, 'utf8')
    const fourth = await run({ selection, trackerPath: tracker, updateDocs: true })
    expect(fourth.tracker?.changed).toBe(false)
    expect(readFileSync(tracker, 'utf8')).toBe(afterThird)
  })

  it('--fail-on sets which risks of unknown divergences fail the run', async () => {
    const only = (cases: string, failOn: 'breaking' | 'medium' | 'any') =>
      run({ selection: { caseDir: CASES, root: ROOT, cases }, failOn }).then((r) => r.report.exitCode)
    // e2e.value: one medium divergence; e2e.float: one breaking; e2e.error-shape: breaking + additive.
    expect(await only('e2e.value', 'any')).toBe(1)
    expect(await only('e2e.value', 'medium')).toBe(1)
    expect(await only('e2e.value', 'breaking')).toBe(0)
    expect(await only('e2e.float', 'breaking')).toBe(1)
    expect(report.divergences.some((d) => d.risk === 'additive')).toBe(true)
  })

  it('names the tracker and report directory it was given, in reports and new rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-elsewhere-'))
    try {
      const tracker = join(dir, 'my-tracker.md')
      writeFileSync(tracker, trackerTemplate())
      const reports = join(dir, 'my-reports')
      const r = await run({
        selection: { caseDir: CASES, root: ROOT, cases: 'e2e.value' },
        trackerPath: tracker,
        updateDocs: true,
        outDir: reports,
      })
      expect(r.trackerLabel).toBe(tracker)
      for (const f of ['summary.md', 'report.html']) {
        const text = readFileSync(join(reports, r.report.runId, f), 'utf8')
        expect(text).toContain(tracker)
        expect(text).not.toContain('ARCHITECTURE_COMPARISON')
        expect(text).not.toContain('reports/parity')
      }
      const doc = readFileSync(tracker, 'utf8')
      expect(doc).toContain(`\`${join(reports, r.report.runId)}/\``)
      expect(doc).not.toContain('reports/parity/')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a filtered run rewrites only the summary rows of components whose own cases it selected', async () => {
    const corpus = mkdtempSync(join(tmpdir(), 'parity-setup-cases-'))
    try {
      mkdirSync(join(corpus, 'base'))
      mkdirSync(join(corpus, 'client'))
      writeFileSync(
        join(corpus, 'base/base.yaml'),
        'cases:\n  - id: base.setup\n    title: t\n    setup: true\n    steps: [{ method: GET, path: /same }]\n  - id: base.other\n    title: t\n    steps: [{ method: GET, path: /same }]\n',
      )
      writeFileSync(
        join(corpus, 'client/client.yaml'),
        'cases:\n  - id: client.value\n    title: t\n    steps: [{ method: GET, path: /value }]\n',
      )
      const tracker = join(corpus, 'tracker.md')
      const baseRow = '| base | 2 | 2 | 0 | 0 | 0 | 2026-01-01 · `0000000` |'
      writeFileSync(
        tracker,
        trackerTemplate().replace(
          /(<!-- parity:summary:begin -->)[\s\S]*?(<!-- parity:summary:end -->)/,
          `$1\n| component | cases | parity | known | divergent | errors | last changed |\n|---|---:|---:|---:|---:|---:|---|\n${baseRow}\n$2`,
        ),
      )
      const r = await run({ selection: { caseDir: corpus, root: ROOT, cases: 'client.*' }, trackerPath: tracker, updateDocs: true })
      expect(r.report.cases.map((c) => c.id)).toEqual(['base.setup', 'client.value'])
      expect(r.tracker?.summary.map((c) => c.component)).toEqual(['client'])
      expect(r.tracker?.summarySkipped).toEqual([{ component: 'base', reason: 'only 1 setup case(s) pulled in by the selection ran' }])
      const doc = readFileSync(tracker, 'utf8')
      expect(doc).toContain(`${baseRow}\n| client | 1 | 0 | 0 | 1 | 0 |`)
    } finally {
      rmSync(corpus, { recursive: true, force: true })
    }
  })

  it('resolves a tracker row once its divergence is gone', async () => {
    const tracker = join(out, 'tracker-resolve.md')
    writeFileSync(tracker, trackerTemplate())
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

  it('a missing tracker is not a corpus problem: it offers tracker init', async () => {
    const missing = join(out, 'no-such-tracker.md')
    await expect(run({ trackerPath: missing, updateDocs: true })).rejects.toMatchObject({
      name: 'TrackerMissingError',
      message: expect.stringContaining(`pnpm parity tracker init ${missing}`),
    })
  })

  it('an empty tracker is refused before any case runs, naming every missing marker at once', async () => {
    const empty = join(out, 'empty-tracker.md')
    writeFileSync(empty, '')
    const before = readdirSync(out).length
    const err = await run({ trackerPath: empty, updateDocs: true }).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'TrackerFormatError', code: 'PARITY_TRACKER_MARKER' })
    expect((err as Error).message).toMatch(/8 marker problems/)
    expect(((err as Error).message.match(/is missing/g) ?? []).length).toBe(8)
    expect(readdirSync(out).length).toBe(before)
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
