import type { Embedder } from '@lakehouse/embed'
import { createKeyedMutex, type Logger } from '@lakehouse/kit'
import type { Filter, IndexInfo, ItemInput } from '@lakehouse/vector'
import type { PlaybookEvidence } from './boost.ts'
import { matrixErrors } from './errors.ts'
import type { MatrixIndexes } from './indexes.ts'
import {
  decodeAggregate,
  encodeAggregate,
  foldRecords,
  PLAYBOOK_FORMAT,
  type PlaybookAggregate,
  playbookItemId,
  toEvidence,
} from './playbook-items.ts'
import { queryModelOf } from './query-vectors.ts'
import type { RecordRequest } from './record-request.ts'

/**
 * Playbook records live in a vector index of their own, one item per (corpus, query): the query
 * is the vector, the per-worker counts of its records the metadata (playbook-items.ts).
 * Persistence is therefore the vector service's (its saves and reload on start), and "similar
 * past queries" is one k-NN search over distinct queries.
 */
export interface PlaybookStore {
  readonly name: string
  /** Current index info, or undefined when the index was dropped (the next record recreates it). */
  info(): IndexInfo | undefined | Promise<IndexInfo | undefined>
  /** Bumped after every record, so cache keys of playbook searches change even when a record replaces one in place. */
  generation(): number
  /** Folds the items into their queries' items; records of one query never lose a count to a concurrent record. */
  record(items: readonly RecordRequest[]): Promise<number>
  /** The `k` past queries nearest `vector` (the query embedded with the index's model) recorded for one of `corpora`. */
  evidence(vector: Float32Array, corpora: readonly string[], k: number): Promise<PlaybookEvidence[]>
}

export interface PlaybookStoreDeps {
  readonly indexes: MatrixIndexes
  readonly embedder: Embedder
  readonly now: () => Date
  readonly logger: Logger
}

// Embedders cap texts per call; 100 keeps a 1,000-item bulk record well inside any sane limit.
const EMBED_CHUNK = 100

async function ensureIndex(name: string, deps: PlaybookStoreDeps): Promise<{ info: IndexInfo; created: boolean }> {
  const existing = await deps.indexes.info(name)
  if (existing !== undefined) return { info: existing, created: false }
  // The index dimension is whatever the default model produces; one probe embedding says so.
  const probe = await deps.embedder.embed(['playbook'], deps.embedder.defaultModel)
  const { info, status } = await deps.indexes.create({ name, dim: probe.dim, metric: 'cos', model: probe.model })
  deps.logger.info('playbook index ready', { index: name, status, dim: info.dim, model: info.model })
  return { info, created: status === 'created' }
}

function checkMetric(info: IndexInfo): IndexInfo {
  if (info.metric !== 'cos') {
    throw matrixErrors.problem('MATRIX_PLAYBOOK_INDEX_INVALID', {
      detail: `playbook index ${info.name} uses metric ${info.metric}; playbooks need cos (drop the index or configure another name)`,
      extensions: { index: info.name },
    })
  }
  return info
}

interface QueryGroup {
  readonly id: string
  readonly query: string
  readonly corpus: string
  readonly items: RecordRequest[]
}

