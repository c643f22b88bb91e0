import { type BodyForms, type BodySchema, compileBodyForms, encodeJson } from '@lakehouse/kit'
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

type WireEvent = { type: string; source?: string | null; data?: unknown }

export type EventsBodyCheck = BodyForms<WireEvent, { events: WireEvent[] }>

/**
 * `POST /v1/observer/events`: one event `{type, source?, data?}` or a batch `{events: [...]}`
 * (an event has no `events` member, a batch nothing else); its `.schema` is the published `oneOf`.
 */
export function eventsBodyCheck(maxBatchEvents: number): EventsBodyCheck {
  return compileBodyForms('events', batchSchema(maxBatchEvents), EVENT_SCHEMA)
}

const checked = (e: WireEvent): CheckedEvent => ({
  type: e.type,
  source: e.source ?? null,
  data: e.data ?? null,
})

/**
 * Checks event bodies with `check` (400 HTTP_INVALID_REQUEST listing every problem); only a body
 * that fits is then measured (413 OBSERVER_EVENT_TOO_LARGE). Built once, when the observer is.
 */
export function createEventsParser(check: EventsBodyCheck, config: Readonly<ObserverConfig>): (value: unknown) => CheckedEvent[] {
  return (value) => {
    const parsed = check(value)
    const batch = parsed.form === 'multiple'
    const events = parsed.form === 'multiple' ? parsed.body.events.map(checked) : [checked(parsed.body)]
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
