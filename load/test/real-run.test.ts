import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findRepoRoot } from '@lakehouse/parity'
import { Ajv } from 'ajv'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadMix } from '../src/mix/mix-loader.ts'
import { LOAD_REPORT_JSON_SCHEMA } from '../src/report/index.ts'
import { type LoadRunResult, runLoad } from '../src/run/runner.ts'

/**
 * A short real run (seconds) of the reference mix against both runtimes booted from this
 * repository, on a small prepared corpus: every scenario must pass its assertions on Node and
 * on Bun, the counters must reconcile with autocannon's, and the report and tracker block must
 * be written.
 */
const root = findRepoRoot()

describe('pnpm load against node and bun (short real run)', () => {
  let result: LoadRunResult
  const tmp = mkdtempSync(join(tmpdir(), 'load-real-'))
  const tracker = join(tmp, 'ARCHITECTURE_COMPARISON.md')

  beforeAll(async () => {
    copyFileSync(join(root, 'docs/ARCHITECTURE_COMPARISON.md'), tracker)
    result = await runLoad({
      root,
      mix: loadMix(join(root, 'load/mixes/staffing.yaml'), root),
      targets: [
        { name: 'node', runtime: 'node' },
        { name: 'bun', runtime: 'bun' },
      ],
      profile: 'test',
      model: 'closed',
      tiers: [4],
      rounds: 1,
      durationS: 3,
      warmupS: 1,
      timeoutS: 10,
      seed: 'test',
      corpus: { rows: 1000, seed: 'load' },
      cacheDir: join(tmp, 'cache'),
      outDir: join(tmp, 'reports'),
      trackerPath: tracker,
      updateDocs: true,
      pin: true,
      quiet: true,
      log: () => {},
    })
  }, 240_000)

  it('measured both runtimes, and every scenario ran and passed its assertions on both', () => {
    expect(result.report.measurements.map((m) => m.target)).toEqual(['node', 'bun'])
    for (const m of result.report.measurements) {
      for (const s of m.per_scenario) {
        expect(s.started, `${m.target} ${s.name}`).toBeGreaterThan(0)
        expect(s.failed, `${m.target} ${s.name}: ${JSON.stringify(m.failure_examples)}`).toBe(0)
      }
      expect(m.reconciliation.mismatches, m.target).toEqual([])
      expect(m.server?.pid).toBeGreaterThan(0)
      expect(m.server?.rss_max_bytes).toBeGreaterThan(10 * 1024 * 1024)
      expect(m.requests_per_s).toBeGreaterThan(0)
    }
    expect(result.report.targets.map((t) => t.runtime)).toEqual(['node', 'bun'])
  })

  it('writes the report files, valid against the report schema', () => {
    for (const f of ['report.json', 'summary.md', 'report.html', 'junit.xml']) expect(existsSync(join(result.reportDir, f)), f).toBe(true)
    const ajv = new Ajv({ allErrors: true, strict: false })
    const validate = ajv.compile(LOAD_REPORT_JSON_SCHEMA)
    const ok = validate(JSON.parse(readFileSync(join(result.reportDir, 'report.json'), 'utf8')))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
    expect(readFileSync(join(result.reportDir, 'summary.md'), 'utf8')).toContain('closed model')
  })

  it('rewrote the tracker load block', () => {
    expect(result.tracker?.changed).toBe(true)
    const doc = readFileSync(tracker, 'utf8')
    expect(doc).toContain(result.report.run_id)
  })
})

describe('pnpm load refusals (exit 2)', () => {
  const bundle = join(root, 'load/dist/load.js')
  const load = (...args: string[]) => spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', timeout: 60_000 })

  it('refuses a mix file with problems, naming them', () => {
    const r = load('--mix', join(root, 'load/mixes/nonexistent.yaml'), '--no-update-docs')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('does not exist')
  })

  it('refuses unreachable targets and bad flags', () => {
    const r = load('--a', 'http://127.0.0.1:9', '--b', 'http://127.0.0.1:9', '--mix', join(root, 'load/mixes/health.yaml'), '--quiet')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('not reachable')
    expect(load('--tiers', 'ten').status).toBe(2)
    expect(load('--no-such-flag').status).toBe(2)
    expect(load('--rate', '0').status).toBe(2)
  })
})
