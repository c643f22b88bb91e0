import { vectorErrors } from './errors.ts'
import type { Metric } from './types.ts'

/** What identifies an index: two creates with equal specs are the same index (200), unequal ones conflict (409). */
export interface IndexSpec {
  readonly name: string
  readonly dim: number
  readonly metric: Metric
  readonly model: string
}

// Names become directory names, so they stay lower-case ASCII (case-insensitive file systems
// cannot tell `Workers` from `workers`) and cannot start with the `.` used for trash dirs.
export const INDEX_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/
export const MAX_DIM = 4096
export const METRICS: readonly Metric[] = ['cos', 'ip', 'l2sq']

export function isIndexName(name: string): boolean {
  return INDEX_NAME_PATTERN.test(name)
}

export function checkIndexName(name: unknown): string {
  if (typeof name !== 'string' || !isIndexName(name)) {
    const text = typeof name === 'string' ? name : String(name)
    const shown = text.length > 70 ? `${text.slice(0, 70)}…` : text
    throw vectorErrors.problem('VECTOR_INVALID_NAME', {
      detail: `index name ${typeof name === 'string' ? JSON.stringify(shown) : shown} must be a string matching ${INDEX_NAME_PATTERN.source}`,
      extensions: { pattern: INDEX_NAME_PATTERN.source },
    })
  }
  return name
}

export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && (METRICS as readonly string[]).includes(value)
}

export function sameSpec(a: IndexSpec, b: IndexSpec): boolean {
  return a.name === b.name && a.dim === b.dim && a.metric === b.metric && a.model === b.model
}

export function specOf(spec: IndexSpec): IndexSpec {
  return { name: spec.name, dim: spec.dim, metric: spec.metric, model: spec.model }
}
