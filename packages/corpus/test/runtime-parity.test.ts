import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { corpusSha256 } from './helpers.ts'

const BUN = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./fixtures/hash-corpus.ts', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'corpus-parity-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const run = (file: string, args: readonly string[]): string => execFileSync(file, args, { encoding: 'utf8', timeout: 60_000 }).trim()

describe('runtime parity', () => {
  // Whichever runtime hosts vitest, both children run: Bun executes the TypeScript directly;
  // Node 20 cannot strip types, so it runs the same script bundled by `bun build --target=node`.
  it('hashes 2,000 rows identically on Node, Bun and in-process', async () => {
    const bundle = join(work, 'hash-corpus.mjs')
    run(BUN, ['build', SCRIPT, '--target=node', '--format=esm', `--outfile=${bundle}`])
    const args = ['2000', 'parity-seed']
    const onBun = run(BUN, [SCRIPT, ...args])
    const onNode = run('node', [bundle, ...args])
    expect(onBun).toMatch(/^[0-9a-f]{64}$/)
    expect(onNode).toBe(onBun)
    expect(await corpusSha256({ rows: 2_000, seed: 'parity-seed' })).toBe(onBun)
  }, 60_000)
})
