import { quoteCallerText } from '@lakehouse/kit'
import type { Ajv } from 'ajv'
import { entriesFromAjv } from './ajv-entries.ts'
import { validatorErrors } from './errors.ts'
import type { Rejection } from './kind-check.ts'
import { BUILTIN_ENTRY_OPTIONS } from './payload-ajv.ts'
import { BATCH_REQUEST_SCHEMA, VALIDATION_REQUEST_SCHEMA } from './payload-schemas.ts'
import { VALIDATION_KINDS, type ValidationKind } from './types.ts'

/**
 * The `{kind, payload}` wrapper around a payload and the `{items}` wrapper around a batch.
 * Fields in these errors are relative to the request body (or the batch item): `$.kind`,
 * `$.payload`, `$.items`.
 */

export type EnvelopeCheck =
  | { readonly ok: true; readonly kind: ValidationKind; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly kind: string | null; readonly rejection: Rejection }

export interface Envelopes {
  item(body: unknown): EnvelopeCheck
  /** The items of a batch body; throws VALIDATOR_BATCH_TOO_LARGE or VALIDATOR_INVALID_REQUEST. */
  batchItems(body: unknown, maxItems: number): readonly unknown[]
}

const KINDS: ReadonlySet<string> = new Set(VALIDATION_KINDS)

function isKind(kind: string): kind is ValidationKind {
  return KINDS.has(kind)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function batchTooLarge(count: number, maxItems: number): never {
  const message = `$.items has ${count} items; the limit is ${maxItems}`
  throw validatorErrors.problem('VALIDATOR_BATCH_TOO_LARGE', {
    detail: `batch has ${count} items; the limit is ${maxItems}, split it`,
    errors: [{ kind: 'length', field: '$.items', reason: 'too_long', message }],
    extensions: { max_items: maxItems },
  })
}

export function createEnvelopes(ajv: Ajv): Envelopes {
  const validateItem = ajv.compile(VALIDATION_REQUEST_SCHEMA)
  const validateBatch = ajv.compile(BATCH_REQUEST_SCHEMA)
  return {
    item(body) {
      validateItem(body)
      const errors = entriesFromAjv(validateItem.errors, body, BUILTIN_ENTRY_OPTIONS)
      const kind = isRecord(body) && typeof body.kind === 'string' ? body.kind : null
      if (kind !== null && !isKind(kind)) {
        const message = `$.kind ${quoteCallerText(kind)} is not a known kind; expected one of ${VALIDATION_KINDS.join(', ')}`
        const rejection: Rejection = {
          code: 'VALIDATOR_UNKNOWN_KIND',
          detail: message,
          errors: [{ kind: 'schema', field: '$.kind', reason: 'unknown_kind', message }, ...errors],
        }
        return { ok: false, kind, rejection }
      }
      const [first] = errors
      if (first !== undefined || kind === null || !isRecord(body)) {
        const detail = `the body must be {kind, payload} with an object payload; ${first?.message ?? 'it is not'}`
        return { ok: false, kind, rejection: { code: 'VALIDATOR_INVALID_REQUEST', detail, errors } }
      }
      return { ok: true, kind, payload: body.payload as Record<string, unknown> }
    },
    batchItems(body, maxItems) {
      if (isRecord(body) && Array.isArray(body.items) && body.items.length > maxItems) batchTooLarge(body.items.length, maxItems)
      if (!validateBatch(body)) {
        const errors = entriesFromAjv(validateBatch.errors, body, BUILTIN_ENTRY_OPTIONS)
        throw validatorErrors.problem('VALIDATOR_INVALID_REQUEST', {
          detail: `the body must be {items: [{kind, payload}, …]} with 1..${maxItems} items; ${errors[0]?.message ?? 'it is not'}`,
          errors,
        })
      }
      return (body as { items: unknown[] }).items
    },
  }
}
