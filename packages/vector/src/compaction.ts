import type { KeyedMutex, Logger } from '@lakehouse/kit'
import { createGraph } from './hnsw-graph.ts'
import { addToGraph, type IndexState, type Item, yieldToEventLoop } from './index-state.ts'
import type { Entry } from './persistence.ts'

/**
 * Rebuilding the graph without its dead nodes. Deletes and replacements leave dead nodes
 * (usearch's `remove` is unsafe, see hnsw-graph.ts); they cost memory and make searches ask the
 * graph for more candidates. Once dead nodes are at least `COMPACT_MIN_DEAD` and at least as
 * many as live items, a new graph is built from the live rows in chunks — the event loop and
 * the old graph keep serving meanwhile — and swapped in under the index's mutation lock, after
 * adding the items committed during the rebuild. Each item is inserted once per rebuild and a
 * rebuild follows at least as many deletions as it has items, so the amortised cost is about
 * one extra insert per deletion.
 */

export const COMPACT_MIN_DEAD = 64

export function deadNodes(state: IndexState): number {
  return state.graph.size() - state.byKey.size
}

export function needsCompaction(state: IndexState): boolean {
  const dead = deadNodes(state)
  return state.compacting === undefined && dead >= COMPACT_MIN_DEAD && dead >= state.byKey.size
}

export interface CompactOptions {
  readonly threads: number
  readonly chunk: number
  /** Runs `fn` under the index's mutation lock. */
  readonly locked: (fn: () => void) => Promise<void>
  /** True once the rebuild is no longer wanted (index dropped, service closing). */
  readonly cancelled: () => boolean
}

/** Resolves true when the new graph was swapped in, false when cancelled. */
export async function compact(state: IndexState, options: CompactOptions): Promise<boolean> {
  const graph = createGraph(state.spec.dim, state.spec.metric, state.params)
  const queue: Item[] = []
  state.compacting = { queue }
  try {
    const items = [...state.byKey.values()]
    for (let start = 0; start < items.length; start += options.chunk) {
      await yieldToEventLoop()
      if (options.cancelled()) return false
      // Items deleted or replaced since the list was taken are left out (their rows may be reused).
      const live = items.slice(start, start + options.chunk).filter((item) => state.byKey.get(item.key) === item)
      addToGraph(graph, state, live, options.threads)
    }
    let swapped = false
    await options.locked(() => {
      if (options.cancelled()) return
      const live = queue.filter((item) => state.byKey.get(item.key) === item)
      addToGraph(graph, state, live, options.threads)
      state.graph = graph
      swapped = true
    })
    return swapped
  } finally {
    state.compacting = undefined
  }
}

export interface CompactorOptions {
  readonly threads: number
  readonly chunk: number
  readonly mutate: KeyedMutex
  readonly logger: Logger
  /** Called after a swap: the smaller graph must replace the saved one. */
  readonly onCompacted: (entry: Entry) => void
  readonly closed: () => boolean
}

/** Starts at most one background compaction per entry, when its dead nodes call for one. */
export function createCompactor(options: CompactorOptions) {
  let completed = 0
  return {
    maybe(entry: Entry): void {
      if (options.closed() || entry.dropped || entry.compaction !== undefined || !needsCompaction(entry.state)) return
      const started = performance.now()
      entry.compaction = compact(entry.state, {
        threads: options.threads,
        chunk: options.chunk,
        locked: (fn) => options.mutate.run(entry.lockKey, fn),
        cancelled: () => options.closed() || entry.dropped,
      })
        .then((swapped) => {
          if (!swapped) return
          completed++
          options.onCompacted(entry)
          const durMs = Math.round(performance.now() - started)
          options.logger.debug('vector index compacted', { index: entry.name, nodes: entry.state.graph.size(), durMs })
        })
        .catch((err: unknown) => options.logger.error('vector index compaction failed', { index: entry.name, err }))
        .finally(() => {
          entry.compaction = undefined
        })
    },
    completed: () => completed,
  }
}
