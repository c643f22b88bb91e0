import { type BodySchema, compileBodySchema, encodeJson } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { observerErrors } from './errors.ts'

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/
const MAX_SOURCE_CHARS = 256

/** An event as it will be journaled, minus the server's `at`. */
export interface CheckedEvent {
  readonly type: string
  readonly source: string | null
  readonly data: unknown
}

const EVENT_MEMBERS = {
  type: { type: 'string', pattern: EVENT_TYPE_PATTERN.source, description: 'What happened, e.g. ingest.completed.' },
  source: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: MAX_SOURCE_CHARS,
    description: 'Who reports it (default null).',
  },
  data: { description: 'Any JSON value (default null); the serialised event is at most maxEventBytes.' },
} as const

const EVENT_SCHEMA = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: EVENT_MEMBERS,
} as const

/** The batch form; its bound is configuration, so it is built when the observer is created. */
function batchSchema(maxBatchEvents: number): BodySchema {
  return {
    type: 'object',
    required: ['events'],
    additionalProperties: false,
    properties: {
      events: {
        type: 'array',
        minItems: 1,
        maxItems: maxBatchEvents,
        items: EVENT_SCHEMA,
        description: `A batch of 1..${maxBatchEvents} events, recorded together or not at all.`,
      },
    },
  }
}

/**
 * `POST /v1/observer/events`: one event `{type, source?, data?}` or a batch `{events: [...]}`.
 * The two forms exclude each other (an event has no `events` member, a batch has nothing
 * else), so a body is checked against the one form its members pick, which gives the same
 * verdict as this `oneOf` and names the member at fault instead of "matches no form".
 */
export function eventsRequestSchema(maxBatchEvents: number): BodySchema {
  return { oneOf: [EVENT_SCHEMA, batchSchema(maxBatchEvents)] }
}

interface EventsBody {
  readonly type?: string
  readonly source?: string | null
  readonly data?: unknown
  readonly events?: { type: string; source?: string | null; data?: unknown }[]
}

const checked = (e: { type: string; source?: string | null; data?: unknown }): CheckedEvent => ({
  type: e.type,
  source: e.source ?? null,
  data: e.data ?? null,
})

/**
 * Checks event bodies against the schema (400 HTTP_INVALID_REQUEST listing every problem); only
 * a body that fits is then measured (413 OBSERVER_EVENT_TOO_LARGE). Built once, when the observer is.
 */
export function createEventsParser(config: Readonly<ObserverConfig>): (value: unknown) => CheckedEvent[] {
  const checkEvent = compileBodySchema<EventsBody>(EVENT_SCHEMA)
  const checkBatch = compileBodySchema<EventsBody>(batchSchema(config.maxBatchEvents))
  return (value) => {
    const batch = typeof value === 'object' && value !== null && Object.hasOwn(value, 'events')
    const body = batch ? checkBatch(value) : checkEvent(value)
    const events = batch ? (body.events ?? []).map(checked) : [checked(body as { type: string })]
    events.forEach((e, i) => {
      const bytes = Buffer.byteLength(encodeJson(e))
      if (bytes <= config.maxEventBytes) return
      throw observerErrors.problem('OBSERVER_EVENT_TOO_LARGE', {
        detail: `${batch ? `$.events[${i}]` : 'the event'} is ${bytes} bytes serialised; the limit is ${config.maxEventBytes}`,
        extensions: { limit_bytes: config.maxEventBytes, ...(batch ? { index: i } : {}) },
      })
    })
    return events
  }
}
