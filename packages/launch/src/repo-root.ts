import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The workspace root (the directory holding pnpm-workspace.yaml), found by walking up from
 * this module — the same answer from the TypeScript source and from a bundle in some dist/.
 */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  for (let i = 0; i < 12; i++) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  throw new Error(`cannot find the repository root (pnpm-workspace.yaml) above ${from}`)
}
