import { createHash } from 'node:crypto'
import { normalizePath } from '../diff/index.ts'
import type { DivergenceClass } from '../model.ts'

/**
 * Stable across runs and machines: the same disagreement at the same place gets the same id,
 * which is how the decisions tracker recognises a known divergence. Concrete array indexes
 * are normalised so an item moving within an array does not look like a new finding.
 */
export function divergenceId(caseId: string, step: string, pair: readonly [string, string], cls: DivergenceClass, path: string): string {
  const key = [caseId, step, `${pair[0]}>${pair[1]}`, cls, normalizePath(path)].join('\u0000')
  return `pd-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`
}

/**
 * A root cause's id: the same pair, class, normalised path and shape across every step and
 * case — what `ParityFinding` groups and a tracker row may name instead of each member.
 */
export function findingId(pair: readonly [string, string], cls: DivergenceClass, path: string, shape: string): string {
  const key = [`${pair[0]}>${pair[1]}`, cls, normalizePath(path), shape].join('\u0000')
  return `pf-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`
}
