/**
 * Ranked lists (search hits, best first) compared as ranked lists. Index by index, one rank
 * swap near the top of a k=100 answer shifts every later element and becomes hundreds of
 * findings; here the two top-k lists are matched by id and measured instead:
 *
 *   overlap       shared ids ÷ the size of the larger top-k list
 *   displacement  |rank on the baseline − rank on the candidate| of each shared id (max, mean)
 *   score         |score difference| of each shared id, against a tolerance
 *
 * and reported as ONE finding at the array's path when a threshold is crossed, e.g.
 * "7 of 10 shared (3 only on node, 3 only on bun), max displacement 3, mean 1.29". Its class
 * and risk follow the worst crossed threshold: ids of the baseline missing from the
 * candidate's top k are `missing`/breaking (only extra ids: `extra`/additive), displacement
 * is `order`/medium, scores are `value`/medium. The other members of each shared id's
 * element (metadata, …) are still walked by the normal differ, at
 * `$.hits[?(@.id=='P-01')].metadata…`; elements of ids only one side returned, and elements
 * beyond k, are not compared member by member.
 */
import type { DivergenceClass, RankedRule, Risk } from '../model.ts'
import { elementKey, type JsonDiffContext } from './json-diff-context.ts'
import { filterPath, memberPath, type PathNode } from './json-path.ts'
import { jsonTypeOf, numbersEqual, numberText } from './json-type.ts'

/** Thresholds when a rule leaves them out: any difference in the top k is a divergence. */
export const RANKED_DEFAULTS = Object.freeze({ minOverlap: 1, maxDisplacement: 0 })

export interface RankedStats {
  /** Size of the larger of the two top-k lists: the denominator of `overlap`. */
  readonly size: number
  readonly shared: number
  /** Baseline ids (in its top k) the candidate's top k lacks. */
  readonly onlyBaseline: number
  /** Candidate ids (in its top k) the baseline's top k lacks. */
  readonly onlyCandidate: number
  /** shared ÷ size; 1 for two empty lists. */
  readonly overlap: number
  readonly maxDisplacement: number
  readonly meanDisplacement: number
  /** Shared ids whose scores are numbers on both sides. */
  readonly scored: number
  /** Of those, how many differ by more than the score tolerance. */
  readonly scoresBeyond: number
  readonly maxScoreDelta: number
}

/** Ids of a top-k list in rank order; a repeated id gets a suffix so the n-th meets the n-th. */
function rankedIds(list: readonly unknown[], key: string): (string | undefined)[] {
  const seen = new Map<string, number>()
  return list.map((el) => {
    const id = elementKey(el, key)
    if (id === undefined) return undefined
    const n = seen.get(id) ?? 0
    seen.set(id, n + 1)
    return n === 0 ? id : `${id}\u0000${n}`
  })
}

function plainId(id: string): string {
  const cut = id.indexOf('\u0000')
  return cut < 0 ? id : id.slice(0, cut)
}

function isNumber(value: unknown): boolean {
  const t = jsonTypeOf(value)
  return t === 'integer' || t === 'float' || t === 'bigint'
}

function without(element: unknown, member: string): unknown {
  const { [member]: _dropped, ...rest } = element as Record<string, unknown>
  return rest
}

/** 3 significant digits, without trailing zeros: 1.2857 → "1.29", 0.000001 → "0.000001". */
function short(n: number): string {
  return String(Number(n.toPrecision(3)))
}

const RISK_ORDER: Readonly<Record<Risk, number>> = { breaking: 0, medium: 1, additive: 2 }

interface Crossed {
  readonly class: DivergenceClass
  readonly risk: Risk
  /** The threshold crossed, as the rule names it. */
  readonly limit: 'min_overlap' | 'max_displacement' | 'score_tolerance'
  readonly why: string
}

