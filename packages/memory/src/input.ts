import { kitErrors, type Problem, type ProblemEntry, quoteCallerText } from '@lakehouse/kit'
import type { MemoryConfig } from './config.ts'
import { memoryErrors } from './errors.ts'
import { tokenize } from './search-index.ts'
import { isUid, normaliseTags, TAG_PATTERN, UID_PATTERN } from './trace.ts'

/**
 * Checks untrusted input (HTTP bodies and direct calls alike: a JavaScript caller can pass
 * anything) and returns fresh, owned values. Every problem is collected, in member order and
 * then unknown members, and reported once as HTTP_INVALID_REQUEST with an `errors` list.
 * Optional members are absent or valid; `null` is not "absent".
 */

export type InputLimits = Pick<
  MemoryConfig,
  'maxContentChars' | 'maxTags' | 'maxTagChars' | 'maxKeyChars' | 'defaultSearchLimit' | 'maxSearchLimit'
>

type Fields = Record<string, unknown>
type Entry = ProblemEntry
const ADD_MEMBERS = ['content', 'tags', 'key']
const UPDATE_MEMBERS = ['content', 'tags', 'expected_rev']
const REVISE_MEMBERS = ['content', 'tags']
const SEARCH_MEMBERS = ['text', 'tags', 'limit', 'include_retired']

const entry = (kind: string, field: string, reason: string, message: string): Entry => ({ kind, field, reason, message })

function invalid(errors: readonly Entry[]): Problem {
  const [first] = errors
  const detail = `${errors.length} invalid ${errors.length === 1 ? 'member' : 'members'}${first === undefined ? '' : `; first: ${first.message}`}`
  return kitErrors.problem('HTTP_INVALID_REQUEST', { detail, errors })
}

/** The body must be an object; anything else is one problem about `$`. */
function fieldsOf(value: unknown, allowed: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw kitErrors.problem('HTTP_INVALID_REQUEST', {
      detail: `the body must be an object {${allowed.join(', ')}}`,
      errors: [entry('schema', '$', 'type', '$ must be an object')],
    })
  }
  return value as Fields
}

/** Unknown members are reported, not ignored: a misspelt `expected_rev` must not pass silently. */
function extras(fields: Fields, allowed: readonly string[], out: Entry[]): void {
  for (const k of Object.keys(fields)) {
    if (!allowed.includes(k)) out.push(entry('schema', `$.${k}`, 'additional_property', `$.${k} is not a known member`))
  }
}

/** A string member: type, non-empty and length checks. undefined when absent or bad (bad is reported). */
function text(fields: Fields, key: string, max: number, required: boolean, out: Entry[]): string | undefined {
  const v = fields[key]
  const field = `$.${key}`
  if (v === undefined) {
    if (required) out.push(entry('schema', field, 'required', `${field} is required`))
  } else if (typeof v !== 'string') out.push(entry('schema', field, 'type', `${field} must be a string`))
  else if (v === '') out.push(entry('length', field, 'empty', `${field} must not be empty`))
  else if (v.length > max) out.push(entry('length', field, 'too_long', `${field} is ${v.length} characters; the limit is ${max}`))
  else return v
  return undefined
}

function tagList(fields: Fields, limits: InputLimits, out: Entry[]): string[] | undefined {
  const v = fields.tags
  if (v === undefined) return undefined
  if (!Array.isArray(v)) {
    out.push(entry('schema', '$.tags', 'type', '$.tags must be an array of strings'))
    return undefined
  }
  if (v.length > limits.maxTags) {
    out.push(entry('length', '$.tags', 'too_many', `$.tags lists ${v.length} tags; the limit is ${limits.maxTags}`))
    return undefined
  }
  const before = out.length
  v.forEach((tag: unknown, i) => {
    const field = `$.tags[${i}]`
    if (typeof tag !== 'string') out.push(entry('schema', field, 'type', `${field} must be a string`))
    else if (tag.length > limits.maxTagChars) {
      out.push(entry('length', field, 'too_long', `${field} is ${tag.length} characters; the limit is ${limits.maxTagChars}`))
    } else if (!TAG_PATTERN.test(tag))
      out.push(entry('format', field, 'invalid_tag', `${field} ${quoteCallerText(tag)} must match ${TAG_PATTERN.source}`))
  })
  return out.length === before ? normaliseTags(v as string[]) : undefined
}

