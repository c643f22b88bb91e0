import type { BodyCheck, BodySchema, RouteDoc } from '@lakehouse/kit'
import { VALIDATION_WARNING_SCHEMA } from '@lakehouse/validator'
import { parseDraftRequest } from './request-body.ts'
import type { ChatRequest } from './types.ts'

/** A provider that answers chat or drafts a body can fail in these ways (passed through whole). */
const PROVIDER_ERRORS = ['PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_BAD_RESPONSE', 'PROVIDER_REJECTED']

/**
 * What a worker lookup can fail with: the query-backed source passes query problems through
 * (QUERY_INVALID when the view exists but cannot be read as workers), and the gateway's workers
 * directory turns a registered dataset that cannot be read into CATALOG_DATASET_UNREADABLE.
 */
const WORKER_SOURCE_ERRORS = [
  'QUERY_INVALID',
  'QUERY_TIMEOUT',
  'QUERY_BUSY',
  'QUERY_OUT_OF_MEMORY',
  'QUERY_UNAVAILABLE',
  'CATALOG_DATASET_UNREADABLE',
]

const CHAT_RESPONSE_SCHEMA: BodySchema = {
  type: 'object',
  required: ['model', 'message'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', description: 'The model as requested, prefix included.' },
    message: {
      type: 'object',
      required: ['role', 'content'],
      additionalProperties: false,
      properties: { role: { const: 'assistant' }, content: { type: 'string' } },
    },
    usage: {
      type: 'object',
      required: ['prompt_tokens', 'completion_tokens'],
      additionalProperties: false,
      description: 'As the provider reported it; never present for the built-in models.',
      properties: { prompt_tokens: { type: 'number' }, completion_tokens: { type: 'number' } },
    },
  },
}

/** `DraftResponse<D>` around the draft's own schema. */
function draftResponseSchema(draft: BodySchema): BodySchema {
  return {
    type: 'object',
    required: ['worker_id', 'model', 'draft', 'validation'],
    additionalProperties: false,
    properties: {
      worker_id: { type: 'string' },
      model: { type: 'string', description: 'The model that drafted: as requested, or `defaultModel`.' },
      draft,
      validation: {
        type: 'object',
        required: ['valid', 'warnings'],
        additionalProperties: false,
        description: 'A draft that fails the validator is 422 DRAFT_FAILED_VALIDATION, never a 200.',
        properties: { valid: { const: true }, warnings: { type: 'array', items: VALIDATION_WARNING_SCHEMA } },
      },
    },
  }
}

const EMAIL_DRAFT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['to', 'subject', 'body'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', description: 'The worker’s email.' },
    subject: { type: 'string' },
    body: { type: 'string' },
  },
}

const SMS_DRAFT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['to', 'body'],
  additionalProperties: false,
  properties: { to: { type: 'string', description: 'The worker’s phone.' }, body: { type: 'string' } },
}

const DRAFT_ERRORS = [
  'DRAFT_UNKNOWN_MODEL',
  'DRAFT_WORKER_NOT_FOUND',
  'DRAFT_FAILED_VALIDATION',
  ...PROVIDER_ERRORS,
  ...WORKER_SOURCE_ERRORS,
]

export interface DraftRouteDocs {
  readonly chat: RouteDoc
  readonly email: RouteDoc
  readonly sms: RouteDoc
}

/** The chat body's limits are configuration: its doc takes the check the drafter compiled. */
export function draftRouteDocs(chatBody: BodyCheck<ChatRequest>): DraftRouteDocs {
  return {
    chat: {
      summary: 'Answer a conversation with the next assistant message',
      description:
        'Routed by the model’s prefix: `local/template` and `local/echo` are built in, `ollama/…` and `openai/…` go to the configured provider (docs/draft.md).',
      body: chatBody,
      responses: { 200: { description: 'The assistant’s reply.', schema: CHAT_RESPONSE_SCHEMA } },
      errors: ['DRAFT_UNKNOWN_MODEL', ...PROVIDER_ERRORS],
    },
    email: {
      summary: 'Draft an outreach email to one worker about one job',
      description:
        'Checks the body, routes the model, looks the worker up, drafts, then validates; only a draft that passed the validator is returned (docs/draft.md).',
      body: parseDraftRequest,
      responses: { 200: { description: 'The email, validated.', schema: draftResponseSchema(EMAIL_DRAFT_SCHEMA) } },
      errors: DRAFT_ERRORS,
    },
    sms: {
      summary: 'Draft an outreach SMS to one worker about one job',
      description: 'As the email route, for a text message that fits one SMS (docs/draft.md).',
      body: parseDraftRequest,
      responses: { 200: { description: 'The SMS, validated.', schema: draftResponseSchema(SMS_DRAFT_SCHEMA) } },
      errors: DRAFT_ERRORS,
    },
  }
}
