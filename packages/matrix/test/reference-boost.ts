import { resultKey } from '../src/boost.ts'
import { roundScore } from '../src/scores.ts'
import type { PlaybookMark, PlaybookMatch, PlaybookOutcome } from '../src/types.ts'

/**
 * The boost as computed before aggregation, kept verbatim as the reference the aggregated
 * store must reproduce: one evidence entry per stored record, summed record by record.
 */
export interface RecordEvidence {
  readonly query: string
  readonly similarity: number
  readonly outcome: PlaybookOutcome
  readonly corpus: string
  readonly workerIds: readonly string[]
}

export interface ReferenceWeights {
  readonly minSimilarity: number
  readonly weight: number
  readonly failureWeight: number
  readonly maxBoost: number
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function bySimilarity(a: PlaybookMatch, b: PlaybookMatch): number {
  return b.similarity - a.similarity || byCode(a.query, b.query) || byCode(a.outcome, b.outcome)
}

export function referenceBoosts(evidence: readonly RecordEvidence[], weights: ReferenceWeights): Map<string, PlaybookMark> {
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
      const label = `${e.outcome}\u0000${e.query}`
      if (!acc.matched.has(label)) acc.matched.set(label, { query: e.query, similarity, outcome: e.outcome })
      sums.set(key, acc)
    }
  }
  const marks = new Map<string, PlaybookMark>()
  for (const [key, { total, matched }] of sums) {
    const boost = roundScore(Math.min(weights.maxBoost, Math.max(-weights.maxBoost, total)))
    marks.set(key, { boost, matched: [...matched.values()].sort(bySimilarity).slice(0, 3) })
  }
  return marks
}