export interface AddFields {
  readonly content: string
  readonly tags: string[]
  readonly key: string | undefined
}

export function parseAddInput(value: unknown, limits: InputLimits): AddFields {
  const out: Entry[] = []
  const fields = fieldsOf(value, ADD_MEMBERS)
  const content = text(fields, 'content', limits.maxContentChars, true, out)
  const tags = tagList(fields, limits, out)
  const key = text(fields, 'key', limits.maxKeyChars, false, out)
  extras(fields, ADD_MEMBERS, out)
  if (out.length > 0 || content === undefined) throw invalid(out)
  return { content, tags: tags ?? [], key }
}

export interface UpdateFields {
  readonly content: string | undefined
  readonly tags: string[] | undefined
  readonly expectedRev: number | undefined
}

export function parseUpdateInput(value: unknown, limits: InputLimits): UpdateFields {
  const out: Entry[] = []
  const fields = fieldsOf(value, UPDATE_MEMBERS)
  const content = text(fields, 'content', limits.maxContentChars, false, out)
  const tags = tagList(fields, limits, out)
  const rev = fields.expected_rev
  if (rev !== undefined && !(typeof rev === 'number' && Number.isSafeInteger(rev) && rev >= 1)) {
    out.push(entry('schema', '$.expected_rev', 'type', '$.expected_rev must be a positive integer'))
  }
  if (fields.content === undefined && fields.tags === undefined) {
    out.push(entry('schema', '$', 'required_one_of', '$ must have at least one of content, tags'))
  }
  extras(fields, UPDATE_MEMBERS, out)
  if (out.length > 0) throw invalid(out)
  return { content, tags, expectedRev: rev as number | undefined }
}

export interface ReviseFields {
  readonly content: string
  readonly tags: string[] | undefined
}

export function parseReviseInput(value: unknown, limits: InputLimits): ReviseFields {
  const out: Entry[] = []
  const fields = fieldsOf(value, REVISE_MEMBERS)
  const content = text(fields, 'content', limits.maxContentChars, true, out)
  const tags = tagList(fields, limits, out)
  extras(fields, REVISE_MEMBERS, out)
  if (out.length > 0 || content === undefined) throw invalid(out)
  return { content, tags }
}

export interface SearchFields {
  /** Distinct query tokens; empty when the search is by tags only. */
  readonly tokens: string[]
  readonly tags: string[]
  readonly limit: number
  readonly includeRetired: boolean
}

export function parseSearchInput(value: unknown, limits: InputLimits): SearchFields {
  const out: Entry[] = []
  const fields = fieldsOf(value, SEARCH_MEMBERS)
  const query = text(fields, 'text', limits.maxContentChars, false, out)
  const tokens = query === undefined ? [] : tokenize(query)
  if (query !== undefined && tokens.length === 0) {
    out.push(entry('format', '$.text', 'no_tokens', '$.text must contain at least one letter or digit'))
  }
  const tags = tagList(fields, limits, out) ?? []
  const limit = fields.limit ?? limits.defaultSearchLimit
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit)) out.push(entry('schema', '$.limit', 'type', '$.limit must be an integer'))
  else if (limit < 1 || limit > limits.maxSearchLimit) {
    out.push(entry('range', '$.limit', 'out_of_range', `$.limit must be between 1 and ${limits.maxSearchLimit}`))
  }
  const includeRetired = fields.include_retired ?? false
  if (typeof includeRetired !== 'boolean') out.push(entry('schema', '$.include_retired', 'type', '$.include_retired must be a boolean'))
  if (fields.text === undefined && (fields.tags === undefined || (Array.isArray(fields.tags) && fields.tags.length === 0))) {
    out.push(entry('schema', '$', 'required_one_of', '$ must have text or at least one tag'))
  }
  extras(fields, SEARCH_MEMBERS, out)
  if (out.length > 0) throw invalid(out)
  return { tokens, tags, limit: limit as number, includeRetired: includeRetired as boolean }
}

/** A uid that no trace could ever have is the caller's mistake (400), not a miss (404). */
export function checkUid(uid: unknown, field = 'uid'): string {
  if (isUid(uid)) return uid
  const message = `${field} ${typeof uid === 'string' ? quoteCallerText(uid) : 'is not a string and'} must match ${UID_PATTERN.source}`
  throw memoryErrors.problem('MEMORY_INVALID_UID', { detail: message, errors: [entry('format', field, 'invalid_uid', message)] })
}
