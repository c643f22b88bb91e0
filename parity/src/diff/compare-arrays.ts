/**
 * Arrays, four ways: as a ranked list (a `ranked` rule, compare-ranked.ts), by key (an
 * `arrayKeys` rule names the array), as a multiset (an `unordered` rule), or by position — where a pure reordering becomes one `order` finding.
 * Every strategy is linear (Maps, no pairwise search), so multi-MB arrays stay fast.
 */
import { diffRanked } from './compare-ranked.ts'
import { elementKey, emit, emitExtra, emitMissing, type JsonDiffContext } from './json-diff-context.ts'
import { filterPath, indexPath, type PathNode } from './json-path.ts'

/**
 * Candidate positions grouped by a key, handed out in order of appearance, so the n-th
 * baseline element with key `a` meets the n-th candidate element with key `a` and
 * duplicates are neither lost nor matched twice.
 */
function createPool(keys: readonly (string | undefined)[]) {
  const byKey = new Map<string, number[]>()
  keys.forEach((k, j) => {
    if (k === undefined) return
    const list = byKey.get(k)
    if (list === undefined) byKey.set(k, [j])
    else list.push(j)
  })
  const taken = new Map<string, number>()
  const used = new Uint8Array(keys.length)
  return {
    take(key: string): number | undefined {
      const n = taken.get(key) ?? 0
      const j = byKey.get(key)?.[n]
      if (j === undefined) return undefined
      taken.set(key, n + 1)
      used[j] = 1
      return j
    },
    markUsed(j: number): void {
      used[j] = 1
    },
    isUsed: (j: number): boolean => used[j] === 1,
  }
}

function diffByKey(ctx: JsonDiffContext, a: readonly unknown[], b: readonly unknown[], at: PathNode, key: string): void {
  const bKeys = b.map((el) => elementKey(el, key))
  const pool = createPool(bKeys)
  // Elements without a usable key cannot be named by a filter: they pair up in order among
  // themselves and are named by position.
  const keylessB = bKeys.flatMap((k, j) => (k === undefined ? [j] : []))
  let nextKeyless = 0
  a.forEach((el, i) => {
    const k = elementKey(el, key)
    const path = k === undefined ? indexPath(at, i) : filterPath(at, key, k)
    const j = k === undefined ? keylessB[nextKeyless++] : pool.take(k)
    if (j === undefined) {
      emitMissing(ctx, path, el)
      return
    }
    pool.markUsed(j)
    ctx.walk(el, b[j], path)
  })
  bKeys.forEach((k, j) => {
    if (!pool.isUsed(j)) emitExtra(ctx, k === undefined ? indexPath(at, j) : filterPath(at, key, k), b[j])
  })
}

function diffAsMultiset(ctx: JsonDiffContext, a: readonly unknown[], b: readonly unknown[], at: PathNode): void {
  const pool = createPool(b.map(ctx.canonical))
  a.forEach((el, i) => {
    if (pool.take(ctx.canonical(el)) === undefined) emitMissing(ctx, indexPath(at, i), el)
  })
  b.forEach((el, j) => {
    if (!pool.isUsed(j)) emitExtra(ctx, indexPath(at, j), el)
  })
}

function sameMultiset(ctx: JsonDiffContext, a: readonly unknown[], b: readonly unknown[]): boolean {
  const counts = new Map<string, number>()
  for (const el of a) {
    const c = ctx.canonical(el)
    counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  for (const el of b) {
    const c = ctx.canonical(el)
    const n = counts.get(c) ?? 0
    if (n === 0) return false
    counts.set(c, n - 1)
  }
  return true
}

function diffByIndex(ctx: JsonDiffContext, a: readonly unknown[], b: readonly unknown[], at: PathNode): void {
  const start = ctx.pending.length
  const common = Math.min(a.length, b.length)
  for (let i = 0; i < common; i++) ctx.walk(a[i], b[i], indexPath(at, i))
  for (let i = common; i < a.length; i++) emitMissing(ctx, indexPath(at, i), a[i])
  for (let j = common; j < b.length; j++) emitExtra(ctx, indexPath(at, j), b[j])
  // Walk first, canonicalise only when something differed: equal arrays (the common case)
  // never pay for the multiset check. A pure reordering replaces the per-index findings.
  if (ctx.pending.length > start && a.length === b.length && a.length > 1 && sameMultiset(ctx, a, b)) {
    ctx.pending.length = start
    emit(ctx, 'order', 'medium', at, a, b)
  }
}

export function diffArray(ctx: JsonDiffContext, a: readonly unknown[], b: readonly unknown[], at: PathNode): void {
  const ranked = ctx.rules.rankedFor(at)
  if (ranked !== undefined) {
    diffRanked(ctx, a, b, at, ranked)
    return
  }
  const key = ctx.rules.arrayKeyFor(at)
  if (key !== undefined) diffByKey(ctx, a, b, at, key)
  else if (ctx.rules.isUnordered(at)) diffAsMultiset(ctx, a, b, at)
  else diffByIndex(ctx, a, b, at)
}
