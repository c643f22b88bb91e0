import type { ErrorObject } from 'ajv'
import { pointerSegment, resolvePointer } from './json-pointer.ts'
import type { ProblemEntry } from './problem.ts'

/**
 * The reasons a request body can fail its endpoint's schema, one snake_case token each
 * (docs/errors.md, "Request bodies"). Every component answers the same mistake with the same
 * token; a schema keyword outside this table is a bug in our schema, caught by the test that
 * compiles every endpoint's schema.
 */
export const BODY_REASONS = {
  required: 'a required member is missing',
  additional_property: 'a member the endpoint does not know',
  type: 'the wrong JSON type',
  enum: 'not one of the allowed values',
  const: 'not the one allowed value',
  empty: 'an empty string or list where one is needed',
  too_short: 'a string or list shorter than the minimum',
  too_long: 'a string or list longer than the limit',
  too_small: 'a number below the minimum',
  too_large: 'a number above the maximum',
  not_multiple: 'a number that is not a multiple of the step',
  pattern: 'a string that does not match the pattern',
  format: 'a string that is not in the named format',
  duplicate_items: 'a list with the same item twice',
  too_few_members: 'an object with fewer members than the minimum',
  too_many_members: 'an object with more members than the limit',
  invalid_member_name: 'a member name the endpoint does not accept',
  no_matching_alternative: 'a value that matches none of the accepted forms',
  conflicting_alternatives: 'a value that matches more than one accepted form',
} as const satisfies Record<string, string>

export type BodyReason = keyof typeof BODY_REASONS

const SIMPLE: Readonly<Record<string, BodyReason>> = {
  required: 'required',
  dependentRequired: 'required',
  additionalProperties: 'additional_property',
  unevaluatedProperties: 'additional_property',
  type: 'type',
  enum: 'enum',
  const: 'const',
  minimum: 'too_small',
  exclusiveMinimum: 'too_small',
  maximum: 'too_large',
  exclusiveMaximum: 'too_large',
  multipleOf: 'not_multiple',
  pattern: 'pattern',
  format: 'format',
  uniqueItems: 'duplicate_items',
  minProperties: 'too_few_members',
  maxProperties: 'too_many_members',
  propertyNames: 'invalid_member_name',
  anyOf: 'no_matching_alternative',
}

/** Keywords whose error sits on the parent object but is about one named member. */
const MEMBER_PARAM: Readonly<Record<string, string>> = {
  required: 'missingProperty',
  dependentRequired: 'missingProperty',
  additionalProperties: 'additionalProperty',
  unevaluatedProperties: 'unevaluatedProperty',
}

/** Code points, as ajv's minLength/maxLength count them (JSON Schema §6.3.1). */
export function codePointLength(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0 || text.charCodeAt(i - 1) < 0xd800 || text.charCodeAt(i - 1) > 0xdbff) n++
  }
  return n
}

function sizeOf(value: unknown): { n: number; unit: string } {
  if (Array.isArray(value)) return { n: value.length, unit: 'items' }
  return { n: typeof value === 'string' ? codePointLength(value) : 0, unit: 'characters' }
}

function limitOf(err: ErrorObject): unknown {
  return (err.params as { limit?: unknown; allowedValues?: unknown; allowedValue?: unknown }).limit
}

function entryFor(err: ErrorObject, field: string, value: unknown): ProblemEntry {
  const limit = limitOf(err)
  switch (err.keyword) {
    case 'minLength':
    case 'minItems': {
      const { n, unit } = sizeOf(value)
      if (n === 0) return { kind: 'length', field, reason: 'empty', message: `${field} must not be empty` }
      return { kind: 'length', field, reason: 'too_short', message: `${field} has ${n} ${unit}; the minimum is ${limit}` }
    }
    case 'maxLength':
    case 'maxItems': {
      const { n, unit } = sizeOf(value)
      return { kind: 'length', field, reason: 'too_long', message: `${field} has ${n} ${unit}; the limit is ${limit}` }
    }
    case 'required':
    case 'dependentRequired':
      return { kind: 'schema', field, reason: 'required', message: `${field} is required` }
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return { kind: 'schema', field, reason: 'additional_property', message: `${field} is not a known member` }
    case 'enum': {
      const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues ?? []
      return {
        kind: 'schema',
        field,
        reason: 'enum',
        message: `${field} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      }
    }
    case 'oneOf': {
      const passing = (err.params as { passingSchemas?: unknown }).passingSchemas
      const reason: BodyReason = passing === null || passing === undefined ? 'no_matching_alternative' : 'conflicting_alternatives'
      return { kind: 'schema', field, reason, message: `${field} ${err.message ?? 'must match exactly one accepted form'}` }
    }
  }
  const reason = SIMPLE[err.keyword]
  if (reason === undefined) throw new TypeError(`schema keyword ${err.keyword} has no request-body reason (kit/src/schema-entries.ts)`)
  return { kind: 'schema', field, reason, message: `${field} ${err.message ?? `fails ${err.keyword}`}` }
}

/**
 * ajv's errors for a request body → problem entries: JSONPath fields (`$.a[0].b`), reasons from
 * BODY_REASONS, lengths as kind `length`. ajv reports an `anyOf`/`oneOf` failure together with
 * every branch's own errors; those are noise to a caller, so only the alternative's verdict stays.
 */
export function entriesFromSchemaErrors(errors: readonly ErrorObject[] | null | undefined, root: unknown): ProblemEntry[] {
  if (errors === null || errors === undefined) return []
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath)
  const out: ProblemEntry[] = []
  const seen = new Set<string>()
  for (const err of errors) {
    if (err.keyword !== 'anyOf' && err.keyword !== 'oneOf' && alternatives.some((p) => err.schemaPath.startsWith(`${p}/`))) continue
    const memberParam = MEMBER_PARAM[err.keyword]
    const member = memberParam === undefined ? undefined : (err.params as Record<string, unknown>)[memberParam]
    const pointer = typeof member === 'string' ? `${err.instancePath}/${pointerSegment(member)}` : err.instancePath
    const { path, value } = resolvePointer(root, pointer)
    const entry = entryFor(err, path, value)
    const key = `${entry.field}\u0000${entry.reason}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(entry)
  }
  return out
}
