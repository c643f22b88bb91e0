import { codePointLength, pointerSegment, resolvePointer } from '@lakehouse/kit'
import type { ErrorObject } from 'ajv'
import type { ValidationEntry } from './types.ts'

export interface AjvEntryOptions {
  /** JSONPath the instance paths are relative to: `$` for payloads, `$.data` for the `schema` kind. */
  readonly base: string
  /**
   * Built-in kinds report min/max length and item counts as `length` errors with `empty` /
   * `too_short` / `too_long`; caller schemas keep the plain ajv keyword so the reason matches
   * the schema the caller wrote.
   */
  readonly lengthAsKind: boolean
}

/** Keywords whose error sits on the parent object but is about one named member. */
const MEMBER_PARAM: Readonly<Record<string, string>> = {
  required: 'missingProperty',
  dependentRequired: 'missingProperty',
  dependencies: 'missingProperty',
  additionalProperties: 'additionalProperty',
  unevaluatedProperties: 'unevaluatedProperty',
}

const LENGTH_KEYWORDS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems'])

function sizeOf(value: unknown): { n: number; unit: string } {
  if (Array.isArray(value)) return { n: value.length, unit: 'items' }
  return { n: typeof value === 'string' ? codePointLength(value) : 0, unit: 'characters' }
}

function lengthEntry(err: ErrorObject, field: string, value: unknown): ValidationEntry {
  const limit = Number((err.params as { limit?: unknown }).limit)
  const { n, unit } = sizeOf(value)
  if (err.keyword === 'maxLength' || err.keyword === 'maxItems') {
    return { kind: 'length', field, reason: 'too_long', message: `${field} has ${n} ${unit}; the limit is ${limit}` }
  }
  if (n === 0) return { kind: 'length', field, reason: 'empty', message: `${field} must not be empty` }
  return { kind: 'length', field, reason: 'too_short', message: `${field} has ${n} ${unit}; the minimum is ${limit}` }
}

/** Keywords are already tokens; only ajv's internal "false schema" needs a space replaced. */
function reasonOf(keyword: string): string {
  return keyword.replace(/[^A-Za-z0-9_]/g, '_')
}

function messageOf(err: ErrorObject, field: string): string {
  if (err.keyword === 'required' || err.keyword === 'dependentRequired' || err.keyword === 'dependencies') return `${field} is required`
  if (err.keyword === 'additionalProperties' || err.keyword === 'unevaluatedProperties') return `${field} is not allowed`
  return `${field} ${err.message ?? `fails ${err.keyword}`}`
}

/** Maps ajv errors (in the order ajv reports them) to error entries of kind `schema` or `length`. */
export function entriesFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  root: unknown,
  options: AjvEntryOptions,
): ValidationEntry[] {
  if (errors === null || errors === undefined) return []
  const out: ValidationEntry[] = []
  for (const err of errors) {
    const memberParam = MEMBER_PARAM[err.keyword]
    const member = memberParam === undefined ? undefined : (err.params as Record<string, unknown>)[memberParam]
    const pointer = typeof member === 'string' ? `${err.instancePath}/${pointerSegment(member)}` : err.instancePath
    const { path, value } = resolvePointer(root, pointer, options.base)
    if (options.lengthAsKind && LENGTH_KEYWORDS.has(err.keyword)) out.push(lengthEntry(err, path, value))
    else out.push({ kind: 'schema', field: path, reason: reasonOf(err.keyword), message: messageOf(err, path) })
  }
  return out
}
