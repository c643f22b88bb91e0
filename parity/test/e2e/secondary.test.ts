import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../src/model.ts'
import { type ProgressEvent, runParity } from '../../src/run/runner.ts'
import { secondaryFromFlags } from '../../src/targets/target-flags.ts'
import { type DivergingPair, serve, startDivergingPair } from './diverging-servers.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CASES = fileURLToPath(new URL('../fixtures/e2e-secondary', import.meta.url))
const BUNDLE = join(ROOT, 'parity/dist/parity.js')

let pair: DivergingPair
/** A second instance of the baseline `a`: same routes, its own instance number. */
let twin: { url: string; server: Server }
let out: string
let replayed: RunReport
let withSecondary: RunReport
const events: ProgressEvent[] = []

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
  twin = await serve('a')
  out = mkdtempSync(join(tmpdir(), 'parity-secondary-'))
  replayed = (await run()).report
  withSecondary = (await run({ secondary: { name: 'a.2', url: twin.url }, onProgress: (e) => events.push(e) })).report
})

afterAll(async () => {
  await pair.close()
  twin.server.closeAllConnections()
  await new Promise<void>((resolve) => twin.server.close(() => resolve()))
  rmSync(out, { recursive: true, force: true })
})

const caseOf = (report: RunReport, id: string) => {
  const c = report.cases.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no case ${id}`)
  return c
}

describe('noise from a second instance of the baseline', () => {
  it('a replay on the same instance cannot see a per-instance difference: it is a divergence', () => {
    const c = caseOf(replayed, 'e2e.instance')
    expect(c.outcome).toBe('divergent')
    expect(c.steps[0]?.noise).toEqual([])
    expect(c.steps[0]?.divergences.map((d) => `${d.class}:${d.path}`)).toEqual(['value:$.boot'])
  })

  it('a second instance shows that path as noise, never counted', () => {
    const c = caseOf(withSecondary, 'e2e.instance')
    expect(c.outcome).toBe('parity')
    expect(c.steps[0]?.divergences).toEqual([])
    expect(c.steps[0]?.noise.map((n) => n.path)).toEqual(['$.boot'])
    expect(Object.keys(c.steps[0]?.responses ?? {})).toEqual(['a', 'b', 'a#2'])
    expect(withSecondary.divergences.some((d) => d.caseId === 'e2e.instance')).toBe(false)
  })

  it('still sees per-call noise and still reports real divergences', () => {
    expect(caseOf(withSecondary, 'e2e.noisy').steps[0]?.noise.map((n) => n.path)).toEqual(['$.ts'])
    expect(caseOf(withSecondary, 'e2e.value').outcome).toBe('divergent')
    expect(withSecondary.exitCode).toBe(1)
  })

  it('runs noise_check: false cases on the secondary too, since it has its own state', () => {
    expect(caseOf(replayed, 'e2e.setup').steps[0]?.responses['a#2']).toBeUndefined()
    expect(caseOf(withSecondary, 'e2e.setup').steps[0]?.responses['a#2']?.status).toBe(200)
  })

  it('compares only the targets: the secondary is announced but is no target or pair', () => {
    expect(withSecondary.targets.map((t) => t.name)).toEqual(['a', 'b'])
    expect(withSecondary.pairs).toEqual([['a', 'b']])
    const targets = events.find((e) => e.type === 'targets')
    expect(targets?.type === 'targets' && targets.targets.map((t) => `${t.name}${t.secondary === true ? '*' : ''}`)).toEqual([
      'a',
      'b',
      'a.2*',
    ])
  })

  it('refuses a secondary without the noise check', async () => {
    await expect(run({ noise: false, secondary: { name: 'a.2', url: twin.url } })).rejects.toMatchObject({ name: 'RunConfigError' })
  })
})

describe('--secondary / --secondary-boot', () => {
  const booted = [
    { name: 'node', runtime: 'node' as const },
    { name: 'bun', runtime: 'bun' as const },
  ]
  const urls = [
    { name: 'a', url: 'http://127.0.0.1:1' },
    { name: 'b', url: 'http://127.0.0.1:2' },
  ]

  it('names the second instance after the baseline', () => {
    expect(secondaryFromFlags({}, booted)).toBeUndefined()
    expect(secondaryFromFlags({ 'secondary-boot': true }, booted)).toEqual({ name: 'node.2', runtime: 'node' })
    expect(secondaryFromFlags({ secondary: 'http://127.0.0.1:3' }, urls)).toEqual({ name: 'a.2', url: 'http://127.0.0.1:3' })
  })

  it('boots only a booted baseline, and takes one of the two flags', () => {
    expect(() => secondaryFromFlags({ 'secondary-boot': true }, urls)).toThrow(/--secondary URL/)
    expect(() => secondaryFromFlags({ 'secondary-boot': true, secondary: 'http://127.0.0.1:3' }, booted)).toThrow(/exclude/)
  })

  it('the CLI takes --secondary URL and turns the per-instance difference into noise', async () => {
    const built = spawnSync(join(ROOT, 'node_modules/.bin/bun'), [join(ROOT, 'parity/build.ts')], { encoding: 'utf8' })
    if (built.status !== 0) throw new Error(`parity build failed: ${built.stderr}`)
    const args = ['--a', pair.a, '--b', pair.b, '--case-dir', CASES, '--cases', 'e2e.instance', '--out', out, '--no-update-docs']
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BUNDLE, ...args, '--secondary', twin.url], { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
      const timer = setTimeout(() => p.kill('SIGKILL'), 60_000)
      p.on('exit', (code) => {
        clearTimeout(timer)
        resolve({ code, stderr })
      })
    })
    expect(r.stderr).toContain(`target a.2: ${twin.url}`)
    expect(r.stderr).toContain('second baseline instance')
    expect(r.code).toBe(0)
  }, 90_000)
})
