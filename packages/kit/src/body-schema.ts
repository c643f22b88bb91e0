import { Ajv, type AnySchema } from 'ajv'
import { kitErrors } from './errors.ts'
import { entriesFromSchemaErrors } from './schema-entries.ts'

/** A JSON Schema (draft 07 keywords, as ajv's default class reads them) for one endpoint's body. */
export type BodySchema = Readonly<Record<string, unknown>>

/** Checks a parsed body against its endpoint's schema; returns it typed, or throws HTTP_INVALID_REQUEST. */
export interface BodyCheck<T> {
  (body: unknown): T
  /** The schema, for the OpenAPI document and tests. */
  readonly schema: BodySchema
}

// Strict instances for every endpoint schema: a typo in one of our schemas is a bug to catch
// when the service is created, not a keyword silently ignored on every request. One stops at the
// first error (every request pays it), the other collects them all (only bad bodies, bounded).
const instances: { first?: Ajv; all?: Ajv } = {}
function ajv(kind: 'first' | 'all'): Ajv {
  instances[kind] ??= new Ajv({ allErrors: kind === 'all', strict: true, allowUnionTypes: true, logger: false })
  return instances[kind]
}

/** The most entries a 400 lists; `errors_truncated: true` says there were more. */
export const MAX_BODY_ENTRIES = 50

/**
 * Collecting every error walks the whole body and keeps an object per failure: a 16 MiB list of
 * wrong items would be millions of both. Past this many values only the first error is reported.
 */
const FULL_REPORT_MAX_VALUES = 10_000

/** True when `value` holds at most `budget` JSON values (itself included); stops counting past it. */
function fewValues(value: unknown, budget: number): boolean {
  let left = budget
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    if (--left < 0) return false
    const v = stack.pop()
    if (v !== null && typeof v === 'object') for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child)
  }
  return true
}

// Keywords whose failures BODY_REASONS can name, plus annotations. `if`/`then`, `not`,
// `contains`, `dependentSchemas` and the like would fail with no token to give the caller, so a
// schema using them is refused when the service is created.
const KEYWORDS = new Set([
  ...['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const'],
  ...['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  ...['minLength', 'maxLength', 'pattern', 'format', 'minItems', 'maxItems', 'uniqueItems'],
  ...['minProperties', 'maxProperties', 'propertyNames', 'dependentRequired', 'anyOf', 'oneOf'],
  ...['title', 'description', 'default', 'examples', 'deprecated', '$id', '$schema', '$comment'],
])

function checkKeywords(schema: unknown, at: string): void {
  if (typeof schema === 'boolean') return
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new TypeError(`${at} is not a schema`)
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key)) throw new TypeError(`${at} uses ${key}, which no request-body reason names (kit/src/schema-entries.ts)`)
    if (key === 'properties') for (const [name, sub] of Object.entries(value as object)) checkKeywords(sub, `${at}.properties.${name}`)
    else if (key === 'items' || key === 'additionalProperties' || key === 'propertyNames') checkKeywords(value, `${at}.${key}`)
    else if (key === 'anyOf' || key === 'oneOf')
      for (const [i, sub] of (value as unknown[]).entries()) checkKeywords(sub, `${at}.${key}[${i}]`)
  }
}

/**
 * Compiles an endpoint's body schema once (at service creation). A body that fails it is
 * answered 400 HTTP_INVALID_REQUEST with one entry per problem in the request-body vocabulary
 * (BODY_REASONS) — the same code and tokens from every component. Checks a schema cannot say
 * (a name must exist, two members must agree) stay in the component, after this one.
 */
export function compileBodySchema<T>(schema: BodySchema): BodyCheck<T> {
  checkKeywords(schema, 'schema')
  const validateFirst = ajv('first').compile(schema as AnySchema)
  const validateAll = ajv('all').compile(schema as AnySchema)
  const check = (body: unknown): T => {
    if (validateFirst(body)) return body as T
    const complete = fewValues(body, FULL_REPORT_MAX_VALUES) && !validateAll(body)
    const found = entriesFromSchemaErrors(complete ? validateAll.errors : validateFirst.errors, body)
    const errors = found.slice(0, MAX_BODY_ENTRIES)
    const truncated = !complete || found.length > errors.length
    const [first] = errors
    const count = truncated ? `at least ${errors.length}` : String(errors.length)
    throw kitErrors.problem('HTTP_INVALID_REQUEST', {
      detail: `${count} ${errors.length === 1 && !truncated ? 'problem' : 'problems'} in the request body${first === undefined ? '' : `; first: ${first.message}`}`,
      errors,
      ...(truncated ? { extensions: { errors_truncated: true } } : {}),
    })
  }
  return Object.assign(check, { schema })
}

/** A body check for two forms; the result says which form the body took. */
export type BodyForms<Single, Multiple> = BodyCheck<
  { readonly form: 'single'; readonly body: Single } | { readonly form: 'multiple'; readonly body: Multiple }
>

/**
 * A body of two forms told apart by one member — one record or `{items: [...]}`, one event or
 * `{events: [...]}`. Checked against the form the member picks, so a bad body's entries name the
 * member at fault; the one `oneOf` schema (what the OpenAPI document shows) would only say "matches
 * no form". The forms must exclude each other: `single` must not allow `member`.
 */
export function compileBodyForms<Single, Multiple>(member: string, multiple: BodySchema, single: BodySchema): BodyForms<Single, Multiple> {
  const checkMultiple = compileBodySchema<Multiple>(multiple)
  const checkSingle = compileBodySchema<Single>(single)
  const check = (body: unknown) =>
    typeof body === 'object' && body !== null && !Array.isArray(body) && Object.hasOwn(body, member)
      ? { form: 'multiple' as const, body: checkMultiple(body) }
      : { form: 'single' as const, body: checkSingle(body) }
  return Object.assign(check, { schema: { oneOf: [single, multiple] } })
}
