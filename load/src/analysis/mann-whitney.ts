import type { RankTest } from '../model.ts'

/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test for the per-round values of one metric,
 * baseline (`a`) vs candidate (`b`): typically 3–10 values a side.
 *
 * Hand-written because no maintained npm package gives an exact small-sample p-value:
 * `mann-whitney-utest` only does the normal approximation (useless at 3 vs 3, where the
 * exact p can only be 0.1, 0.2, …), and simple-statistics gives only the rank sum.
 *
 * Exact for n_a + n_b ≤ EXACT_MAX_N: the null distribution of the rank sum is counted by
 * dynamic programming over every way of choosing n_a of the pooled values. Ties get
 * mid-ranks, and the distribution is counted over those same mid-ranks (the permutation
 * distribution conditional on the observed ties), so the p-value stays exact with ties —
 * the textbook no-ties table would be conservative-to-wrong there. Above EXACT_MAX_N the
 * normal approximation with tie and continuity correction is used.
 *
 * Two-sided p = P(|S − E[S]| ≥ |s − E[S]|): the probability of a rank sum at least as far
 * from its mean as the observed one (the distribution need not be symmetric with ties).
 */

/** Up to here the exact count costs at most N · n_a · N(N+1) ≈ 3 M additions; beyond it the normal approximation is good. */
export const EXACT_MAX_N = 50

export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const n_a = a.length
  const n_b = b.length
  if (n_a === 0 || n_b === 0) return { u: 0, p: 1, n_a, n_b, min_p: 1 }
  const n = n_a + n_b
  const doubled = doubledMidRanks([...a, ...b])
  // Doubled ranks are integers (a tie group spanning ranks i..j gets i + j), so sums compare exactly.
  let sumA2 = 0
  for (let i = 0; i < n_a; i++) sumA2 += doubled[i] ?? 0
  /** U of the baseline: pairs where a beats b, ties counting ½ (the convention of R's W and scipy). */
  const u = sumA2 / 2 - (n_a * (n_a + 1)) / 2
  const mean2 = n_a * (n + 1)
  const p = n <= EXACT_MAX_N ? exactP(doubled, n_a, Math.abs(sumA2 - mean2), mean2) : normalP(doubled, n_a, n_b, u)
  return { u, p, n_a, n_b, min_p: minP(n_a, n_b) }
}

/** The smallest two-sided p any data can give with these sample sizes (no ties): 2 ÷ C(n_a + n_b, n_a). */
export function minP(n_a: number, n_b: number): number {
  if (n_a === 0 || n_b === 0) return 1
  let c = 1
  for (let i = 1; i <= n_a; i++) c = (c * (n_b + i)) / i
  return Math.min(1, 2 / c)
}

function doubledMidRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0])
  const out = new Array<number>(values.length).fill(0)
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++
    // 1-based ranks i+1 … j+1; the mid-rank doubled is their sum of ends.
    for (let k = i; k <= j; k++) out[order[k]?.[1] ?? 0] = i + 1 + (j + 1)
    i = j + 1
  }
  return out
}

function exactP(doubled: readonly number[], n_a: number, observedDistance: number, mean2: number): number {
  const maxSum = doubled.reduce((s, r) => s + r, 0)
  // ways[k][s]: ways to pick k of the values seen so far whose doubled ranks sum to s.
  const ways: Float64Array[] = Array.from({ length: n_a + 1 }, () => new Float64Array(maxSum + 1))
  const first = ways[0]
  if (first !== undefined) first[0] = 1
  let seenSum = 0
  for (const r of doubled) {
    seenSum += r
    for (let k = n_a; k >= 1; k--) {
      const to = ways[k]
      const from = ways[k - 1]
      if (to === undefined || from === undefined) continue
      for (let s = seenSum; s >= r; s--) to[s] = (to[s] ?? 0) + (from[s - r] ?? 0)
    }
  }
  const last = ways[n_a] ?? new Float64Array(0)
  let total = 0
  let extreme = 0
  for (let s = 0; s < last.length; s++) {
    const w = last[s] ?? 0
    total += w
    if (Math.abs(s - mean2) >= observedDistance) extreme += w
  }
  return total === 0 ? 1 : Math.min(1, extreme / total)
}

function normalP(doubled: readonly number[], n_a: number, n_b: number, u: number): number {
  const n = n_a + n_b
  const counts = new Map<number, number>()
  for (const r of doubled) counts.set(r, (counts.get(r) ?? 0) + 1)
  let tieTerm = 0
  for (const t of counts.values()) tieTerm += t * t * t - t
  const variance = ((n_a * n_b) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return 1
  const distance = Math.max(0, Math.abs(u - (n_a * n_b) / 2) - 0.5)
  return Math.min(1, erfc(distance / Math.sqrt(2 * variance)))
}

/** Complementary error function, Numerical Recipes' Chebyshev fit (relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? r : 2 - r
}
