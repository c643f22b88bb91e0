import type { RouteDoc } from '@lakehouse/kit'
import { checkBatchRequest, checkValidationRequest } from './envelope.ts'
import { VALIDATION_BATCH_SCHEMA, VALIDATION_OK_SCHEMA } from './response-schemas.ts'

/**
 * What resolving a `fill`'s candidate ids can fail with: a lookup over the query service passes
 * its problems through (QUERY_INVALID when the view exists but cannot be read as workers), and
 * the gateway's workers directory turns a registered `workers` dataset it cannot read into
 * CATALOG_DATASET_UNREADABLE.
 */
const WORKER_LOOKUP_ERRORS = [
  'CATALOG_DATASET_UNREADABLE',
  'QUERY_INVALID',
  'QUERY_TIMEOUT',
  'QUERY_BUSY',
  'QUERY_OUT_OF_MEMORY',
  'QUERY_UNAVAILABLE',
]

/** A `schema` payload's JSON Schema is compiled per request: these refuse it. */
const CALLER_SCHEMA_ERRORS = ['VALIDATOR_INVALID_SCHEMA', 'VALIDATOR_PATTERN_UNSUPPORTED', 'VALIDATOR_PATTERN_WORK_EXCEEDED']

export const VALIDATE_DOC: RouteDoc = {
  summary: 'Validate one payload of a kind (email, sms, fill, schema)',
  description:
    'A payload that breaks a rule of its kind is 422 VALIDATION_FAILED with every failure in `errors` (and `kind`, `warnings`); see docs/validator.md for the kinds and their rules.',
  body: checkValidationRequest,
  responses: { 200: { description: 'The payload is valid; warnings do not make it invalid.', schema: VALIDATION_OK_SCHEMA } },
  errors: ['VALIDATION_FAILED', 'VALIDATOR_UNKNOWN_KIND', ...CALLER_SCHEMA_ERRORS, ...WORKER_LOOKUP_ERRORS],
}

export const VALIDATE_BATCH_DOC: RouteDoc = {
  summary: 'Validate up to maxBatchItems payloads in one request',
  description:
    'Each item is `{kind, payload}`; an item that cannot be checked (bad envelope, unknown kind, refused schema) is an invalid result, not a failed batch (docs/validator.md).',
  body: checkBatchRequest,
  responses: {
    200: { description: 'One result per item, in request order, and a summary.', schema: VALIDATION_BATCH_SCHEMA },
  },
  errors: ['VALIDATOR_BATCH_TOO_LARGE', ...WORKER_LOOKUP_ERRORS],
}
