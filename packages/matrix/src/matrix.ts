import type { Embedder } from '@lakehouse/embed'
import { encodeJson } from '@lakehouse/kit'
import type { IndexInfo } from '@lakehouse/vector'
import { accumulateBoosts, type BoostWeights } from './boost.ts'
import { searchCacheKey } from './cache-key.ts'
import type { MatrixConfig } from './config.ts'
import { matrixErrors } from './errors.ts'
import { toVectorFilter } from './filters.ts'
import type { MatrixIndexes } from './indexes.ts'
import { type CorpusHits, rankResults } from './merge.ts'
import type { PlaybookStore } from './playbooks.ts'
import { embedQueryFor, queryModelOf } from './query-vectors.ts'
import type { RecordRequest } from './record-request.ts'
import type { CachedAnswer, ResultCache } from './result-cache.ts'
import { parseSearchRequest, type SearchRequest } from './search-request.ts'
import type { MatrixResult, MatrixSearchResponse, PlaybookRecordResponse } from './types.ts'

export type CacheState = 'hit' | 'miss'

/** The matrix domain: search and record, no HTTP. Inputs are untrusted and checked here. */
export interface Matrix {
  search(input: unknown): Promise<{ readonly answer: CachedAnswer; readonly cache: CacheState }>
  record(items: readonly RecordRequest[]): Promise<PlaybookRecordResponse>
  close(): Promise<void>
}

export interface MatrixCoreDeps {
  readonly indexes: MatrixIndexes
  readonly embedder: Embedder
  readonly playbooks: PlaybookStore
  readonly cache: ResultCache
}

async function corpusInfo(indexes: MatrixIndexes, name: string): Promise<IndexInfo> {
  const info = await indexes.info(name)
  if (info === undefined) {
    throw matrixErrors.problem('MATRIX_CORPUS_NOT_FOUND', {
      detail: `corpus ${JSON.stringify(name)} is not a vector index`,
      extensions: { corpus: name },
    })
  }
  return info
}

/** Cosine similarities and inner products are different scales: merging them by score would be noise. */
function checkComparable(infos: readonly IndexInfo[]): void {
  const metrics = [...new Set(infos.map((info) => info.metric))].sort()
  if (metrics.length > 1) {
    throw matrixErrors.problem('MATRIX_CORPUS_INCOMPATIBLE', {
      detail: `corpora ${infos.map((i) => `${i.name} (${i.metric})`).join(', ')} use different metrics; their scores cannot be merged`,
      extensions: { metrics },
    })
  }
}

function freezeAnswer(body: MatrixSearchResponse): MatrixSearchResponse {
  for (const result of body.results) {
    if (result.playbook !== undefined) {
      for (const m of result.playbook.matched) Object.freeze(m)
      Object.freeze(result.playbook.matched)
      Object.freeze(result.playbook)
    }
    Object.freeze(result)
  }
  Object.freeze(body.results)
  return Object.freeze(body)
}

export function createMatrix(config: Readonly<MatrixConfig>, deps: MatrixCoreDeps): Matrix {
  const { indexes, embedder, playbooks, cache } = deps
  const weights: BoostWeights = {
    minSimilarity: config.playbookSimilarity,
    weight: config.playbookWeight,
    failureWeight: config.playbookFailureWeight,
    maxBoost: config.maxBoost,
  }
  const inFlight = new Set<Promise<unknown>>()
  let closed = false

  function open(): void {
    if (closed) throw matrixErrors.problem('MATRIX_UNAVAILABLE', { detail: 'the matrix service is closed' })
  }

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work)
    const done = () => inFlight.delete(work)
    work.then(done, done)
    return work
  }

  async function compute(request: SearchRequest, infos: readonly IndexInfo[], playbookInfo: IndexInfo | undefined): Promise<CachedAnswer> {
    // Empty indexes cannot contribute; skipping them also spares an embedding when nothing is indexed.
    const searched = infos.filter((info) => info.size > 0)
    const withPlaybook = playbookInfo !== undefined && playbookInfo.size > 0 && searched.length > 0 ? playbookInfo : undefined
    const vectors =
      searched.length === 0
        ? new Map<string, Float32Array>()
        : await embedQueryFor(embedder, request.query, [...searched, ...(withPlaybook ? [withPlaybook] : [])])
    const playbookVector = withPlaybook === undefined ? undefined : vectors.get(queryModelOf(withPlaybook, embedder))
    const boosts =
      playbookVector === undefined
        ? undefined
        : accumulateBoosts(await playbooks.evidence(playbookVector, request.corpora, config.playbookK), weights)
    const factor = request.usePlaybook ? config.playbookCandidates : config.overFetch
    const k = Math.min(config.maxFetch, request.k * factor)
    const filter = toVectorFilter(request.filters)
    const excludeIds = request.excludeIds.length > 0 ? request.excludeIds : undefined
    const lists: CorpusHits[] = await Promise.all(
      searched.map(async (info) => {
        const vector = vectors.get(queryModelOf(info, embedder)) as Float32Array
        const hits = await indexes.search(info.name, { vector, k, ...(excludeIds && { excludeIds }), ...(filter && { filter }) })
        return { corpus: info.name, hits }
      }),
    )
    const results: MatrixResult[] = rankResults(lists, {
      k: request.k,
      minScore: request.minScore,
      exclude: new Set(request.excludeIds),
      ...(boosts && { boosts }),
    })
    const body = freezeAnswer({ query: request.query, results, count: results.length })
    return { body, text: encodeJson(body), usedPlaybook: request.usePlaybook }
  }

  return {
    async search(input) {
      open()
      const request = parseSearchRequest(input, config)
      const infos = await Promise.all(request.corpora.map((name) => corpusInfo(indexes, name)))
      checkComparable(infos)
      const playbookInfo = request.usePlaybook ? await playbooks.info() : undefined
      // Read before the search runs: an add that lands meanwhile makes later keys differ, so this
      // answer (which may or may not see the add) is never served after it.
      const key = searchCacheKey(request, {
        sizes: infos.map((info) => info.size),
        ...(request.usePlaybook && { playbook: { size: playbookInfo?.size ?? 0, generation: playbooks.generation() } }),
      })
      const cached = cache.get(key)
      if (cached !== undefined) return { answer: cached, cache: 'hit' }
      const answer = await track(compute(request, infos, playbookInfo))
      cache.set(key, answer)
      return { answer, cache: 'miss' }
    },
    async record(items) {
      open()
      for (const corpus of new Set(items.map((item) => item.corpus))) await corpusInfo(indexes, corpus)
      const recorded = await track(playbooks.record(items))
      cache.dropPlaybookAnswers()
      return { recorded }
    },
    async close() {
      closed = true
      await Promise.allSettled([...inFlight])
      cache.clear()
    },
  }
}
