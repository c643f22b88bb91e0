import type { Filter } from '@lakehouse/vector'
import type { MatrixFilters } from './types.ts'

/**
 * Request filter → vector metadata key. The corpus indexer stores a worker's certifications as
 * an array under `certifications`; the vector filter matches an array when it contains the
 * scalar, so `certification` is a membership test while the others are (case-insensitive)
 * equality.
 */
export const FILTER_METADATA_KEYS: Readonly<Record<keyof MatrixFilters, string>> = Object.freeze({
  role: 'role',
  city: 'city',
  state: 'state',
  certification: 'certifications',
})

/** Undefined when there is nothing to filter, so the vector search takes its unfiltered path. */
export function toVectorFilter(filters: MatrixFilters): Filter | undefined {
  const out: Record<string, string> = {}
  for (const [key, metadataKey] of Object.entries(FILTER_METADATA_KEYS) as [keyof MatrixFilters, string][]) {
    const value = filters[key]
    if (value !== undefined) out[metadataKey] = value
  }
  return Object.keys(out).length === 0 ? undefined : out
}
