import { fileURLToPath } from 'node:url'
import { buildJournalWriter, buildNodeApp } from '@lakehouse/node/build'

export const RUNTIMES = ['node', 'bun'] as const
export type Runtime = (typeof RUNTIMES)[number]

export function isRuntime(value: string): value is Runtime {
  return (RUNTIMES as readonly string[]).includes(value)
}

const BUN_ENTRY = fileURLToPath(new URL('../../bun/src/main.ts', import.meta.url))
const BUN_JOURNAL_WRITER = fileURLToPath(new URL('../../bun/src/journal-writer.ts', import.meta.url))

/** The Bun binary: this process when the CLI itself runs on Bun (it does via `pnpm lakehouse`). */
function bunBinary(): string {
  return typeof Bun !== 'undefined' ? process.execPath : 'bun'
}

/**
 * argv that starts one runtime's server. Node always gets a fresh bundle (esbuild, ~0.1 s), so
 * `serve --runtime node` can never run stale code and never runs TypeScript through a loader.
 */
export async function serverCommand(runtime: Runtime): Promise<string[]> {
  if (runtime === 'node') return ['node', '--enable-source-maps', await buildNodeApp()]
  return [bunBinary(), BUN_ENTRY]
}

/**
 * argv prefix of one runtime's journal writer process (packages/journal/src/writer-process.ts).
 * Node runs a fresh bundle (built once per call; callers spawning many writers call this once).
 */
export async function journalWriterCommand(runtime: Runtime): Promise<string[]> {
  if (runtime === 'node') return ['node', await buildJournalWriter()]
  return [bunBinary(), BUN_JOURNAL_WRITER]
}