/** Items by the item they fold into, ids in code-unit order (the order their locks are taken in). */
function groupByItem(items: readonly RecordRequest[]): QueryGroup[] {
  const groups = new Map<string, QueryGroup>()
  for (const item of items) {
    const id = playbookItemId(item.corpus, item.query)
    const group = groups.get(id)
    if (group === undefined) groups.set(id, { id, query: item.query, corpus: item.corpus, items: [item] })
    else group.items.push(item)
  }
  return [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function corpusFilter(corpora: readonly string[]): Filter[string] {
  return corpora.length === 1 ? (corpora[0] ?? '') : { in: [...corpora] }
}

export async function openPlaybookStore(name: string, deps: PlaybookStoreDeps): Promise<PlaybookStore> {
  const opened = checkMetric((await ensureIndex(name, deps)).info)
  let generation = 0
  // Read-fold-write of one query's item is serialised per item id: concurrent records of one
  // query would otherwise both read n and both write n + 1.
  const locks = createKeyedMutex()
  // Items written before aggregation (format 1, one per record) are searched separately, so
  // they cannot crowd the aggregated queries out of the k nearest. Checked once at open: nothing
  // writes format 1 any more, and a dropped index takes its old items with it.
  let legacy = await holdsFormat1(opened)

  async function holdsFormat1(info: IndexInfo): Promise<boolean> {
    if (info.size === 0) return false
    // Any vector will do: the filter decides (a missing member matches null, docs/vector.md).
    const probe = new Float32Array(info.dim)
    probe[0] = 1
    return (await deps.indexes.search(name, { vector: probe, k: 1, filter: { format: null } })).length > 0
  }

  function withLocks<T>(ids: readonly string[], fn: () => Promise<T>): Promise<T> {
    const [first, ...rest] = ids
    return first === undefined ? fn() : locks.run(first, () => withLocks(rest, fn))
  }

  /** The query's current item, read under its lock; undefined when it has none yet. */
  async function current(group: QueryGroup, vector: Float32Array, present: ReadonlySet<string>): Promise<PlaybookAggregate | undefined> {
    if (!present.has(group.id)) return undefined
    // The filter passes exactly this item (index names and normalised queries are lower-case), so
    // the vector service returns it whatever the graph proposes.
    const filter: Filter = { format: PLAYBOOK_FORMAT, corpus: group.corpus, query: group.query }
    const hit = (await deps.indexes.search(name, { vector, k: 1, filter })).find((h) => h.id === group.id)
    const aggregate = hit === undefined ? undefined : decodeAggregate(hit.metadata)
    if (aggregate === undefined) deps.logger.warn('unreadable playbook item replaced', { index: name, id: group.id })
    return aggregate
  }

  async function embedAll(queries: readonly string[], info: IndexInfo): Promise<Map<string, Float32Array>> {
    const model = queryModelOf(info, deps.embedder)
    const vectors = new Map<string, Float32Array>()
    for (let i = 0; i < queries.length; i += EMBED_CHUNK) {
      const chunk = queries.slice(i, i + EMBED_CHUNK)
      const result = await deps.embedder.embed(chunk, model)
      chunk.forEach((q, j) => {
        const v = result.vectors[j]
        if (v === undefined || v.length !== info.dim) {
          throw matrixErrors.problem('MATRIX_CORPUS_INCOMPATIBLE', {
            detail: `playbook index ${info.name} holds ${info.dim}-dimensional vectors but model ${model} embeds to ${v?.length ?? 0}`,
            extensions: { corpus: info.name },
          })
        }
        vectors.set(q, v)
      })
    }
    return vectors
  }

  return {
    name,
    info: () => deps.indexes.info(name),
    generation: () => generation,
    async record(items) {
      const { info, created } = await ensureIndex(name, deps)
      checkMetric(info)
      if (created) legacy = false
      const recordedAt = deps.now().toISOString()
      const groups = groupByItem(items)
      const vectors = await embedAll([...new Set(items.map((item) => item.query))], info)
      const ids = groups.map((g) => g.id)
      try {
        await withLocks(ids, async () => {
          const present = await deps.indexes.has(name, ids)
          const upserts: ItemInput[] = await Promise.all(
            groups.map(async (group) => {
              const vector = vectors.get(group.query) as Float32Array
              const folded = foldRecords(await current(group, vector, present), group, group.items, recordedAt)
              return { id: group.id, vector, metadata: encodeAggregate(folded) }
            }),
          )
          // One add: the vector service replaces the items of queries recorded before.
          await deps.indexes.add(name, upserts)
        })
      } finally {
        // Even a failed add may have landed some items; treat the playbooks as changed.
        generation++
      }
      return items.length
    },
    async evidence(vector, corpora, k) {
      const info = await deps.indexes.info(name)
      if (info === undefined) legacy = false
      if (info === undefined || info.size === 0 || corpora.length === 0) return []
      const corpus = corpusFilter(corpora)
      const searches = [deps.indexes.search(name, { vector, k, filter: { corpus, format: PLAYBOOK_FORMAT } })]
      if (legacy) searches.push(deps.indexes.search(name, { vector, k, filter: { corpus, format: null } }))
      const hits = (await Promise.all(searches)).flat()
      return hits.map(toEvidence).filter((e): e is PlaybookEvidence => e !== undefined)
    },
  }
}
