import { type BodyCheck, type BodySchema, compileBodySchema, type Problem, quoteCallerText } from '@lakehouse/kit'
import { CONTROL_CHARACTERS, MAX_COLUMN_NAME_CHARS, MAX_COLUMN_TYPE_CHARS } from './column-rules.ts'
import { catalogErrors } from './errors.ts'
import { DATASET_NAME_PATTERN } from './identity.ts'
import type { RegisterInput } from './types.ts'

export interface InputLimits {
  readonly maxColumns: number
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/
const MAX_KEY_CHARS = 1024
const NO_CONTROL = `^[^${CONTROL_CHARACTERS}]*$`
// The core of storage's key policy (docs/storage.md), so a manifest does not name an object that
// could never be stored: `/`-separated segments, none empty, `.` or `..`, no control characters,
// no leading or trailing `/`. Storage's own check stays authoritative (bytes, segment length).
const KEY_CHAR = `[^/${CONTROL_CHARACTERS}]`
const KEY_CHAR_NOT_DOT = `[^/.${CONTROL_CHARACTERS}]`
const KEY_SEGMENT = `(?:${KEY_CHAR_NOT_DOT}${KEY_CHAR}*|\\.${KEY_CHAR_NOT_DOT}${KEY_CHAR}*|\\.\\.${KEY_CHAR}+)`
const OBJECT_KEY_PATTERN = `^${KEY_SEGMENT}(?:/${KEY_SEGMENT})*$`
const SHA256 = { type: 'string', pattern: FINGERPRINT_PATTERN.source } as const

/**
 * `POST /v1/catalog/datasets` (and ingest's register, and every stored manifest version): the
 * shape. The column count is configuration (maxColumns), so the schema is built per catalog.
 * Derived members (fingerprint of the schema, the key ingest writes) are checked after it.
 */
export function registerRequestSchema(maxColumns: number): BodySchema {
  return {
    type: 'object',
    required: ['name', 'fingerprint', 'schema', 'object_key', 'row_count'],
    additionalProperties: false,
    properties: {
      name: {
        type: 'string',
        pattern: DATASET_NAME_PATTERN.source,
        description: 'The dataset name; it becomes an SQL view name.',
      },
      fingerprint: { ...SHA256, description: 'fingerprintSchema(schema): SHA-256 over the name/type pairs, lower-case hex.' },
      schema: {
        type: 'array',
        minItems: 1,
        maxItems: maxColumns,
        description: `The columns in order, 1..${maxColumns}.`,
        items: {
          type: 'object',
          required: ['name', 'type'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: MAX_COLUMN_NAME_CHARS, pattern: NO_CONTROL, description: 'Column name.' },
            type: { type: 'string', minLength: 1, maxLength: MAX_COLUMN_TYPE_CHARS, pattern: NO_CONTROL, description: 'DuckDB type name.' },
          },
        },
      },
      object_key: {
        type: 'string',
        maxLength: MAX_KEY_CHARS,
        pattern: OBJECT_KEY_PATTERN,
        description: 'The Parquet object ingest wrote: datasets/<name>/<fingerprint>/<content_hash>.parquet.',
      },
      row_count: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Rows in the object.' },
      content_hash: { ...SHA256, description: 'SHA-256 of the object bytes, lower-case hex.' },
    },
  }
}

/** Checks an untrusted register request (HTTP body, a direct call or a stored manifest version). */
export type RegisterInputParser = (value: unknown) => RegisterInput

const checks = new Map<number, BodyCheck<RegisterInput>>()
const parsers = new Map<number, RegisterInputParser>()

/**
 * The compiled shape check of a register body, one per `maxColumns`: the parser runs it, and the
 * route publishes it (route-docs.ts), so the document is the check itself.
 */
export function registerBodyCheck(limits: InputLimits): BodyCheck<RegisterInput> {
  let check = checks.get(limits.maxColumns)
  if (check === undefined) {
    check = compileBodySchema<RegisterInput>(registerRequestSchema(limits.maxColumns))
    checks.set(limits.maxColumns, check)
  }
  return check
}

/**
 * The parser for a catalog's limits, compiled once per configuration (the catalog asks for it
 * when it is created; rehydrate and the manifest codec get the same one). A body that does not
 * fit the schema is 400 HTTP_INVALID_REQUEST listing every problem; what it returns is a fresh,
 * owned `RegisterInput`, so later mutation of the caller's object cannot reach the registry.
 */
export function registerInputParser(limits: InputLimits): RegisterInputParser {
  const known = parsers.get(limits.maxColumns)
  if (known !== undefined) return known
  const check = registerBodyCheck(limits)
  const parse: RegisterInputParser = (value) => {
    const body = check(value)
    return {
      name: body.name,
      fingerprint: body.fingerprint,
      schema: body.schema.map((c) => ({ name: c.name, type: c.type })),
      object_key: body.object_key,
      row_count: body.row_count,
      ...(body.content_hash === undefined ? {} : { content_hash: body.content_hash }),
    }
  }
  parsers.set(limits.maxColumns, parse)
  return parse
}

/** For paths that carry a name (GET /datasets/{name}): a name that can never be registered is a 400. */
export function invalidNameProblem(name: string): Problem {
  const message = `name ${quoteCallerText(name)} must match ${DATASET_NAME_PATTERN.source}`
  return catalogErrors.problem('CATALOG_INVALID_NAME', {
    detail: message,
    errors: [{ kind: 'format', field: 'name', reason: 'invalid_name', message }],
  })
}
