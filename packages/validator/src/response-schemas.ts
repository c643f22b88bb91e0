import { PROBLEM_TYPE_PREFIX } from '@lakehouse/kit'
import { VALIDATION_ERROR_KINDS, VALIDATION_KINDS } from './types.ts'

/**
 * The wire shapes of the validator, stated once. The seed's headline parity finding was two
 * runtimes answering the same case with different error shapes; tests hold every response to
 * these schemas, and clients may use them too.
 */

export const VALIDATION_ERROR_ENTRY_SCHEMA = {
  type: 'object',
  required: ['kind', 'field', 'reason', 'message'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: VALIDATION_ERROR_KINDS },
    field: { type: 'string', pattern: '^\\$' },
    reason: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
    message: { type: 'string', minLength: 1 },
  },
} as const

export const VALIDATION_WARNING_SCHEMA = {
  type: 'object',
  required: ['field', 'reason', 'message'],
  additionalProperties: false,
  properties: {
    field: { type: 'string', pattern: '^\\$' },
    reason: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    message: { type: 'string', minLength: 1 },
  },
} as const

const WARNINGS = { type: 'array', items: VALIDATION_WARNING_SCHEMA } as const
const ERRORS = { type: 'array', items: VALIDATION_ERROR_ENTRY_SCHEMA } as const

/** 200 from `POST /v1/validate`. */
export const VALIDATION_OK_SCHEMA = {
  type: 'object',
  required: ['valid', 'kind', 'warnings'],
  additionalProperties: false,
  properties: {
    valid: { const: true },
    kind: { type: 'string', enum: VALIDATION_KINDS },
    warnings: WARNINGS,
  },
} as const

const PROBLEM_ENVELOPE = {
  type: { type: 'string', pattern: `^${PROBLEM_TYPE_PREFIX}` },
  title: { type: 'string', minLength: 1 },
  detail: { type: 'string', minLength: 1 },
  instance: { type: 'string', pattern: '^/' },
} as const

/** 422 `VALIDATION_FAILED` from `POST /v1/validate`. */
export const VALIDATION_PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'kind', 'warnings'],
  additionalProperties: false,
  properties: {
    ...PROBLEM_ENVELOPE,
    type: { const: `${PROBLEM_TYPE_PREFIX}VALIDATION_FAILED` },
    status: { const: 422 },
    code: { const: 'VALIDATION_FAILED' },
    errors: { ...ERRORS, minItems: 1 },
    kind: { type: 'string', enum: VALIDATION_KINDS },
    warnings: WARNINGS,
    errors_truncated: { const: true },
  },
} as const

/** 400 problems raised by the validator itself (kind, batch size, caller schema); a body that does not fit its schema is kit's HTTP_INVALID_REQUEST. */
export const VALIDATOR_REQUEST_PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code', 'errors'],
  additionalProperties: false,
  properties: {
    ...PROBLEM_ENVELOPE,
    status: { const: 400 },
    code: {
      type: 'string',
      enum: [
        'VALIDATOR_UNKNOWN_KIND',
        'VALIDATOR_BATCH_TOO_LARGE',
        'VALIDATOR_INVALID_SCHEMA',
        'VALIDATOR_PATTERN_UNSUPPORTED',
        'VALIDATOR_PATTERN_WORK_EXCEEDED',
      ],
    },
    errors: { ...ERRORS, minItems: 1 },
    max_items: { type: 'integer', minimum: 1 },
  },
} as const

/** 200 from `POST /v1/validate/batch`. */
export const VALIDATION_BATCH_SCHEMA = {
  type: 'object',
  required: ['results', 'summary'],
  additionalProperties: false,
  properties: {
    results: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['index', 'kind', 'valid', 'warnings', 'errors'],
        additionalProperties: false,
        properties: {
          index: { type: 'integer', minimum: 0 },
          kind: { type: ['string', 'null'] },
          valid: { type: 'boolean' },
          warnings: WARNINGS,
          errors: ERRORS,
          errors_truncated: { const: true },
        },
        // valid ⇔ no errors, so a client can trust either.
        oneOf: [
          // (required again in each branch, so tools can tell the branches apart on their own)
          { type: 'object', required: ['valid', 'errors'], properties: { valid: { const: true }, errors: { type: 'array', maxItems: 0 } } },
          {
            type: 'object',
            required: ['valid', 'errors'],
            properties: { valid: { const: false }, errors: { type: 'array', minItems: 1 } },
          },
        ],
      },
    },
    summary: {
      type: 'object',
      required: ['total', 'valid', 'invalid'],
      additionalProperties: false,
      properties: {
        total: { type: 'integer', minimum: 1 },
        valid: { type: 'integer', minimum: 0 },
        invalid: { type: 'integer', minimum: 0 },
      },
    },
  },
} as const
