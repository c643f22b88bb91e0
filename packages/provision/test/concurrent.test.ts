import { chmod, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DATA_DIR_SUBDIRS, provision } from '../src/index.ts'
import { type ChildResult, startBarrierChild, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const CHILDREN = 4
const TRIALS = 10

type Outcome = { created: readonly string[]; key: { path: string; created: boolean; repaired: boolean } }

/**
 * Starts CHILDREN Bun processes on `dir`, waits until every one has loaded, then releases
 * them together and provisions from this (the test runner's) process at the same moment, so
 * the race spans runtimes when vitest runs on Node.
 */
async function race(dir: string): Promise<Outcome[]> {
  const children = Array.from({ length: CHILDREN }, () => startBarrierChild([dir]))
  await Promise.all(children.map((c) => c.ready))
  for (const c of children) c.go()
  const [own, ...runs] = await Promise.all([provision(dir), ...children.map((c) => c.done)])
  const outcomes: Outcome[] = [own as Outcome]
  for (const run of runs as ChildResult[]) {
    expect(run.result.ok, `child failed: ${run.stderr}`).toBe(true)
    expect(run.exitCode).toBe(0)
    if (run.result.ok) outcomes.push(run.result.report)
  }
  return outcomes
}

describe('concurrent provisioning', () => {
  it(`${CHILDREN} Bun processes and this one on the same fresh directory all succeed with the same key (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = join(await tempDir(), 'data')
      const outcomes = await race(dir)
      const key = await readFile(join(dir, 'secret.key'), 'utf8')
      expect(key).toMatch(/^[0-9a-f]{64}\n$/)
      expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600)
      // Exactly one link() wins; everyone else read the winner's key.
      expect(outcomes.filter((o) => o.key.created)).toHaveLength(1)
      expect(new Set(outcomes.map((o) => o.key.path))).toEqual(new Set([join(dir, 'secret.key')]))
      // Every entry was created by exactly one process: the losers of each mkdir saw EEXIST.
      const created = outcomes.flatMap((o) => o.created).sort()
      expect(created).toEqual(['.', ...DATA_DIR_SUBDIRS, 'secret.key'].sort())
      // No loser left its temp key or a probe behind.
      expect((await readdir(dir)).sort()).toEqual([...DATA_DIR_SUBDIRS, 'secret.key'].sort())
      expect(await readdir(join(dir, 'tmp'))).toEqual([])
    }
  }, 120_000)

  it('all agree on the same key when they race to repair a loose one', async () => {
    const dir = await tempDir()
    await provision(dir)
    const before = await readFile(join(dir, 'secret.key'))
    await chmod(join(dir, 'secret.key'), 0o644)
    const outcomes = await race(dir)
    expect(outcomes.every((o) => !o.key.created)).toBe(true)
    expect(outcomes.some((o) => o.key.repaired)).toBe(true)
    expect(await readFile(join(dir, 'secret.key'))).toEqual(before)
    expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600)
  }, 60_000)
})
