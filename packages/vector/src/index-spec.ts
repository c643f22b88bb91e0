import { quoteCallerText } from '@lakehouse/kit'
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
/** The metrics an index stores and reports; `cos` stays the canonical spelling (stored indexes hold it). */
export const METRICS: readonly Metric[] = ['cos', 'ip', 'l2sq']
/** Other spellings accepted on create, normalised to the canonical metric before anything is stored or compared. */
export const METRIC_ALIASES: Readonly<Record<string, Metric>> = Object.freeze({ cosine: 'cos' })

export function isIndexName(name: string): boolean {
  return INDEX_NAME_PATTERN.test(name)
}

export function checkIndexName(name: unknown): string {
  if (typeof name !== 'string' || !isIndexName(name)) {
    throw vectorErrors.problem('VECTOR_INVALID_NAME', {
      detail: `index name ${typeof name === 'string' ? quoteCallerText(name) : String(name)} must be a string matching ${INDEX_NAME_PATTERN.source}`,
      extensions: { pattern: INDEX_NAME_PATTERN.source },
    })
  }
  return name
}

export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && (METRICS as readonly string[]).includes(value)
}

/** The canonical metric for an accepted spelling (`cosine` → `cos`); callers check the spelling first. */
export function normaliseMetric(value: string): Metric {
  return Object.hasOwn(METRIC_ALIASES, value) ? (METRIC_ALIASES[value] as Metric) : (value as Metric)
}

export function sameSpec(a: IndexSpec, b: IndexSpec): boolean {
  return a.name === b.name && a.dim === b.dim && a.metric === b.metric && a.model === b.model
}

export function specOf(spec: IndexSpec): IndexSpec {
  return { name: spec.name, dim: spec.dim, metric: spec.metric, model: spec.model }
}
