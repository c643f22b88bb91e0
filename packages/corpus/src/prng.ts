/**
 * Seeded pseudo-random numbers for the corpus. Math.random cannot be seeded, and the output
 * must be byte-identical on Node and Bun, so everything here is 32-bit integer arithmetic
 * (Math.imul, shifts, `>>> 0`) plus exact double operations (one division by 2^32, products
 * of small integers and Math.floor). Transcendental functions (Math.log, Math.pow, …) are
 * avoided on purpose: ECMAScript leaves their last-bit rounding to the engine, so V8 and
 * JavaScriptCore may disagree.
 */

export interface Rng {
  /** Uniform unsigned 32-bit integer. */
  uint32(): number
  /** Uniform in [0, 1), a multiple of 2^-32. */
  float(): number
  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number
  /** True with probability `p`. */
  chance(p: number): boolean
  /** A uniformly chosen element of a non-empty list. */
  pick<T>(items: readonly T[]): T
}

/**
 * cyrb128 (bryc, public domain): four 32-bit lanes from a string, so seeds that differ in one
 * character start sfc32 from unrelated states. Hashes UTF-16 code units, which both engines
 * expose identically.
 */
export function hashSeed(seed: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter, PractRand-clean), seeded through cyrb128. */
export function createRng(seed: string): Rng {
  let [a, b, c, d] = hashSeed(seed)
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  // The first outputs of sfc32 still echo the seed; the reference implementation discards 12.
  for (let i = 0; i < 12; i++) uint32()
  const float = (): number => uint32() / 4294967296
  const int = (min: number, max: number): number => min + Math.floor(float() * (max - min + 1))
  return {
    uint32,
    float,
    int,
    chance: (p) => float() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(float() * items.length)]
      if (item === undefined) throw new RangeError('pick() needs a non-empty list')
      return item
    },
  }
}

/** Picks by integer weight; a Float64 running sum of small integers is exact on every engine. */
export function createWeightedPicker<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const items = entries.map(([item]) => item)
  const cumulative: number[] = []
  let total = 0
  for (const [, weight] of entries) {
    if (!Number.isInteger(weight) || weight <= 0) throw new RangeError(`weights must be positive integers, got ${weight}`)
    total += weight
    cumulative.push(total)
  }
  return (rng) => {
    const target = Math.floor(rng.float() * total)
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cumulative[mid] ?? total) > target) hi = mid
      else lo = mid + 1
    }
    return items[lo] as T
  }
}

/** `count` distinct elements in random order (partial Fisher–Yates on a copy). */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = items.slice()
  const n = Math.max(0, Math.min(count, pool.length))
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.float() * (pool.length - i))
    const tmp = pool[i] as T
    pool[i] = pool[j] as T
    pool[j] = tmp
  }
  return pool.slice(0, n)
}
