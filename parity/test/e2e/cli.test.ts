import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DivergingPair, startDivergingPair } from './diverging-servers.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CASES = fileURLToPath(new URL('../fixtures/e2e-cases', import.meta.url))
const BUNDLE = join(ROOT, 'parity/dist/parity.js')

let pair: DivergingPair
let out: string

// Async spawn: the diverging servers live in this process and must keep answering.
function parity(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return bare(['--out', out, '--tracker', join(out, 'none.md'), ...args])
}

function bare(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BUNDLE, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000)
    p.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

beforeAll(async () => {
  const built = spawnSync(join(ROOT, 'node_modules/.bin/bun'), [join(ROOT, 'parity/build.ts')], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`parity build failed: ${built.stderr}`)
  pair = await startDivergingPair()
  out = mkdtempSync(join(tmpdir(), 'parity-cli-'))
})

afterAll(async () => {
  await pair.close()
  rmSync(out, { recursive: true, force: true })
})

describe('pnpm parity exit codes', () => {
  it('exits 0 when every selected case agrees', async () => {
    const r = await parity(['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--cases', 'e2e.{same,noisy,keyed}'])
    expect(r.stderr).toContain('[3/3]')
    expect(r.code).toBe(0)
  })

  it('exits 1 on a new divergence and prints the summary table', async () => {
    const r = await parity(['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('e2e')
    expect(r.stdout).toContain('report.html')
  })

  it('exits 2 on a bad flag, a bad selection and an unreachable target', async () => {
    expect((await parity(['--frobnicate'])).code).toBe(2)
    expect((await parity(['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--cases', 'nothing.*'])).code).toBe(2)
    const down = await parity(['--a', pair.a, '--b', 'http://127.0.0.1:9', '--case-dir', CASES, '--timeout', '1s'])
    expect(down.code).toBe(2)
    expect(down.stderr).toContain('not reachable')
  })
})

describe('pnpm parity and its tracker', () => {
  it('tracker init writes an empty tracker with every marker, and never overwrites', async () => {
    const file = join(out, 'init', 'tracker.md')
    const r = await bare(['tracker', 'init', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('tracker.md')
    const doc = readFileSync(file, 'utf8')
    for (const m of ['parity:status', 'tracker', 'parity:summary', 'changelog', 'load']) {
      expect(doc).toContain(`<!-- ${m}:begin -->`)
      expect(doc).toContain(`<!-- ${m}:end -->`)
    }
    const again = await bare(['tracker', 'init', file])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already exists')
    expect((await bare(['tracker', 'frobnicate'])).code).toBe(2)
  })

  it('a missing --tracker offers tracker init instead of blaming the corpus', async () => {
    const missing = join(out, 'missing-tracker.md')
    const r = await bare(['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--out', out, '--tracker', missing, '--update-docs'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('tracker init')
    expect(r.stderr).toContain('missing-tracker.md')
    expect(r.stderr).not.toContain('case corpus')
    expect(existsSync(missing)).toBe(false)
  })

  it('an empty --tracker gets one clear error naming all eight markers, no stack trace', async () => {
    const empty = join(out, 'empty.md')
    writeFileSync(empty, '')
    const r = await bare(['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--out', out, '--tracker', empty, '--update-docs'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('empty.md')
    expect(r.stderr.match(/is missing/g)?.length).toBe(8)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('--fail-on breaking lets a medium divergence pass; a bad level is refused', async () => {
    const medium = ['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--cases', 'e2e.value', '--quiet']
    expect((await parity(medium)).code).toBe(1)
    expect((await parity([...medium, '--fail-on', 'breaking'])).code).toBe(0)
    const bad = await parity([...medium, '--fail-on', 'severe'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--fail-on must be one of breaking, medium, any')
  })

  it('names the tracker it used and says what it changed', async () => {
    const tracker = join(out, 'named.md')
    expect((await bare(['tracker', 'init', tracker])).code).toBe(0)
    const args = ['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--out', out, '--tracker', tracker, '--update-docs', '--quiet']
    const r = await bare(args)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('named.md')
    expect(r.stdout).not.toContain('ARCHITECTURE_COMPARISON')
    expect(r.stdout).toMatch(/tracker \S*named\.md updated: opened \d+, resolved 0, reopened 0, summary rows changed 1/)
    expect(r.stdout).toContain('  summary probe: new row → 9 cases')
    expect(r.stdout).toMatch(/row\(s\) now have status new/)
    const again = await bare(args)
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/tracker \S*named\.md unchanged/)
  })
})
