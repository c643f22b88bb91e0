import type { Embedder } from '@lakehouse/embed'
import { type Handler, type Logger, redact, SILENT_LOGGER } from '@lakehouse/kit'
import { resolveVectorConfig, type VectorConfig } from './config.ts'
import { createVectorHandler } from './routes.ts'
import type { IndexInfo, IndexSource, VectorIndexes } from './types.ts'
import { createVectorDomain, type VectorStats } from './vector.ts'

export interface VectorDeps {
  /** State directory; each index lives in `<dir>/<name>/`. Created when missing. */
  readonly dir: string
  /** Embeds `text` items and text queries with the index's model. */
  readonly embedder: Embedder
  readonly logger?: Logger
}

export interface VectorService extends VectorIndexes {
  /** Records the dataset version an index was built from (`PUT /v1/vector/indexes/{name}/source`). */
  setSource(name: string, source: IndexSource): Promise<IndexInfo>
  /** Indexes with a recorded source: what the catalog's stale-index report reads (wired by the gateway). */
  sources(): { readonly index: string; readonly dataset: string; readonly version: number }[]
  /** Serves every route under `/v1/vector` on its full path. */
  readonly handler: Handler
  readonly config: Readonly<VectorConfig>
  stats(): VectorStats
  /** Saves every index with unsaved mutations now; rejects when a save fails (the index stays dirty). */
  flush(): Promise<void>
  /** Stops scheduling saves and flushes. */
  close(): Promise<void>
}

/**
 * Builds the vector service: resolves config (CONFIG_INVALID on bad values), loads every index
 * under `deps.dir` (an index whose files fail verification is skipped, logged and reported in
 * `stats().skipped`; it never blocks the others), then serves. Async because the indexes must be
 * loaded before the first request.
 */
export async function createVectorService(config: Partial<VectorConfig> | undefined, deps: VectorDeps): Promise<VectorService> {
  const resolved = resolveVectorConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'vector' })
  logger.info('vector config', { config: redact(resolved) })
  const domain = await createVectorDomain(resolved, { dir: deps.dir, embedder: deps.embedder, logger })
  return {
    handler: createVectorHandler(domain, resolved),
    config: resolved,
    create: (spec) => domain.create(spec),
    info: (name) => domain.info(name),
    list: () => domain.list(),
    add: (name, items) => domain.add(name, items),
    search: (name, input) => domain.search(name, input),
    has: (name, ids) => domain.has(name, ids),
    deleteItem: (name, id) => domain.deleteItem(name, id),
    drop: (name) => domain.drop(name),
    setSource: (name, source) => domain.setSource(name, source),
    sources: () => domain.sources(),
    stats: () => domain.stats(),
    flush: () => domain.flush(),
    close: () => domain.close(),
  }
}
