import { type AppRuntime, serverCommand as serverArgv, journalWriterCommand as writerArgv } from '@lakehouse/launch'
import { buildJournalWriter, buildNodeApp } from '@lakehouse/node/build'

/**
 * argv that starts one runtime's server (@lakehouse/launch). Node always gets a fresh bundle
 * first (esbuild, ~0.1 s), so `serve --runtime node` can never run stale code.
 */
export async function serverCommand(runtime: AppRuntime): Promise<string[]> {
  if (runtime === 'node') await buildNodeApp()
  return serverArgv(runtime)
}

/**
 * argv prefix of one runtime's journal writer process (packages/journal/src/writer-process.ts).
 * Node runs a fresh bundle (built once per call; callers spawning many writers call this once).
 */
export async function journalWriterCommand(runtime: AppRuntime): Promise<string[]> {
  if (runtime === 'node') await buildJournalWriter()
  return writerArgv(runtime)
}
