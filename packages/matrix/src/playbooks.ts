import { createHash } from 'node:crypto'
import type { Embedder } from '@lakehouse/embed'
import { encodeJson, type Logger } from '@lakehouse/kit'
import type { Filter, Hit, IndexInfo, ItemInput, VectorIndexes } from '@lakehouse/vector'
import type { PlaybookEvidence } from './boost.ts'
import { matrixErrors } from './errors.ts'
import { queryModelOf } from './query-vectors.ts'
import type { RecordRequest } from './record-request.ts'
import { PLAYBOOK_OUTCOMES, type PlaybookOutcome } from './types.ts'

/**
 * Playbook records live in a vector index of their own: the record's query is the vector,
 * everything else is metadata. Persistence is therefore the vector service's (its saves and
 * reload on start), and "similar past queries" is one k-NN search.
 */
export interface PlaybookStore {
  readonly name: string
  /** Current index info, or undefined when the index was dropped (the next record recreates it). */
  info(): IndexInfo | undefined
  /** Bumped after every record, so cache keys of playbook searches change even when a record replaces one in place. */
  generation(): number
  record(items: readonly RecordRequest[]): Promise<number>
  /** Records near `vector` (the query embedded with the index's model) that concern one of `corpora`. */
  evidence(vector: Float32Array, corpora: readonly string[], k: number): Promise<PlaybookEvidence[]>
}

export interface PlaybookStoreDeps {
  readonly indexes: VectorIndexes
  readonly embedder: Embedder
  readonly now: () => Date
  readonly logger: Logger
}

// Embedders cap texts per call; 100 keeps a 1,000-item bulk record well inside any sane limit.
const EMBED_CHUNK = 100
const OUTCOMES: ReadonlySet<string> = new Set(PLAYBOOK_OUTCOMES)

/**
 * Deterministic id: a hash of when, where in the batch, and what. A retried request carrying the
 * same items at the same `recorded_at` replaces rather than duplicates; two identical records at
 * different times (or positions) are two records, so repeated success accumulates.
 */
export function playbookRecordId(item: RecordRequest, recordedAt: string, position: number): string {
  const text = encodeJson([recordedAt, position, item.corpus, item.outcome, item.query, item.workerIds, item.note ?? null])
  return `pb-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`
}

function toEvidence(hit: Hit): PlaybookEvidence | undefined {
  const { query, worker_ids: workerIds, outcome, corpus } = hit.metadata
  // Written by this module, but an index on disk is outside our control: skip what does not parse.
  if (typeof query !== 'string' || typeof corpus !== 'string' || typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return undefined
  if (!Array.isArray(workerIds) || !workerIds.every((id) => typeof id === 'string')) return undefined
  return { query, similarity: hit.score, outcome: outcome as PlaybookOutcome, corpus, workerIds }
}

async function ensureIndex(name: string, deps: PlaybookStoreDeps): Promise<IndexInfo> {
  const existing = deps.indexes.info(name)
  if (existing !== undefined) return existing
  // The index dimension is whatever the default model produces; one probe embedding says so.
  const probe = await deps.embedder.embed(['playbook'], deps.embedder.defaultModel)
  const { info, status } = await deps.indexes.create({ name, dim: probe.dim, metric: 'cos', model: probe.model })
  deps.logger.info('playbook index ready', { index: name, status, dim: info.dim, model: info.model })
  return info
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

export async function openPlaybookStore(name: string, deps: PlaybookStoreDeps): Promise<PlaybookStore> {
  checkMetric(await ensureIndex(name, deps))
  let generation = 0

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
      const info = checkMetric(await ensureIndex(name, deps))
      const recordedAt = deps.now().toISOString()
      const vectors = await embedAll([...new Set(items.map((item) => item.query))], info)
      const records: ItemInput[] = items.map((item, position) => ({
        id: playbookRecordId(item, recordedAt, position),
        vector: vectors.get(item.query) as Float32Array,
        metadata: {
          query: item.query,
          worker_ids: [...item.workerIds],
          outcome: item.outcome,
          corpus: item.corpus,
          recorded_at: recordedAt,
          ...(item.note === undefined ? {} : { note: item.note }),
        },
      }))
      try {
        await deps.indexes.add(name, records)
      } finally {
        // Even a failed add may have landed some items; treat the playbooks as changed.
        generation++
      }
      return records.length
    },
    async evidence(vector, corpora, k) {
      const info = deps.indexes.info(name)
      if (info === undefined || info.size === 0 || corpora.length === 0) return []
      const filter: Filter = corpora.length === 1 ? { corpus: corpora[0] ?? '' } : { corpus: { in: [...corpora] } }
      const hits = await deps.indexes.search(name, { vector, k, filter })
      return hits.map(toEvidence).filter((e): e is PlaybookEvidence => e !== undefined)
    },
  }
}
