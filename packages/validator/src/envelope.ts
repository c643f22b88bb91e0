import { type BodySchema, compileBodySchema, isProblem, quoteCallerText } from '@lakehouse/kit'
import { validatorErrors } from './errors.ts'
import type { Rejection } from './kind-check.ts'
import { VALIDATION_KINDS, type ValidationEntry, type ValidationKind } from './types.ts'

/**
 * The `{kind, payload}` wrapper around a payload and the `{items}` wrapper around a batch: the
 * request bodies, checked by kit's compileBodySchema (400 HTTP_INVALID_REQUEST, shared reason
 * tokens). Fields are relative to the request body (or the batch item): `$.kind`, `$.payload`,
 * `$.items`. What is inside `payload` is the kind's business (kind-*.ts, 422 VALIDATION_FAILED).
 */

/** `POST /v1/validate` body, each batch item, and in-process `validate(kind, payload)`. */
export const VALIDATION_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['kind', 'payload'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', description: `What the payload is: ${VALIDATION_KINDS.join(', ')} (another name is VALIDATOR_UNKNOWN_KIND).` },
    payload: { type: 'object', description: 'The object to validate; its shape is set by `kind`.' },
  },
}

/** `POST /v1/validate/batch` body; more items than maxBatchItems (configuration) is VALIDATOR_BATCH_TOO_LARGE, after it. */
export const BATCH_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      description: '`{kind, payload}` requests; an item that cannot be checked comes back as an invalid result, not a failed batch.',
    },
  },
}

/** The checks the routes run (and publish in the OpenAPI document). */
export const checkValidationRequest = compileBodySchema<{ kind: string; payload: Record<string, unknown> }>(VALIDATION_REQUEST_SCHEMA)
export const checkBatchRequest = compileBodySchema<{ items: unknown[] }>(BATCH_REQUEST_SCHEMA)

export type EnvelopeCheck =
  | { readonly ok: true; readonly kind: ValidationKind; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly kind: string | null; readonly rejection: Rejection }

const KINDS: ReadonlySet<string> = new Set(VALIDATION_KINDS)

function isKind(kind: string): kind is ValidationKind {
  return KINDS.has(kind)
}

function kindOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null
  const { kind } = body as { kind?: unknown }
  return typeof kind === 'string' ? kind : null
}

/**
 * One `{kind, payload}`: the schema first, then the kind must be one the validator knows. A
 * rejection is the 400 of a single request, or an invalid result of a batch item.
 */
export function checkEnvelope(body: unknown): EnvelopeCheck {
  let request: { kind: string; payload: Record<string, unknown> }
  try {
    request = checkValidationRequest(body)
  } catch (err) {
    if (!isProblem(err) || err.code !== 'HTTP_INVALID_REQUEST') throw err
    // Kit's entries are of kind `schema` or `length`, both validator entry kinds.
    const errors = (err.errors ?? []) as readonly ValidationEntry[]
    return { ok: false, kind: kindOf(body), rejection: { code: 'HTTP_INVALID_REQUEST', detail: err.detail, errors } }
  }
  const { kind, payload } = request
  if (isKind(kind)) return { ok: true, kind, payload }
  const message = `$.kind ${quoteCallerText(kind)} is not a known kind; expected one of ${VALIDATION_KINDS.join(', ')}`
  const errors: ValidationEntry[] = [{ kind: 'schema', field: '$.kind', reason: 'unknown_kind', message }]
  return { ok: false, kind, rejection: { code: 'VALIDATOR_UNKNOWN_KIND', detail: message, errors } }
}

/** The items of a batch body: 400 HTTP_INVALID_REQUEST if it is not `{items: [1 or more]}`, then VALIDATOR_BATCH_TOO_LARGE. */
export function batchItems(body: unknown, maxItems: number): readonly unknown[] {
  const { items } = checkBatchRequest(body)
  if (items.length > maxItems) {
    const message = `$.items has ${items.length} items; the limit is ${maxItems}`
    throw validatorErrors.problem('VALIDATOR_BATCH_TOO_LARGE', {
      detail: `batch has ${items.length} items; the limit is ${maxItems}, split it`,
      errors: [{ kind: 'length', field: '$.items', reason: 'too_long', message }],
      extensions: { max_items: maxItems },
    })
  }
  return items
}
