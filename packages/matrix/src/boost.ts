import { roundScore } from './scores.ts'
import type { PlaybookMark, PlaybookMatch } from './types.ts'

/** How many records named a worker, by outcome. */
export interface OutcomeCounts {
  readonly success: number
  readonly failure: number
}

/** The records of one past query found near the search query (playbook-items.ts reads them). */
export interface PlaybookEvidence {
  readonly query: string
  /** Cosine similarity of the record's query to the search query. */
  readonly similarity: number
  readonly corpus: string
  /** Per worker id: how many of this query's records named it, by outcome. */
  readonly workers: ReadonlyMap<string, OutcomeCounts>
}

export interface BoostWeights {
  /** Records less similar than this are ignored. */
  readonly minSimilarity: number
  readonly weight: number
  readonly failureWeight: number
  readonly maxBoost: number
}

const MATCHES_SHOWN = 3

/** Map key of a result: the same worker id in two corpora is two results. */
export function resultKey(corpus: string, id: string): string {
  return `${corpus}\u0000${id}`
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function bySimilarity(a: PlaybookMatch, b: PlaybookMatch): number {
  return b.similarity - a.similarity || byCode(a.query, b.query) || byCode(a.outcome, b.outcome)
}

/** One line per (query, outcome), the most similar: the same query recorded ten times is one explanation. */
function explain(matched: Map<string, PlaybookMatch>, match: PlaybookMatch): void {
  const label = `${match.outcome}\u0000${match.query}`
  if (!matched.has(label)) matched.set(label, match)
}

interface Merged {
  readonly query: string
  readonly similarity: number
  readonly corpus: string
  readonly workers: Map<string, OutcomeCounts>
}

/**
 * One entry per (similarity, corpus, query): an index written before aggregation holds one item
 * per record, and two entries with equal sort keys would make the float sum depend on arrival order.
 */
function mergeEvidence(evidence: readonly PlaybookEvidence[], minSimilarity: number): Merged[] {
  const merged = new Map<string, Merged>()
  for (const e of evidence) {
    if (!(e.similarity >= minSimilarity)) continue
    const key = `${e.similarity}\u0000${e.corpus}\u0000${e.query}`
    let entry = merged.get(key)
    if (entry === undefined) {
      entry = { query: e.query, similarity: e.similarity, corpus: e.corpus, workers: new Map() }
      merged.set(key, entry)
    }
    for (const [id, c] of e.workers) {
      const sum = entry.workers.get(id)
      entry.workers.set(id, sum === undefined ? c : { success: sum.success + c.success, failure: sum.failure + c.failure })
    }
  }
  return [...merged.values()].sort((a, b) => b.similarity - a.similarity || byCode(a.query, b.query) || byCode(a.corpus, b.corpus))
}

/**
 * boost(worker) = clamp(Σ_success sim × weight − Σ_failure sim × failureWeight, ±maxBoost),
 * summed over every record with sim ≥ minSimilarity that names the worker: a query recorded n
 * times for a worker counts n × sim × weight. Repeated records add up (ten placements say more
 * than one) until the cap, so no single worker can jump arbitrarily far past better corpus
 * matches. Evidence is merged and sorted before summing so the float sum does not depend on the
 * order the index returned it in; within one query failures are summed before successes, the
 * order the one-item-per-record store summed them in, so single records give the same bits.
 */
export function accumulateBoosts(evidence: readonly PlaybookEvidence[], weights: BoostWeights): Map<string, PlaybookMark> {
  const sums = new Map<string, { total: number; matched: Map<string, PlaybookMatch> }>()
  for (const e of mergeEvidence(evidence, weights.minSimilarity)) {
    const gain = e.similarity * weights.weight
    const loss = -e.similarity * weights.failureWeight
    const similarity = roundScore(e.similarity)
    for (const [id, { success, failure }] of e.workers) {
      if (success <= 0 && failure <= 0) continue
      const key = resultKey(e.corpus, id)
      const acc = sums.get(key) ?? { total: 0, matched: new Map() }
      if (failure > 0) {
        acc.total += failure * loss
        explain(acc.matched, { query: e.query, similarity, outcome: 'failure' })
      }
      if (success > 0) {
        acc.total += success * gain
        explain(acc.matched, { query: e.query, similarity, outcome: 'success' })
      }
      sums.set(key, acc)
    }
  }
  const marks = new Map<string, PlaybookMark>()
  for (const [key, { total, matched }] of sums) {
    const boost = roundScore(Math.min(weights.maxBoost, Math.max(-weights.maxBoost, total)))
    marks.set(key, { boost, matched: [...matched.values()].sort(bySimilarity).slice(0, MATCHES_SHOWN) })
  }
  return marks
}
