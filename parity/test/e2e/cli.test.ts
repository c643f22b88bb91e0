import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BUNDLE, '--out', out, '--tracker', join(out, 'none.md'), ...args], {
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
