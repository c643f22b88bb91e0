import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUN_APP_ENTRY, BUN_WRITER_ENTRY, CLI_ENTRY, cliCommand, findRepoRoot, MissingBundleError, serverCommand } from '../src/index.ts'

const empty = mkdtempSync(join(tmpdir(), 'launch-root-'))
afterAll(() => rmSync(empty, { recursive: true, force: true }))

describe('launch commands', () => {
  it('find the repository root from the package', () => {
    expect(existsSync(join(findRepoRoot(), 'pnpm-workspace.yaml'))).toBe(true)
  })

  it('name entry points that exist', () => {
    const root = findRepoRoot()
    for (const entry of [BUN_APP_ENTRY, BUN_WRITER_ENTRY, CLI_ENTRY]) expect(existsSync(join(root, entry)), entry).toBe(true)
    const [bun, entry] = serverCommand('bun', root)
    expect(existsSync(bun as string), bun).toBe(true)
    expect(entry).toBe(join(root, BUN_APP_ENTRY))
    expect(cliCommand(root)).toEqual([bun, join(root, CLI_ENTRY)])
  })

  it('refuse a Node bundle that was not built, naming it and how to build it', () => {
    expect(() => serverCommand('node', empty)).toThrow(MissingBundleError)
    expect(() => serverCommand('node', empty)).toThrow(/apps\/node\/dist\/main\.js: run `pnpm build`/)
  })
})
