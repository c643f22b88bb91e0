import type { ProblemEntry } from '@lakehouse/kit'
import type { Filter, Metadata, MetadataValue } from './types.ts'

/**
 * Metadata values and filters. Filter semantics (types.ts): every key must match; a scalar
 * matches equality, strings case-insensitively; an array value in the item matches when it
 * contains the scalar; `{in: [...]}` matches any of several values. Choices the contract
 * leaves open, fixed here and in docs/vector.md:
 *  - a key missing from the item counts as null, so `{k: null}` matches items without `k`;
 *  - numbers match numbers only (`"1"` never matches `1`), booleans booleans only;
 *  - an array in the filter means "all of": each element must match (so `["a","b"]` needs an
 *    item array holding both);
 *  - case folding is `toLowerCase()`, which is locale-independent.
 */

export type FilterPredicate = (metadata: Metadata) => boolean

type Scalar = string | number | boolean | null
type Matcher = (value: MetadataValue | undefined) => boolean

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}

function isMetadataValue(value: unknown): value is MetadataValue {
  return isScalar(value) || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
}

function issue(field: string, reason: string, message: string): ProblemEntry {
  return { kind: 'schema', field, reason, message }
}

/** Problems with a metadata object read from a snapshot file (wire bodies are checked by the request schemas). */
export function metadataIssues(value: unknown, field: string): ProblemEntry[] {
  if (!isRecord(value)) return [issue(field, 'type', `${field} must be an object`)]
  const out: ProblemEntry[] = []
  for (const [key, v] of Object.entries(value)) {
    if (!isMetadataValue(v)) {
      out.push(issue(`${field}.${key}`, 'type', `${field}.${key} must be a string, finite number, boolean, null or array of strings`))
    }
  }
  return out
}

function scalarMatcher(want: Scalar): Matcher {
  if (want === null) return (v) => v === null || v === undefined
  if (typeof want === 'string') {
    const lower = want.toLowerCase()
    const same = (s: string) => s === want || s.toLowerCase() === lower
    return (v) => (typeof v === 'string' ? same(v) : Array.isArray(v) ? v.some(same) : false)
  }
  return (v) => v === want
}

function valueMatcher(want: MetadataValue): Matcher {
  if (!Array.isArray(want)) return scalarMatcher(want as Scalar)
  const all = want.map(scalarMatcher)
  return (v) => all.every((m) => m(v))
}

/** Undefined for an absent or empty filter (everything passes), else a predicate. */
export function compileFilter(filter: Filter | undefined): FilterPredicate | undefined {
  if (filter === undefined) return undefined
  const checks: { key: string; match: Matcher }[] = []
  for (const [key, want] of Object.entries(filter)) {
    if (isRecord(want) && !Array.isArray(want)) {
      const any = (want as { in: readonly MetadataValue[] }).in.map(valueMatcher)
      checks.push({ key, match: (v) => any.some((m) => m(v)) })
    } else {
      checks.push({ key, match: valueMatcher(want as MetadataValue) })
    }
  }
  if (checks.length === 0) return undefined
  return (metadata) => {
    for (const { key, match } of checks) {
      if (!match(Object.hasOwn(metadata, key) ? metadata[key] : undefined)) return false
    }
    return true
  }
}
