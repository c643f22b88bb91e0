import { kitErrors, type Problem, type ProblemEntry, quoteCallerText } from '@lakehouse/kit'
import { catalogErrors } from './errors.ts'
import { DATASET_NAME_PATTERN } from './identity.ts'
import type { ColumnSpec, RegisterInput } from './types.ts'

export interface InputLimits {
  readonly maxColumns: number
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/
const REGISTER_MEMBERS = ['name', 'fingerprint', 'schema', 'object_key', 'row_count', 'content_hash'] as const
const COLUMN_MEMBERS = ['name', 'type'] as const
const MAX_COLUMN_NAME = 1024
const MAX_COLUMN_TYPE = 128
const MAX_KEY_BYTES = 1024
// C0 controls and DEL: 0x1e/0x1f would break the fingerprint's framing, the rest have no
// business in a column name, a type or a storage key.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/

type Entry = ProblemEntry

function entry(kind: string, field: string, reason: string, message: string): Entry {
  return { kind, field, reason, message }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function extras(obj: Record<string, unknown>, allowed: readonly string[], at: string, out: Entry[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) out.push(entry('schema', `${at}.${k}`, 'additional_property', `${at}.${k} is not a known member`))
  }
}

function requiredString(obj: Record<string, unknown>, key: string, at: string, out: Entry[]): string | undefined {
  const v = obj[key]
  const field = `${at}.${key}`
  if (v === undefined) out.push(entry('schema', field, 'required', `${field} is required`))
  else if (typeof v !== 'string') out.push(entry('schema', field, 'type', `${field} must be a string`))
  else return v
  return undefined
}

/**
 * The core of storage's key policy (DESIGN.md §5), so a manifest does not name an object that
 * could never be stored. Storage's own check stays authoritative (it also limits segment length).
 */
function keyProblem(key: string): string | undefined {
  if (key === '') return 'must not be empty'
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `must be at most ${MAX_KEY_BYTES} bytes`
  if (CONTROL.test(key)) return 'must not contain control characters'
  if (key.startsWith('/')) return 'must not start with /'
  if (key.endsWith('/')) return 'must not end with /'
  if (key.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'must not contain empty, . or .. segments'
  return undefined
}

function checkColumn(col: unknown, at: string, out: Entry[]): ColumnSpec | undefined {
  if (!isObject(col)) {
    out.push(entry('schema', at, 'type', `${at} must be an object {name, type}`))
    return undefined
  }
  const name = requiredString(col, 'name', at, out)
  const type = requiredString(col, 'type', at, out)
  for (const [key, v, max] of [
    ['name', name, MAX_COLUMN_NAME],
    ['type', type, MAX_COLUMN_TYPE],
  ] as const) {
    if (v === undefined) continue
    const field = `${at}.${key}`
    if (v === '') out.push(entry('length', field, 'empty', `${field} must not be empty`))
    else if (v.length > max) out.push(entry('length', field, 'too_long', `${field} must be at most ${max} characters`))
    else if (CONTROL.test(v)) out.push(entry('format', field, 'control_character', `${field} must not contain control characters`))
  }
  extras(col, COLUMN_MEMBERS, at, out)
  return name === undefined || type === undefined ? undefined : { name, type }
}

function checkColumns(value: unknown, limits: InputLimits, out: Entry[]): ColumnSpec[] | undefined {
  const problem = (kind: string, reason: string, message: string) => {
    out.push(entry(kind, '$.schema', reason, message))
    return undefined
  }
  if (value === undefined) return problem('schema', 'required', '$.schema is required')
  if (!Array.isArray(value)) return problem('schema', 'type', '$.schema must be an array of {name, type}')
  if (value.length === 0) return problem('length', 'min_items', '$.schema must list at least one column')
  if (value.length > limits.maxColumns) {
    return problem('length', 'max_items', `$.schema lists ${value.length} columns; the limit is ${limits.maxColumns}`)
  }
  const before = out.length
  const columns = value.map((col: unknown, i) => checkColumn(col, `$.schema[${i}]`, out))
  return out.length === before ? (columns as ColumnSpec[]) : undefined
}

/**
 * Checks an untrusted register request (HTTP body or a direct call) and returns a fresh,
 * owned `RegisterInput`, so later mutation of the caller's object cannot reach the registry.
 * Every problem is collected (not just the first) in member order, then unknown members.
 */
export function parseRegisterInput(value: unknown, limits: InputLimits): RegisterInput {
  const out: Entry[] = []
  if (!isObject(value)) {
    throw kitErrors.problem('HTTP_INVALID_REQUEST', {
      detail: 'the body must be an object {name, fingerprint, schema, object_key, row_count}',
      errors: [entry('schema', '$', 'type', '$ must be an object')],
    })
  }
  const name = requiredString(value, 'name', '$', out)
  if (name !== undefined && !DATASET_NAME_PATTERN.test(name)) {
    out.push(entry('format', '$.name', 'invalid_name', `$.name ${quoteCallerText(name)} must match ${DATASET_NAME_PATTERN.source}`))
  }
  const fingerprint = requiredString(value, 'fingerprint', '$', out)
  if (fingerprint !== undefined && !FINGERPRINT_PATTERN.test(fingerprint)) {
    out.push(entry('format', '$.fingerprint', 'invalid_fingerprint', '$.fingerprint must be 64 lower-case hex characters (SHA-256)'))
  }
  const schema = checkColumns(value.schema, limits, out)
  const objectKey = requiredString(value, 'object_key', '$', out)
  const keyIssue = objectKey === undefined ? undefined : keyProblem(objectKey)
  if (keyIssue !== undefined) out.push(entry('format', '$.object_key', 'invalid_key', `$.object_key ${keyIssue}`))
  const rowCount = value.row_count
  if (rowCount === undefined) out.push(entry('schema', '$.row_count', 'required', '$.row_count is required'))
  else if (typeof rowCount !== 'number' || !Number.isSafeInteger(rowCount) || rowCount < 0) {
    out.push(entry('schema', '$.row_count', 'type', '$.row_count must be a non-negative integer'))
  }
  const contentHash = value.content_hash
  if (contentHash !== undefined && (typeof contentHash !== 'string' || !FINGERPRINT_PATTERN.test(contentHash))) {
    out.push(entry('format', '$.content_hash', 'invalid_content_hash', '$.content_hash must be 64 lower-case hex characters (SHA-256)'))
  }
  extras(value, REGISTER_MEMBERS, '$', out)
  if (out.length > 0) throw inputProblem(out)
  // Every member was checked above; the casts only restate what the checks proved.
  return {
    name: name as string,
    fingerprint: fingerprint as string,
    schema: schema as ColumnSpec[],
    object_key: objectKey as string,
    row_count: rowCount as number,
    ...(contentHash === undefined ? {} : { content_hash: contentHash as string }),
  }
}

/** A bad name alone is CATALOG_INVALID_NAME; anything else wrong makes it HTTP_INVALID_REQUEST (listing the name too). */
function inputProblem(errors: Entry[]): Problem {
  const [first] = errors
  const detail = `${errors.length} invalid ${errors.length === 1 ? 'member' : 'members'}${first === undefined ? '' : `; first: ${first.message}`}`
  if (errors.every((e) => e.reason === 'invalid_name')) return catalogErrors.problem('CATALOG_INVALID_NAME', { detail, errors })
  return kitErrors.problem('HTTP_INVALID_REQUEST', { detail, errors })
}

/** For paths that carry a name (GET /datasets/{name}): a name that can never be registered is a 400. */
export function invalidNameProblem(name: string): Problem {
  const message = `name ${quoteCallerText(name)} must match ${DATASET_NAME_PATTERN.source}`
  return catalogErrors.problem('CATALOG_INVALID_NAME', {
    detail: message,
    errors: [entry('format', 'name', 'invalid_name', message)],
  })
}