export function diffRanked(ctx: JsonDiffContext, a: readonly unknown[], b: readonly unknown[], at: PathNode, rule: RankedRule): void {
  const k = rule.k ?? Math.max(a.length, b.length)
  const topA = a.length > k ? a.slice(0, k) : a
  const topB = b.length > k ? b.slice(0, k) : b
  const idsA = rankedIds(topA, rule.key)
  const idsB = rankedIds(topB, rule.key)
  const rankB = new Map<string, number>()
  idsB.forEach((id, j) => {
    if (id !== undefined) rankB.set(id, j)
  })

  const pairs: { readonly id: string; readonly i: number; readonly j: number }[] = []
  let maxDisplacement = 0
  let sumDisplacement = 0
  idsA.forEach((id, i) => {
    const j = id === undefined ? undefined : rankB.get(id)
    if (id === undefined || j === undefined) return
    pairs.push({ id, i, j })
    const d = Math.abs(i - j)
    if (d > maxDisplacement) maxDisplacement = d
    sumDisplacement += d
  })

  // Scores of shared ids: numerically (`1` and `1.0` are the same score), within the tolerance.
  const score = rule.score
  const scoredIds = new Set<string>()
  let scoresBeyond = 0
  let maxScoreDelta = 0
  let tolerance = rule.scoreTolerance ?? 0
  if (score !== undefined) {
    for (const { id, i, j } of pairs) {
      const va = (topA[i] as Record<string, unknown>)[score]
      const vb = (topB[j] as Record<string, unknown>)[score]
      if (!isNumber(va) || !isNumber(vb)) continue // a type change is left to the member walk
      scoredIds.add(id)
      const x = numberText(va) ?? ''
      const y = numberText(vb) ?? ''
      const tol = rule.scoreTolerance ?? ctx.rules.toleranceFor(memberPath(filterPath(at, rule.key, plainId(id)), score))
      tolerance = tol
      if (numbersEqual('float', x, y, tol)) continue
      scoresBeyond++
      const delta = Math.abs(Number(x) - Number(y))
      if (delta > maxScoreDelta) maxScoreDelta = delta
    }
  }

  const size = Math.max(topA.length, topB.length)
  const shared = pairs.length
  const stats: RankedStats = {
    size,
    shared,
    onlyBaseline: topA.length - shared,
    onlyCandidate: topB.length - shared,
    overlap: size === 0 ? 1 : shared / size,
    maxDisplacement,
    meanDisplacement: shared === 0 ? 0 : sumDisplacement / shared,
    scored: scoredIds.size,
    scoresBeyond,
    maxScoreDelta,
  }

  const minOverlap = rule.minOverlap ?? RANKED_DEFAULTS.minOverlap
  const maxAllowed = rule.maxDisplacement ?? RANKED_DEFAULTS.maxDisplacement
  const crossed: Crossed[] = []
  // The slack keeps `min_overlap: 0.7` met by 7 of 10 despite binary rounding.
  if (stats.overlap < minOverlap - 1e-9) {
    const why = `overlap ${short(stats.overlap)} below min_overlap ${minOverlap}`
    const limit = 'min_overlap'
    crossed.push(
      stats.onlyBaseline > 0 ? { class: 'missing', risk: 'breaking', limit, why } : { class: 'extra', risk: 'additive', limit, why },
    )
  }
  if (stats.maxDisplacement > maxAllowed) {
    crossed.push({
      class: 'order',
      risk: 'medium',
      limit: 'max_displacement',
      why: `displacement ${stats.maxDisplacement} above max_displacement ${maxAllowed}`,
    })
  }
  if (stats.scoresBeyond > 0) {
    crossed.push({
      class: 'value',
      risk: 'medium',
      limit: 'score_tolerance',
      why: `score difference ${short(stats.maxScoreDelta)} above score_tolerance ${tolerance}`,
    })
  }
  const worst = crossed.reduce<Crossed | undefined>(
    (w, c) => (w === undefined || RISK_ORDER[c.risk] < RISK_ORDER[w.risk] ? c : w),
    undefined,
  )
  if (worst !== undefined) {
    ctx.pending.push({
      class: worst.class,
      risk: worst.risk,
      at,
      baseline: idsA.map((id) => (id === undefined ? null : plainId(id))),
      candidate: idsB.map((id) => (id === undefined ? null : plainId(id))),
      message: `${describeRanked(stats, ctx.names, rule.k)}: ${crossed.map((c) => c.why).join('; ')}`,
      // Which thresholds were crossed is the shape: the ids and counts vary between lists.
      shape: `ranked: ${crossed.map((c) => c.limit).join(', ')}`,
    })
  }

  // The rest of each shared hit, by id; the score member was judged above.
  for (const { id, i, j } of pairs) {
    const path = filterPath(at, rule.key, plainId(id))
    if (score !== undefined && scoredIds.has(id)) ctx.walk(without(topA[i], score), without(topB[j], score), path)
    else ctx.walk(topA[i], topB[j], path)
  }
}

/** "7 of 10 shared in the top 10 (3 only on node, 3 only on bun), max displacement 3, mean 1.29; 2 of 7 scores differ (max 0.0031)" */
export function describeRanked(s: RankedStats, names: { readonly baseline: string; readonly candidate: string }, k?: number): string {
  const only = [
    ...(s.onlyBaseline > 0 ? [`${s.onlyBaseline} only on ${names.baseline}`] : []),
    ...(s.onlyCandidate > 0 ? [`${s.onlyCandidate} only on ${names.candidate}`] : []),
  ]
  let text = `${s.shared} of ${s.size} shared${k === undefined ? '' : ` in the top ${k}`}`
  if (only.length > 0) text += ` (${only.join(', ')})`
  text += `, max displacement ${s.maxDisplacement}`
  if (s.maxDisplacement > 0) text += `, mean ${short(s.meanDisplacement)}`
  if (s.scoresBeyond > 0) text += `; ${s.scoresBeyond} of ${s.scored} scores differ (max ${short(s.maxScoreDelta)})`
  return text
}
