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

/** The bundle with a chosen colour environment (NO_COLOR/FORCE_COLOR of this process removed). */
function parity(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = { ...process.env }
  delete base.NO_COLOR
  delete base.FORCE_COLOR
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BUNDLE, '--out', out, '--tracker', join(out, 'none.md'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...base, ...env },
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
  out = mkdtempSync(join(tmpdir(), 'parity-color-'))
})

afterAll(async () => {
  await pair.close()
  rmSync(out, { recursive: true, force: true })
})

const ESC = '\u001b['

describe('pnpm parity colour and tag flags', () => {
  const args = () => ['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--cases', 'e2e.status', '--quiet']

  it('colours the summary under FORCE_COLOR and not under NO_COLOR, which wins', async () => {
    const forced = await parity(args(), { FORCE_COLOR: '1' })
    expect(forced.code).toBe(1)
    expect(forced.stdout).toContain(ESC)
    const off = await parity(args(), { FORCE_COLOR: '1', NO_COLOR: '1' })
    expect(off.code).toBe(1)
    expect(off.stdout).not.toContain(ESC)
    const pipe = await parity(args(), {})
    expect(pipe.stdout).not.toContain(ESC)
  })

  it('accepts --tags as a spelling of --tag', async () => {
    const base = ['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--cases', 'e2e.same']
    const tag = await parity([...base, '--tag', 'e2e'], {})
    const tags = await parity([...base, '--tags', 'e2e'], {})
    expect(tag.code).toBe(0)
    expect(tags.code).toBe(0)
    expect(tags.stderr).toContain('[1/1]')
    const none = await parity([...base, '--tags', 'no-such-tag'], {})
    expect(none.stderr).not.toContain('[1/1]')
  })
})
