import { roundScore } from './scores.ts'
import type { PlaybookMark, PlaybookMatch, PlaybookOutcome } from './types.ts'

/** One stored playbook record found near the search query. */
export interface PlaybookEvidence {
  readonly query: string
  /** Cosine similarity of the record's query to the search query. */
  readonly similarity: number
  readonly outcome: PlaybookOutcome
  readonly corpus: string
  readonly workerIds: readonly string[]
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

/**
 * boost(worker) = clamp(Σ_success sim × weight − Σ_failure sim × failureWeight, ±maxBoost),
 * summed over every record with sim ≥ minSimilarity that names the worker. Repeated records
 * add up (ten placements say more than one) until the cap, so no single worker can jump
 * arbitrarily far past better corpus matches. Evidence is sorted before summing so the float
 * sum does not depend on the order the index returned it in.
 */
export function accumulateBoosts(evidence: readonly PlaybookEvidence[], weights: BoostWeights): Map<string, PlaybookMark> {
  const used = evidence
    .filter((e) => e.similarity >= weights.minSimilarity)
    .sort((a, b) => bySimilarity(a, b) || byCode(a.corpus, b.corpus) || byCode(a.workerIds.join('\n'), b.workerIds.join('\n')))
  const sums = new Map<string, { total: number; matched: Map<string, PlaybookMatch> }>()
  for (const e of used) {
    const delta = e.outcome === 'success' ? e.similarity * weights.weight : -e.similarity * weights.failureWeight
    const similarity = roundScore(e.similarity)
    for (const id of new Set(e.workerIds)) {
      const key = resultKey(e.corpus, id)
      const acc = sums.get(key) ?? { total: 0, matched: new Map() }
      acc.total += delta
      // One line per (query, outcome): the same query recorded ten times is one explanation.
      const label = `${e.outcome}\u0000${e.query}`
      if (!acc.matched.has(label)) acc.matched.set(label, { query: e.query, similarity, outcome: e.outcome })
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
