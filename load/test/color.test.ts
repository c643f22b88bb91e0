import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { measurement, report } from './fixtures/analysis-fixtures.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUNDLE = join(ROOT, 'load/dist/load.js')
const ESC = '\u001b['
let dir: string

function shard(runId: string): string {
  const m = measurement({ target: 'node', tier: 10, round: 1, scenarios: [{ name: 'cold_search_email', ok: [1000, 2000], failed: [] }] })
  const file = join(dir, `${runId}.json`)
  writeFileSync(
    file,
    JSON.stringify(report({ run_id: runId, scenarios: [{ name: 'cold_search_email', weight: 1, thresholds: [] }], measurements: [m] })),
  )
  return file
}

/** `pnpm load merge` (which prints the terminal summary) under a chosen colour environment. */
function merge(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const base = { ...process.env }
  delete base.NO_COLOR
  delete base.FORCE_COLOR
  return spawnSync(process.execPath, [BUNDLE, 'merge', join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'out')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...base, ...env },
  })
}

beforeAll(() => {
  const built = spawnSync(join(ROOT, 'node_modules/.bin/bun'), [join(ROOT, 'load/build.ts')], { encoding: 'utf8' })
  if (built.status !== 0) throw new Error(`load build failed: ${built.stderr}`)
  dir = mkdtempSync(join(tmpdir(), 'load-color-'))
  shard('a')
  shard('b')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('pnpm load colour', () => {
  it('colours under FORCE_COLOR, never under a non-empty NO_COLOR (which wins), not when piped', () => {
    const forced = merge({ FORCE_COLOR: '1' })
    expect(forced.stderr).toBe('')
    expect(forced.stdout).toContain(ESC)
    expect(merge({ FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain(ESC)
    const piped = merge({})
    expect(piped.stdout).toContain('load merge-')
    expect(piped.stdout).not.toContain(ESC)
  })
})
