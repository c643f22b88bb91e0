import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { findRepoRoot } from './repo-root.ts'

/**
 * The one place that spells how this repository starts its processes on each runtime: Node
 * runs compiled bundles (apps/node/build.ts writes them; a speed comparison with Bun must not
 * charge Node for transpiling), Bun runs the TypeScript sources. The parity and load
 * instruments, the runtime and fuzz tests, the benchmarks and `lakehouse serve` all take their
 * argv from here, so they run what a user runs. Paths are relative to the repository root; a
 * `root` argument points at another checkout (before/after benchmarks).
 */

export type AppRuntime = 'node' | 'bun'
export const APP_RUNTIMES: readonly AppRuntime[] = ['node', 'bun']

export function isAppRuntime(value: string): value is AppRuntime {
  return (APP_RUNTIMES as readonly string[]).includes(value)
}

/** Where apps/node/build.ts writes the server bundle. */
export const NODE_APP_BUNDLE = 'apps/node/dist/main.js'
/** Where apps/node/build.ts writes the journal writer bundle. */
export const NODE_WRITER_BUNDLE = 'apps/node/dist/journal-writer.js'
export const BUN_APP_ENTRY = 'apps/bun/src/main.ts'
export const BUN_WRITER_ENTRY = 'apps/bun/src/journal-writer.ts'
export const CLI_ENTRY = 'apps/cli/src/main.ts'

/** A Node bundle that has not been built: the message says how to build it. */
export class MissingBundleError extends Error {
  override readonly name = 'MissingBundleError'
  constructor(readonly path: string) {
    super(`missing ${path}: run \`pnpm build\` (or \`node_modules/.bin/bun apps/node/build.ts\`) first`)
  }
}

/** Node: this process when it is Node, else `node` from PATH. */
export function nodeBinary(): string {
  return process.versions.bun === undefined ? process.execPath : 'node'
}

/** Bun: this process when it is Bun, else the repository's own binary (not the shell shim in node_modules/.bin, so setpriv or a pid-based kill reaches Bun itself). */
export function bunBinary(root: string = findRepoRoot()): string {
  return process.versions.bun !== undefined ? process.execPath : join(root, 'node_modules/bun/bin/bun.exe')
}

function nodeBundle(root: string, relative: string): string {
  const bundle = join(root, relative)
  if (!existsSync(bundle)) throw new MissingBundleError(bundle)
  return bundle
}

/** argv that starts one runtime's server (its flags follow). Throws MissingBundleError when Node's bundle is not built. */
export function serverCommand(runtime: AppRuntime, root: string = findRepoRoot()): string[] {
  if (runtime === 'node') return [nodeBinary(), '--enable-source-maps', nodeBundle(root, NODE_APP_BUNDLE)]
  return [bunBinary(root), join(root, BUN_APP_ENTRY)]
}

/** argv prefix of one runtime's journal writer process (the journal's writer-process.ts). */
export function journalWriterCommand(runtime: AppRuntime, root: string = findRepoRoot()): string[] {
  if (runtime === 'node') return [nodeBinary(), '--enable-source-maps', nodeBundle(root, NODE_WRITER_BUNDLE)]
  return [bunBinary(root), join(root, BUN_WRITER_ENTRY)]
}

/** argv of the `lakehouse` CLI, which runs on Bun from its sources. */
export function cliCommand(root: string = findRepoRoot()): string[] {
  return [bunBinary(root), join(root, CLI_ENTRY)]
}
