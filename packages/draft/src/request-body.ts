import { type BodyCheck, type BodySchema, compileBodySchema } from '@lakehouse/kit'
import { type DraftConfig, draftDefaults } from './config.ts'
import type { ChatRequest, DraftRequest } from './types.ts'

/**
 * The schemas of draft's two request bodies. A body that does not fit answers 400
 * HTTP_INVALID_REQUEST (kit) listing every problem in the shared reason tokens; the model route
 * and the worker lookup run after it (DRAFT_UNKNOWN_MODEL, DRAFT_WORKER_NOT_FOUND).
 */

const ID_MAX = 256
const MODEL_MAX = 200
const TEXT_MAX = 200
const START_MAX = 100
const PAY_MAX = 100
/** A number pay rate is dollars per hour; a million is a typo, not a wage. */
const PAY_NUMBER_MAX = 1_000_000

/** A string that must say something: not empty (`empty`), not only whitespace (`pattern`). */
function filled(maxLength: number, description: string): BodySchema {
  return { type: 'string', minLength: 1, maxLength, pattern: '\\S', description }
}

function text(maxLength: number, description: string): BodySchema {
  return { type: 'string', maxLength, description }
}

const MODEL = (description: string) => filled(MODEL_MAX, `\`local/<name>\`, \`ollama/<model>\` or \`openai/<model>\`. ${description}`)

/** `POST /v1/chat`: the message count and `max_tokens` ceilings are configuration. */
export function chatRequestSchema(config: Pick<DraftConfig, 'maxMessages' | 'maxTokensLimit'>): BodySchema {
  return {
    type: 'object',
    required: ['model', 'messages'],
    additionalProperties: false,
    properties: {
      model: MODEL('The model that answers.'),
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: config.maxMessages,
        description: `The conversation, oldest first; 1..${config.maxMessages} messages.`,
        items: {
          type: 'object',
          required: ['role', 'content'],
          additionalProperties: false,
          properties: {
            role: { enum: ['system', 'user', 'assistant'], description: 'Who said it.' },
            content: { type: 'string', description: 'What was said.' },
          },
        },
      },
      temperature: {
        type: 'number',
        minimum: 0,
        maximum: 2,
        description: 'Sampling temperature for providers; the built-in models ignore it.',
      },
      max_tokens: {
        type: 'integer',
        minimum: 1,
        maximum: config.maxTokensLimit,
        description: `Most tokens a provider may answer with, 1..${config.maxTokensLimit}; the built-in models ignore it.`,
      },
    },
  }
}

/** The chat schema with the default configuration, for the docs and the OpenAPI document. */
export const CHAT_REQUEST_SCHEMA: BodySchema = chatRequestSchema(draftDefaults)

/** `POST /v1/draft/email` and `POST /v1/draft/sms`: the same body. */
export const DRAFT_REQUEST_SCHEMA: BodySchema = {
  type: 'object',
  required: ['worker_id', 'job'],
  additionalProperties: false,
  properties: {
    worker_id: filled(ID_MAX, 'The worker to write to, as in the workers dataset.'),
    job: {
      type: 'object',
      required: ['title', 'site', 'start'],
      additionalProperties: false,
      description: 'The job the draft advertises; text members are single-lined before use.',
      properties: {
        title: filled(TEXT_MAX, 'Job title.'),
        site: filled(TEXT_MAX, 'Where the work is.'),
        city: text(TEXT_MAX, 'City of the site.'),
        start: filled(START_MAX, '`YYYY-MM-DD` (shown as a weekday and date) or free text used as written.'),
        shift: text(TEXT_MAX, 'Shift, as free text.'),
        pay_rate: {
          type: ['string', 'number'],
          maxLength: PAY_MAX,
          minimum: 0,
          maximum: PAY_NUMBER_MAX,
          description: 'Free text ("$21/hr") or dollars per hour (21 → "$21/hr").',
        },
        contact_name: text(TEXT_MAX, 'Who to contact.'),
        contact_phone: text(TEXT_MAX, 'Their phone number.'),
      },
    },
    model: MODEL('Defaults to `defaultModel` (`local/template`).'),
  },
}

/** Compiled when the drafter is created, because the chat limits are configuration. */
export function chatRequestParser(config: Readonly<DraftConfig>): BodyCheck<ChatRequest> {
  return compileBodySchema<ChatRequest>(chatRequestSchema(config))
}

export const parseDraftRequest: BodyCheck<DraftRequest> = compileBodySchema<DraftRequest>(DRAFT_REQUEST_SCHEMA)
