import type { Metric } from './types.ts'

/**
 * Exact scores, computed in JS doubles from the float32 vectors kept in memory. IEEE double
 * arithmetic in a fixed order is bit-for-bit the same on V8 and JavaScriptCore, so the same
 * item scores the same on Node and Bun whichever path (graph or brute force) found it.
 */

/** Copies into a float32 vector; undefined when a component is not a finite number. */
export function toFloat32(values: readonly number[] | Float32Array): Float32Array | undefined {
  const out = new Float32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined
    out[i] = v
    // A double beyond float32 range becomes Infinity here; refuse it rather than store it.
    if (!Number.isFinite(out[i])) return undefined
  }
  return out
}

/**
 * For `cos` vectors are stored unit-length, so a score is a dot product. A zero vector stays zero
 * and scores 0 against everything (cosine is undefined there; 0 says "no similarity").
 */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let sum = 0
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number)
  if (sum === 0) return v
  const inv = 1 / Math.sqrt(sum)
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv
  return v
}

/** Prepares a vector for storage or as a query under `metric`. */
export function prepare(v: Float32Array, metric: Metric): Float32Array {
  return metric === 'cos' ? normalizeInPlace(v) : v
}

export type Scorer = (row: Float32Array, offset: number) => number

/** Higher is better: dot product for `cos` (on unit vectors) and `ip`, minus the squared distance for `l2sq`. */
export function scorerFor(metric: Metric, query: Float32Array): Scorer {
  const dim = query.length
  if (metric === 'l2sq') {
    return (row, offset) => {
      let sum = 0
      for (let i = 0; i < dim; i++) {
        const d = (query[i] as number) - (row[offset + i] as number)
        sum += d * d
      }
      // 0 - sum, not -sum: an exact match scores 0, never -0.
      return 0 - sum
    }
  }
  return (row, offset) => {
    let sum = 0
    for (let i = 0; i < dim; i++) sum += (query[i] as number) * (row[offset + i] as number)
    return sum
  }
}
