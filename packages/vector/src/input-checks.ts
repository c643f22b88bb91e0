import type { Problem, ProblemEntry } from '@lakehouse/kit'
import { vectorErrors } from './errors.ts'
import { checkIndexName, type IndexSpec, isMetric, MAX_DIM, METRICS } from './index-spec.ts'
import { filterIssues, metadataIssues } from './metadata-filter.ts'
import type { Filter, IndexSource, ItemInput, Metadata, Metric, SearchInput } from './types.ts'
import { toFloat32 } from './vector-math.ts'

/**
 * Checks for the public methods, which validate their input whether it came over HTTP or from
 * another component. Fields are named as on the wire (`$.items[3].vector`, `$.exclude_ids`).
 * Every problem found is reported, not just the first.
 */

export interface InputLimits {
  readonly maxBatch: number
  readonly maxK: number
  readonly maxExcludeIds: number
  readonly maxIdLength: number
}

const MAX_MODEL_LENGTH = 256

function entry(field: string, reason: string, message: string, kind = 'schema'): ProblemEntry {
  return { kind, field, reason, message }
}

/** 400 with every entry: VECTOR_BAD_DIMENSION when the only problems are vector lengths, else VECTOR_INVALID_REQUEST. */
export function inputProblem(issues: readonly ProblemEntry[], what: string): Problem {
  const onlyDims = issues.every((i) => i.reason === 'dimension')
  const first = issues[0]?.message ?? 'it is not valid'
  return vectorErrors.problem(onlyDims ? 'VECTOR_BAD_DIMENSION' : 'VECTOR_INVALID_REQUEST', {
    detail: `${what}: ${first}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    errors: issues,
  })
}

export function checkSpec(spec: unknown, defaultModel: string): IndexSpec & { readonly modelGiven: boolean } {
  const s = (spec ?? {}) as Record<string, unknown>
  checkIndexName(s.name)
  const issues: ProblemEntry[] = []
  if (!Number.isInteger(s.dim) || (s.dim as number) < 1 || (s.dim as number) > MAX_DIM) {
    issues.push(entry('$.dim', 'range', `$.dim must be an integer in 1..${MAX_DIM}`))
  }
  if (!isMetric(s.metric)) issues.push(entry('$.metric', 'enum', `$.metric must be one of ${METRICS.join(', ')}`))
  const modelGiven = s.model !== undefined && s.model !== null
  if (modelGiven && (typeof s.model !== 'string' || s.model === '' || s.model.length > MAX_MODEL_LENGTH)) {
    issues.push(entry('$.model', 'type', `$.model must be a non-empty string of at most ${MAX_MODEL_LENGTH} characters`))
  }
  if (issues.length > 0) throw inputProblem(issues, 'invalid index spec')
  return {
    name: s.name as string,
    dim: s.dim as number,
    metric: s.metric as Metric,
    model: modelGiven ? (s.model as string) : defaultModel,
    modelGiven,
  }
}

function idIssue(id: unknown, field: string, maxLength: number): ProblemEntry | undefined {
  if (typeof id !== 'string' || id === '' || id.length > maxLength) {
    return entry(field, 'type', `${field} must be a non-empty string of at most ${maxLength} characters`)
  }
  return undefined
}

export function checkItemId(id: unknown, maxLength: number): string {
  const issue = idIssue(id, '$.id', maxLength)
  if (issue !== undefined) throw inputProblem([issue], 'invalid item id')
  return id as string
}

/** A vector from the wire: undefined plus an issue when it is not `dim` finite numbers. */
function vectorOf(value: unknown, dim: number, field: string, issues: ProblemEntry[]): Float32Array | undefined {
  if (!Array.isArray(value) && !(value instanceof Float32Array)) {
    issues.push(entry(field, 'type', `${field} must be an array of numbers`))
    return undefined
  }
  if (value.length !== dim) {
    issues.push(entry(field, 'dimension', `${field} has ${value.length} components; the index dimension is ${dim}`))
    return undefined
  }
  const out = toFloat32(value)
  if (out === undefined) issues.push(entry(field, 'not_finite', `${field} must hold only finite numbers within float32 range`))
  return out
}

export interface CheckedItem {
  readonly id: string
  readonly vector: Float32Array | undefined
  readonly text: string | undefined
  readonly metadata: Metadata
}

export function checkItems(items: unknown, dim: number, limits: InputLimits): CheckedItem[] {
  if (!Array.isArray(items) || items.length === 0) {
    throw inputProblem([entry('$.items', 'type', '$.items must be a non-empty array')], 'invalid add')
  }
  if (items.length > limits.maxBatch) {
    throw vectorErrors.problem('VECTOR_BATCH_TOO_LARGE', {
      detail: `$.items has ${items.length} items; the limit is ${limits.maxBatch}, split the batch`,
      errors: [entry('$.items', 'too_long', `$.items has ${items.length} items; the limit is ${limits.maxBatch}`, 'length')],
      extensions: { max_items: limits.maxBatch },
    })
  }
  const issues: ProblemEntry[] = []
  const out = items.map((raw: unknown, i): CheckedItem => {
    const at = `$.items[${i}]`
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      issues.push(entry(at, 'type', `${at} must be an object`))
      return { id: '', vector: undefined, text: undefined, metadata: {} }
    }
    const item = raw as Partial<Record<keyof ItemInput, unknown>>
    const idProblem = idIssue(item.id, `${at}.id`, limits.maxIdLength)
    if (idProblem !== undefined) issues.push(idProblem)
    const hasVector = item.vector !== undefined && item.vector !== null
    const hasText = item.text !== undefined && item.text !== null
    if (hasVector === hasText) issues.push(entry(at, 'vector_or_text', `${at} must have exactly one of vector and text`))
    const vector = hasVector ? vectorOf(item.vector, dim, `${at}.vector`, issues) : undefined
    if (hasText && typeof item.text !== 'string') issues.push(entry(`${at}.text`, 'type', `${at}.text must be a string`))
    if (item.metadata !== undefined) issues.push(...metadataIssues(item.metadata, `${at}.metadata`))
    return { id: item.id as string, vector, text: hasText ? (item.text as string) : undefined, metadata: (item.metadata ?? {}) as Metadata }
  })
  if (issues.length > 0) throw inputProblem(issues, 'invalid add')
  return out
}

export interface CheckedSearch {
  readonly vector: Float32Array | undefined
  readonly text: string | undefined
  readonly k: number
  readonly excludeIds: readonly string[]
  readonly filter: Filter | undefined
}

export function checkSearch(input: unknown, dim: number, limits: InputLimits): CheckedSearch {
  const s = (input ?? {}) as Partial<Record<keyof SearchInput, unknown>>
  const issues: ProblemEntry[] = []
  if (!Number.isInteger(s.k) || (s.k as number) < 1 || (s.k as number) > limits.maxK) {
    issues.push(entry('$.k', 'range', `$.k must be an integer in 1..${limits.maxK}`))
  }
  const hasVector = s.vector !== undefined && s.vector !== null
  const hasText = s.text !== undefined && s.text !== null
  if (hasVector === hasText) issues.push(entry('$', 'vector_or_text', 'a search must have exactly one of vector and text'))
  const vector = hasVector ? vectorOf(s.vector, dim, '$.vector', issues) : undefined
  if (hasText && typeof s.text !== 'string') issues.push(entry('$.text', 'type', '$.text must be a string'))
  const exclude = s.excludeIds ?? []
  if (!Array.isArray(exclude) || !exclude.every((id) => typeof id === 'string')) {
    issues.push(entry('$.exclude_ids', 'type', '$.exclude_ids must be an array of strings'))
  } else if (exclude.length > limits.maxExcludeIds) {
    issues.push(entry('$.exclude_ids', 'too_long', `$.exclude_ids holds more than ${limits.maxExcludeIds} ids`, 'length'))
  }
  if (s.filter !== undefined && s.filter !== null) issues.push(...filterIssues(s.filter, '$.filter'))
  if (issues.length > 0) throw inputProblem(issues, 'invalid search')
  return {
    vector,
    text: hasText ? (s.text as string) : undefined,
    k: s.k as number,
    excludeIds: exclude as string[],
    filter: (s.filter ?? undefined) as Filter | undefined,
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/

/** `{dataset, version}`: an opaque label (non-empty, ≤ 128 characters, no controls) and a positive integer. */
export function checkSource(value: unknown): IndexSource {
  const errors: ProblemEntry[] = []
  const entry = (field: string, reason: string, message: string) => errors.push({ kind: 'schema', field, reason, message })
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    entry('$', 'type', 'the body must be an object {dataset, version}')
    throw inputProblem(errors, 'invalid source')
  }
  const { dataset, version, ...rest } = value as Record<string, unknown>
  if (typeof dataset !== 'string' || dataset === '' || dataset.length > 128 || CONTROL.test(dataset)) {
    entry('$.dataset', 'type', '$.dataset must be a non-empty string of at most 128 characters without control characters')
  }
  if (!Number.isSafeInteger(version) || (version as number) < 1) entry('$.version', 'type', '$.version must be a positive integer')
  for (const k of Object.keys(rest)) entry(`$.${k}`, 'unknown_field', `$.${k} is not a member of this request`)
  if (errors.length > 0) throw inputProblem(errors, 'invalid source')
  return { dataset: dataset as string, version: version as number }
}
