import { createHash } from 'node:crypto'

/**
 * A seeded generator (sfc32, seeded from SHA-256 of the seed string), so a run's sequence of
 * scenario picks and pool values is reproducible from the seed in its report. Math.random
 * cannot be seeded; a library for ten lines of well-known arithmetic is not worth a dependency.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number
}

export function createRandom(seed: string): Random {
  const h = createHash('sha256').update(seed).digest()
  let a = h.readUInt32LE(0)
  let b = h.readUInt32LE(4)
  let c = h.readUInt32LE(8)
  let d = h.readUInt32LE(12)
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) }
}

/** Picks an index by weight: cumulative weights and a binary search, O(log n) per pick. */
export function createWeightedPicker(weights: readonly number[], random: Random): () => number {
  const cumulative: number[] = []
  let total = 0
  for (const w of weights) {
    total += w
    cumulative.push(total)
  }
  return () => {
    const x = random.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (x < (cumulative[mid] ?? 0)) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}
