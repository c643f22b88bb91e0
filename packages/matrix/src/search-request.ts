import type { MatrixConfig } from './config.ts'
import { matrixErrors } from './errors.ts'
import { boundedString, type Entries, entry, isObject, stringList, summary, unknownMembers } from './input-check.ts'
import { normaliseQuery } from './query-text.ts'
import type { MatrixFilters } from './types.ts'

/** A checked search with every default applied: the canonical request the cache key is built from. */
export interface SearchRequest {
  /** Normalised (query-text.ts). */
  readonly query: string
  /** Unique names, sorted, so `['a','b']` and `['b','a']` are one search. */
  readonly corpora: readonly string[]
  readonly k: number
  readonly minScore: number
  readonly filters: MatrixFilters
  /** Unique ids, sorted. */
  readonly excludeIds: readonly string[]
  readonly usePlaybook: boolean
}

const MEMBERS: ReadonlySet<string> = new Set(['query', 'corpora', 'k', 'min_score', 'filters', 'exclude_ids', 'use_playbook'])
export const FILTER_MEMBERS = ['role', 'city', 'state', 'certification'] as const
const FILTER_SET: ReadonlySet<string> = new Set(FILTER_MEMBERS)
const SHAPE = '{query, corpora?, k?, min_score?, filters?, exclude_ids?, use_playbook?}'
export const MAX_NAME_CHARS = 128
export const MAX_ID_CHARS = 256
const MAX_FILTER_CHARS = 256

export function checkQuery(value: unknown, field: string, maxChars: number, out: Entries): string | undefined {
  const raw = boundedString(value, field, maxChars, out)
  if (raw === undefined) return undefined
  const query = normaliseQuery(raw)
  if (query === '') out.push(entry('length', field, 'empty', `${field} must hold more than whitespace`))
  return query === '' ? undefined : query
}

function checkFilters(value: unknown, out: Entries): MatrixFilters | undefined {
  if (value === undefined) return {}
  if (!isObject(value)) {
    out.push(entry('schema', '$.filters', 'type', '$.filters must be an object {role?, city?, state?, certification?}'))
    return undefined
  }
  const before = out.length
  const filters: Record<string, string> = {}
  // Fixed member order, so the canonical request does not depend on the caller's key order.
  for (const key of FILTER_MEMBERS) {
    if (value[key] === undefined) continue
    const text = boundedString(value[key], `$.filters.${key}`, MAX_FILTER_CHARS, out)
    if (text !== undefined) filters[key] = text
  }
  unknownMembers(value, FILTER_SET, '$.filters', out)
  return out.length === before ? filters : undefined
}

function checkK(value: unknown, config: Readonly<MatrixConfig>, out: Entries): number {
  if (value === undefined) return config.defaultK
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > config.maxK) {
    out.push(entry('schema', '$.k', 'out_of_range', `$.k must be an integer in 1..${config.maxK}`))
  }
  return value as number
}

function checkMinScore(value: unknown, config: Readonly<MatrixConfig>, out: Entries): number {
  if (value === undefined) return config.minScore
  if (typeof value !== 'number' || !Number.isFinite(value)) out.push(entry('schema', '$.min_score', 'type', '$.min_score must be a number'))
  return value as number
}

/** Checks an untrusted search (HTTP body or direct call) and returns an owned, canonical copy. */
export function parseSearchRequest(body: unknown, config: Readonly<MatrixConfig>): SearchRequest {
  if (!isObject(body)) {
    const message = `$ must be an object ${SHAPE}`
    throw matrixErrors.problem('MATRIX_INVALID_REQUEST', { detail: message, errors: [entry('schema', '$', 'type', message)] })
  }
  const out: Entries = []
  const query = body.query === undefined ? undefined : checkQuery(body.query, '$.query', config.maxQueryChars, out)
  if (body.query === undefined) out.push(entry('schema', '$.query', 'required', '$.query is required'))
  const corpora =
    body.corpora === undefined
      ? [...config.defaultCorpora]
      : stringList(body.corpora, '$.corpora', { min: 1, max: config.maxCorpora, maxChars: MAX_NAME_CHARS }, out)
  const k = checkK(body.k, config, out)
  const minScore = checkMinScore(body.min_score, config, out)
  const filters = checkFilters(body.filters, out)
  const excludeIds =
    body.exclude_ids === undefined
      ? []
      : stringList(body.exclude_ids, '$.exclude_ids', { min: 0, max: config.maxExcludeIds, maxChars: MAX_ID_CHARS }, out)
  const usePlaybook = body.use_playbook ?? false
  if (typeof usePlaybook !== 'boolean') out.push(entry('schema', '$.use_playbook', 'type', '$.use_playbook must be a boolean'))
  unknownMembers(body, MEMBERS, '$', out)
  if (out.length > 0 || query === undefined || corpora === undefined || filters === undefined || excludeIds === undefined) {
    throw matrixErrors.problem('MATRIX_INVALID_REQUEST', { detail: summary(SHAPE, out), errors: out })
  }
  return {
    query,
    corpora: [...new Set(corpora)].sort(),
    k,
    minScore,
    filters,
    excludeIds: excludeIds.sort(),
    usePlaybook: usePlaybook as boolean,
  }
}
