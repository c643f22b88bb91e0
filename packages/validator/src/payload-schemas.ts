/**
 * Payload shapes of the built-in kinds (the request envelopes are in envelope.ts). The rules a JSON Schema
 * cannot state (SMS length by encoding, SSN and placeholder guards, duplicates, headcount,
 * worker existence) live in the kind-*.ts files.
 */

/** RFC 5321 §4.5.3.1.3: a forward path is at most 256 octets including the angle brackets. */
const ADDRESS_MAX = 254
const ID_MAX = 256

export const EMAIL_PAYLOAD_SCHEMA = {
  type: 'object',
  required: ['to', 'subject', 'body'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', format: 'email', maxLength: ADDRESS_MAX },
    from: { type: 'string', format: 'email', maxLength: ADDRESS_MAX },
    subject: { type: 'string', minLength: 1, maxLength: 200 },
    body: { type: 'string', minLength: 1, maxLength: 20_000 },
  },
} as const

export const SMS_PAYLOAD_SCHEMA = {
  type: 'object',
  required: ['to', 'body'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', format: 'phone' },
    body: { type: 'string', minLength: 1 },
  },
} as const

export const FILL_MAX_HEADCOUNT = 1000
export const FILL_MAX_CANDIDATES = 1000

export const FILL_PAYLOAD_SCHEMA = {
  type: 'object',
  required: ['headcount', 'candidate_ids'],
  additionalProperties: false,
  properties: {
    headcount: { type: 'integer', minimum: 1, maximum: FILL_MAX_HEADCOUNT },
    candidate_ids: {
      type: 'array',
      minItems: 1,
      maxItems: FILL_MAX_CANDIDATES,
      items: { type: 'string', minLength: 1, maxLength: ID_MAX },
    },
    job_id: { type: 'string', minLength: 1, maxLength: ID_MAX },
  },
} as const

export const SCHEMA_PAYLOAD_SCHEMA = {
  type: 'object',
  required: ['schema', 'data'],
  additionalProperties: false,
  properties: {
    schema: { type: ['object', 'boolean'] },
    data: {},
  },
} as const
