import type { Journal } from '@lakehouse/journal'
import { type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { type MemoryConfig, resolveMemoryConfig } from './config.ts'
import { createMemory } from './memory.ts'
import { rebuild } from './replay.ts'
import { createMemoryHandler } from './routes.ts'
import type { Memory } from './types.ts'

export interface MemoryDeps {
  /**
   * Where traces persist. Memory expects a store of its own: records of kinds it does not know
   * are skipped and counted. Owned by the caller; memory never closes it.
   */
  readonly journal: Journal
  readonly logger?: Logger
  /** Clock for created_at/updated_at, injectable for tests. Order never depends on it. */
  readonly now?: () => Date
}

export interface MemoryService extends Memory {
  /** Serves every `/v1/memory/...` route on its full path. */
  readonly handler: Handler
  readonly config: Readonly<MemoryConfig>
  /** Lets in-flight writes (and a running checkpoint) finish, then refuses new writes (503). Does not close the journal. */
  close(): Promise<void>
}

/**
 * Builds memory: resolves config (CONFIG_INVALID on bad values), rebuilds state from the
 * journal's checkpoint and the records after it, then serves. Async because state must be
 * complete before the first request; rejects with the journal's Problem when the journal
 * cannot be read, or MEMORY_CHECKPOINT_INVALID when its checkpoint is not a memory snapshot.
 */
export async function createMemoryService(config: Partial<MemoryConfig> | undefined, deps: MemoryDeps): Promise<MemoryService> {
  const resolved = resolveMemoryConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'memory' })
  const started = performance.now()
  const { state, checkpointSeq, tail } = await rebuild(deps.journal, logger)
  logger.info('memory rebuilt', {
    traces: state.traces.size,
    skipped_records: state.skipped,
    checkpoint_seq: checkpointSeq,
    replayed: tail,
    durMs: Math.round(performance.now() - started),
    config: resolved,
  })
  const memory = createMemory({
    config: resolved,
    journal: deps.journal,
    logger,
    now: deps.now ?? (() => new Date()),
    state,
    sinceCheckpoint: tail,
  })
  return {
    handler: createMemoryHandler(memory, resolved),
    config: resolved,
    add: (input) => memory.add(input),
    update: (uid, input) => memory.update(uid, input),
    revise: (predecessor, input) => memory.revise(predecessor, input),
    retire: (uid) => memory.retire(uid),
    get: (uid) => memory.get(uid),
    history: (uid) => memory.history(uid),
    search: (input) => memory.search(input),
    stats: () => memory.stats(),
    close: () => memory.close(),
  }
}
