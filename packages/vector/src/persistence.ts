import { readdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { ensureDirDurable, type KeyedMutex, type Logger } from '@lakehouse/kit'
import { removeTree } from './durable-fs.ts'
import { isIndexName } from './index-spec.ts'
import type { IndexState } from './index-state.ts'
import { discardGeneration, type LoadedIndex, loadSnapshot, type SavedFiles, writeSnapshot } from './snapshot-files.ts'

/**
 * Coalesced, atomic saves of whole index snapshots, and loading them at start.
 *
 * Durability: a mutation is in memory when its call returns and on disk after the next save
 * of its index — at most `saveDelayMs` later (longer for big indexes, see `saveBackoff`), or
 * when `flush()`/`close()` resolves. A crash loses at most the mutations since the last save;
 * it never leaves a torn index (see snapshot-files.ts). Creating an index is durable before
 * `create` returns; dropping one is durable before `drop` returns.
 *
 * All disk work for one name runs in order through `disk`, so a drop never races a save and a
 * re-create never writes into a directory that a drop is removing.
 */

export interface Entry {
  /** Unique per entry, so a re-created index never waits on its predecessor's lock. */
  readonly lockKey: string
  readonly name: string
  readonly dir: string
  readonly state: IndexState
  saved: SavedFiles | undefined
  nextGeneration: number
  dirty: boolean
  /** A snapshot is being written: its mutations are not durable yet even though `dirty` is clear. */
  writing: boolean
  dropped: boolean
  timer: ReturnType<typeof setTimeout> | undefined
  saving: Promise<void> | undefined
  lastSaveMs: number
  failures: number
  /** A running graph compaction, if any. */
  compaction: Promise<void> | undefined
}

let serial = 0

/** A fresh entry for `state`, nothing saved yet. */
export function createEntry(root: string, state: IndexState): Entry {
  const name = state.spec.name
  return {
    lockKey: `${name}#${++serial}`,
    name,
    dir: join(root, name),
    state,
    saved: undefined,
    nextGeneration: 1,
    dirty: false,
    writing: false,
    dropped: false,
    timer: undefined,
    saving: undefined,
    lastSaveMs: 0,
    failures: 0,
    compaction: undefined,
  }
}

export interface PersistenceOptions {
  readonly root: string
  readonly saveDelayMs: number
  readonly saveBackoff: number
  readonly threads: number
  readonly logger: Logger
  /** Serialises graph inserts/removals of an entry (key: `entry.lockKey`); a snapshot is taken under it. */
  readonly mutate: KeyedMutex
  readonly disk: KeyedMutex
}

export interface LoadReport {
  readonly loaded: LoadedIndex[]
  readonly skipped: { name: string; reason: string }[]
}

const MAX_RETRY_MS = 60_000

export function createPersistence(options: PersistenceOptions) {
  const { logger, mutate, disk } = options
  let closed = false
  let saves = 0
  let saveFailures = 0

  async function save(entry: Entry): Promise<void> {
    await disk.run(entry.name, async () => {
      if (entry.dropped || !entry.dirty) return
      const started = performance.now()
      const generation = entry.nextGeneration++
      entry.writing = true
      try {
        await ensureDirDurable(entry.dir)
        // Only the synchronous part (graph save, pinning rows, building the body) holds the lock.
        const pending = await mutate.run(entry.lockKey, () => {
          entry.dirty = false
          return { written: writeSnapshot(entry.dir, entry.state, generation, entry.saved) }
        })
        entry.saved = await pending.written
      } catch (err) {
        entry.dirty = true
        entry.failures++
        saveFailures++
        await discardGeneration(entry.dir, generation)
        logger.error('vector index save failed', { index: entry.name, generation, err })
        throw err
      } finally {
        entry.writing = false
      }
      entry.failures = 0
      entry.lastSaveMs = performance.now() - started
      saves++
      logger.debug('vector index saved', {
        index: entry.name,
        generation,
        items: entry.state.byId.size,
        durMs: Math.round(entry.lastSaveMs),
      })
    })
  }

  function schedule(entry: Entry): void {
    if (closed || entry.dropped || !entry.dirty || entry.timer !== undefined || entry.saving !== undefined) return
    const retry = entry.failures === 0 ? 0 : Math.min(MAX_RETRY_MS, 1000 * 2 ** entry.failures)
    const delay = Math.max(options.saveDelayMs, entry.lastSaveMs * options.saveBackoff, retry)
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      run(entry)
    }, delay)
    // A pending save must not keep the process alive; close() flushes instead.
    entry.timer.unref()
  }

  function run(entry: Entry): void {
    entry.saving = save(entry)
      .catch(() => undefined)
      .finally(() => {
        entry.saving = undefined
        schedule(entry)
      })
  }

  async function flush(entry: Entry): Promise<void> {
    if (entry.timer !== undefined) clearTimeout(entry.timer)
    entry.timer = undefined
    if (entry.saving !== undefined) await entry.saving
    try {
      await save(entry)
    } finally {
      schedule(entry)
    }
  }

  return {
    markDirty(entry: Entry): void {
      entry.dirty = true
      schedule(entry)
    },
    /** Saves now, regardless of the timer; rejects when the save fails. */
    flush,
    async flushAll(entries: Iterable<Entry>): Promise<void> {
      const results = await Promise.allSettled([...entries].map(flush))
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
      if (failed !== undefined) throw failed.reason
    },
    /** Marks the entry dropped, waits for its in-flight insert and save, then removes its directory. */
    async drop(entry: Entry): Promise<void> {
      entry.dropped = true
      if (entry.timer !== undefined) clearTimeout(entry.timer)
      entry.timer = undefined
      await disk.run(entry.name, async () => {
        await mutate.run(entry.lockKey, () => undefined)
        await removeDir(entry.dir)
      })
    },
    /** Removes the directory of an index that failed to load. */
    removeUnloaded(name: string): Promise<void> {
      return disk.run(name, () => removeDir(join(options.root, name)))
    },
    async loadAll(): Promise<LoadReport> {
      await ensureDirDurable(options.root)
      const loaded: LoadedIndex[] = []
      const skipped: { name: string; reason: string }[] = []
      const dirents = await readdir(options.root, { withFileTypes: true })
      for (const d of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (d.name.startsWith('.trash-')) {
          await rm(join(options.root, d.name), { recursive: true, force: true }).catch(() => undefined)
          continue
        }
        if (!d.isDirectory()) continue
        if (!isIndexName(d.name)) {
          logger.warn('ignoring a directory that is not an index name', { dir: join(options.root, d.name) })
          continue
        }
        try {
          const index = await loadSnapshot(join(options.root, d.name), d.name, options.threads)
          if (index.rebuilt !== undefined)
            logger.warn('vector index graph rebuilt from its vectors', { index: d.name, reason: index.rebuilt })
          loaded.push(index)
        } catch (err) {
          const reason = describeLoadError(err)
          skipped.push({ name: d.name, reason })
          logger.error('vector index skipped: its files failed verification', { index: d.name, reason })
        }
      }
      return { loaded, skipped }
    },
    counters: () => ({ saves, saveFailures }),
    close(): void {
      closed = true
    },
  }
}

export type Persistence = ReturnType<typeof createPersistence>

/** A reason fit for stats and logs: file system errors name the file, not its absolute path. */
function describeLoadError(err: unknown): string {
  const { code, path } = (err ?? {}) as { code?: unknown; path?: unknown }
  if (typeof code === 'string' && typeof path === 'string') return `${basename(path)}: ${code}`
  return err instanceof Error ? err.message : String(err)
}

async function removeDir(dir: string): Promise<void> {
  try {
    await removeTree(dir)
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err
  }
}
