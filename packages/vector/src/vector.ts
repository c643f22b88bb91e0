import type { Embedder } from '@lakehouse/embed'
import type { Logger } from '@lakehouse/kit'
import { createKeyedMutex } from '@lakehouse/kit'
import { createCompactor } from './compaction.ts'
import type { VectorConfig } from './config.ts'
import { vectorErrors } from './errors.ts'
import type { HnswParams } from './hnsw-graph.ts'
import { searchIndex } from './index-search.ts'
import { checkIndexName, type IndexSpec, sameSpec, specOf } from './index-spec.ts'
import { createIndexState, insertItems, type PreparedItem, removeItem } from './index-state.ts'
import { checkItemId, checkItems, checkSearch, checkSource, checkSpec } from './input-checks.ts'
import { compileFilter } from './metadata-filter.ts'
import { createEntry, createPersistence, type Entry } from './persistence.ts'
import { freezeMetadata } from './snapshot-files.ts'
import { createModelDims, type ModelDims } from './text-embedding.ts'
import type { IndexInfo, VectorIndexes } from './types.ts'
import { prepare } from './vector-math.ts'

export interface VectorStats {
  readonly indexes: number
  readonly items: number
  /** Nodes in all graphs, dead ones (deleted or replaced items awaiting compaction) included. */
  readonly graphNodes: number
  /** Indexes with mutations not yet durable (unsaved, or in a save still being written). */
  readonly dirty: number
  readonly saves: number
  readonly saveFailures: number
  /** Graph compactions completed since start. */
  readonly compactions: number
  /** Index directories that failed verification at start; not served until dropped. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[]
  /** Indexes whose graph file failed verification at start and was rebuilt from their vectors. */
  readonly rebuilt: readonly { readonly name: string; readonly reason: string }[]
}

export interface VectorDomain extends VectorIndexes {
  /** Like `info`, but throws the problem a route answers with: 400 bad name, 409 unloadable, 404 unknown. */
  describe(name: string): IndexInfo
  /** Records what the index's items were built from (not part of its spec); persisted with the next save. */
  setSource(name: string, source: unknown): Promise<IndexInfo>
  /** Every index that has a source, for the catalog's stale-index report. */
  sources(): { readonly index: string; readonly dataset: string; readonly version: number }[]
  flush(): Promise<void>
  close(): Promise<void>
  stats(): VectorStats
}

export interface DomainDeps {
  readonly dir: string
  readonly embedder: Embedder
  readonly logger: Logger
}

