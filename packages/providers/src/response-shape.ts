import type { Problem } from '@lakehouse/kit'
import { providersErrors } from './errors.ts'

/** A 2xx answer we cannot use. `label` is e.g. `openai POST /embeddings`. */
export function badResponse(label: string, what: string): Problem {
  return providersErrors.problem('PROVIDER_BAD_RESPONSE', { detail: `${label} answered ${what}` })
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks a provider's vectors before anyone indexes them: one per text, each a non-empty array
 * of finite numbers, all of one length. A ragged or short answer would otherwise surface far
 * away, as a dimension error inside a vector index.
 */
export function checkVectors(label: string, vectors: readonly unknown[], expected: number): number[][] {
  if (vectors.length !== expected) throw badResponse(label, `${vectors.length} vectors for ${expected} texts`)
  let dim = -1
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i]
    if (!Array.isArray(v) || v.length === 0) throw badResponse(label, `vector ${i} that is not a non-empty array`)
    if (dim === -1) dim = v.length
    else if (v.length !== dim) throw badResponse(label, `vectors of different lengths (${dim} and ${v.length} at ${i})`)
    for (let j = 0; j < v.length; j++) {
      const x: unknown = v[j]
      if (typeof x !== 'number' || !Number.isFinite(x)) throw badResponse(label, `a vector with a non-number at [${i}][${j}]`)
    }
  }
  return vectors as number[][]
}