export async function createVectorDomain(config: Readonly<VectorConfig>, deps: DomainDeps): Promise<VectorDomain> {
  const { logger, embedder } = deps
  const mutate = createKeyedMutex()
  const persistence = createPersistence({
    root: deps.dir,
    saveDelayMs: config.saveDelayMs,
    saveBackoff: config.saveBackoff,
    threads: config.threads,
    logger,
    mutate,
    disk: createKeyedMutex(),
  })
  const dims: ModelDims = createModelDims(embedder)
  const entries = new Map<string, Entry>()
  const unavailable = new Map<string, string>()

  const report = await persistence.loadAll()
  for (const loaded of report.loaded) {
    const entry = createEntry(deps.dir, loaded.state)
    entry.saved = loaded.saved
    entry.nextGeneration = loaded.saved.generation + 1
    entries.set(entry.name, entry)
  }
  for (const { name, reason } of report.skipped) unavailable.set(name, reason)
  const rebuilt = report.loaded
    .filter((l) => l.rebuilt !== undefined)
    .map((l) => ({ name: l.state.spec.name, reason: l.rebuilt as string }))
  // A rebuilt graph exists only in memory until saved.
  for (const { name } of rebuilt) {
    const entry = entries.get(name)
    if (entry !== undefined) persistence.markDirty(entry)
  }
  logger.info('vector indexes loaded', { indexes: entries.size, skipped: report.skipped.length, rebuilt: rebuilt.length })

  const params: HnswParams = {
    connectivity: config.connectivity,
    expansionAdd: config.expansionAdd,
    expansionSearch: config.expansionSearch,
    quantization: config.quantization,
  }

  const infoOf = (entry: Entry): IndexInfo => {
    const info = { ...specOf(entry.state.spec), size: entry.state.byId.size }
    return entry.state.source === undefined ? info : { ...info, source: { ...entry.state.source } }
  }

  const unavailableProblem = (name: string) =>
    vectorErrors.problem('VECTOR_INDEX_UNAVAILABLE', {
      detail: `index ${name} failed verification at start (see stats and the server log); DELETE it to start over`,
    })

  function entryFor(name: string): Entry {
    checkIndexName(name)
    const entry = entries.get(name)
    if (entry !== undefined) return entry
    if (unavailable.has(name)) throw unavailableProblem(name)
    throw vectorErrors.problem('VECTOR_INDEX_NOT_FOUND', { detail: `no vector index named ${name}` })
  }

  /** After an await: the index may have been dropped (and even re-created) meanwhile. */
  function stillLive(entry: Entry): Entry {
    if (entries.get(entry.name) !== entry)
      throw vectorErrors.problem('VECTOR_INDEX_NOT_FOUND', { detail: `vector index ${entry.name} was dropped` })
    return entry
  }

  const limits = config
  let closed = false

  const compactor = createCompactor({
    threads: config.threads,
    chunk: config.addChunk,
    mutate,
    logger,
    onCompacted: (entry) => persistence.markDirty(entry),
    closed: () => closed,
  })
  const persistFailed = (name: string, cause: unknown) =>
    vectorErrors.problem('VECTOR_PERSIST_FAILED', {
      detail: `index ${name} could not be written to disk`,
      headers: { 'retry-after': '1' },
      cause,
    })
  const pendingCreates = new Map<string, Promise<void>>()
  for (const entry of entries.values()) compactor.maybe(entry)

  return {
    async create(input) {
      const spec = checkSpec(input, embedder.defaultModel)
      if (spec.modelGiven) await dims.require(spec.model, spec.dim)
      const wanted: IndexSpec = specOf(spec)
      const existing = entries.get(spec.name)
      if (existing !== undefined) {
        if (!sameSpec(existing.state.spec, wanted)) {
          throw vectorErrors.problem('VECTOR_INDEX_CONFLICT', {
            detail: `index ${spec.name} exists with dim ${existing.state.spec.dim}, metric ${existing.state.spec.metric}, model ${existing.state.spec.model}`,
            extensions: { existing: specOf(existing.state.spec), requested: wanted },
          })
        }
        // A concurrent create of the same index is only "existing" once it is durable.
        await pendingCreates.get(spec.name)
        if (entries.get(spec.name) !== existing) throw persistFailed(spec.name, undefined)
        return { status: 'existing', info: infoOf(existing) }
      }
      // The files of an index that failed to load stay until it is dropped explicitly.
      if (unavailable.has(spec.name)) throw unavailableProblem(spec.name)
      const entry = createEntry(deps.dir, createIndexState(wanted, params))
      entries.set(spec.name, entry)
      entry.dirty = true
      const durable = persistence.flush(entry)
      pendingCreates.set(
        spec.name,
        durable.catch(() => undefined),
      )
      try {
        await durable
      } catch (cause) {
        if (entries.get(spec.name) === entry) entries.delete(spec.name)
        entry.dropped = true
        throw persistFailed(spec.name, cause)
      } finally {
        pendingCreates.delete(spec.name)
      }
      logger.info('vector index created', { index: spec.name, dim: spec.dim, metric: spec.metric, model: spec.model })
      return { status: 'created', info: infoOf(entry) }
    },

    info(name) {
      const entry = entries.get(name)
      return entry === undefined ? undefined : infoOf(entry)
    },

    describe: (name) => infoOf(entryFor(name)),

    async setSource(name, source) {
      const entry = entryFor(name)
      const checked = checkSource(source)
      const live = stillLive(entry)
      await mutate.run(live.lockKey, () => {
        stillLive(live)
        live.state.source = checked
      })
      // Durable before the answer: the builder relies on it to tell a stale index after a restart.
      persistence.markDirty(live)
      try {
        await persistence.flush(live)
      } catch (cause) {
        throw persistFailed(name, cause)
      }
      return infoOf(live)
    },

    sources() {
      const out: { index: string; dataset: string; version: number }[] = []
      for (const entry of entries.values()) {
        const source = entry.state.source
        if (source !== undefined) out.push({ index: entry.name, dataset: source.dataset, version: source.version })
      }
      return out.sort((a, b) => (a.index < b.index ? -1 : 1))
    },

    list() {
      return [...entries.values()].map(infoOf).sort((a, b) => (a.name < b.name ? -1 : 1))
    },

    async add(name, items) {
      const entry = entryFor(name)
      const { spec } = entry.state
      const checked = checkItems(items, spec.dim, limits)
      const texts = checked.filter((item) => item.vector === undefined).map((item) => item.text as string)
      const embedded = texts.length === 0 ? [] : await dims.embed(texts, spec.model, spec.dim)
      let next = 0
      const prepared: PreparedItem[] = checked.map((item) => ({
        id: item.id,
        vector: prepare(item.vector ?? (embedded[next++] as Float32Array), spec.metric),
        metadata: freezeMetadata(item.metadata),
      }))
      const live = stillLive(entry)
      const result = await mutate.run(live.lockKey, () => {
        stillLive(live)
        return insertItems(live.state, prepared, { threads: config.threads, chunk: config.addChunk })
      })
      persistence.markDirty(live)
      compactor.maybe(live)
      return result
    },

    async search(name, input) {
      const entry = entryFor(name)
      const { spec } = entry.state
      const checked = checkSearch(input, spec.dim, limits)
      const raw = checked.vector ?? (await dims.embed([checked.text as string], spec.model, spec.dim))[0]
      const live = stillLive(entry)
      // `raw` is already a private copy (validated or embedded), so it may be normalised in place.
      const query = prepare(raw as Float32Array, spec.metric)
      const plan = { query, k: checked.k, exclude: new Set(checked.excludeIds), predicate: compileFilter(checked.filter) }
      return searchIndex(live.state, plan, config).hits
    },

    has(name, ids) {
      const entry = entryFor(name)
      return new Set(ids.filter((id) => entry.state.byId.has(id)))
    },

    async deleteItem(name, id) {
      const entry = entryFor(name)
      checkItemId(id, config.maxIdLength)
      const removed = await mutate.run(entry.lockKey, () => entries.get(name) === entry && removeItem(entry.state, id))
      if (removed) {
        persistence.markDirty(entry)
        compactor.maybe(entry)
      }
      return removed
    },

    async drop(name) {
      checkIndexName(name)
      const entry = entries.get(name)
      if (entry === undefined) {
        if (!unavailable.has(name)) return false
        await persistence.removeUnloaded(name)
        unavailable.delete(name)
        logger.info('unloadable vector index removed', { index: name })
        return true
      }
      entries.delete(name)
      await persistence.drop(entry)
      logger.info('vector index dropped', { index: name })
      return true
    },

    flush: () => persistence.flushAll(entries.values()),

    async close() {
      closed = true
      persistence.close()
      await Promise.all([...entries.values()].map((entry) => entry.compaction))
      await persistence.flushAll(entries.values())
    },

    stats() {
      let items = 0
      let graphNodes = 0
      let dirty = 0
      for (const entry of entries.values()) {
        items += entry.state.byId.size
        graphNodes += entry.state.graph.size()
        if (entry.dirty || entry.writing) dirty++
      }
      const skipped = [...unavailable].map(([name, reason]) => ({ name, reason }))
      return {
        indexes: entries.size,
        items,
        graphNodes,
        dirty,
        ...persistence.counters(),
        compactions: compactor.completed(),
        skipped,
        rebuilt,
      }
    },
  }
}
