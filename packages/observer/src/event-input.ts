import { encodeJson, type ProblemEntry, quoteCallerText } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { entry, extras, invalidRequest, isObject } from './entries.ts'
import { observerErrors } from './errors.ts'

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/
const MAX_SOURCE_CHARS = 256
const EVENT_MEMBERS = ['type', 'source', 'data'] as const

/** An event as it will be journaled, minus the server's `at`. */
export interface CheckedEvent {
  readonly type: string
  readonly source: string | null
  readonly data: unknown
}

function checkEvent(value: unknown, at: string, out: ProblemEntry[]): CheckedEvent | undefined {
  if (!isObject(value)) {
    out.push(entry('schema', at, 'type', `${at} must be an object {type, source?, data?}`))
    return undefined
  }
  const before = out.length
  const { type, source = null, data = null } = value
  if (type === undefined) out.push(entry('schema', `${at}.type`, 'required', `${at}.type is required`))
  else if (typeof type !== 'string') out.push(entry('schema', `${at}.type`, 'type', `${at}.type must be a string`))
  else if (!EVENT_TYPE_PATTERN.test(type)) {
    out.push(entry('format', `${at}.type`, 'pattern', `${at}.type ${quoteCallerText(type)} must match ${EVENT_TYPE_PATTERN.source}`))
  }
  if (source !== null) {
    if (typeof source !== 'string') out.push(entry('schema', `${at}.source`, 'type', `${at}.source must be a string or null`))
    else if (source === '' || source.length > MAX_SOURCE_CHARS) {
      out.push(entry('length', `${at}.source`, 'length', `${at}.source must be 1..${MAX_SOURCE_CHARS} characters`))
    }
  }
  extras(value, EVENT_MEMBERS, at, out)
  return out.length === before ? { type: type as string, source: source as string | null, data } : undefined
}

/**
 * `{type, source?, data?}` or `{events: [...]}` → checked events. Every shape problem is
 * collected (400 HTTP_INVALID_REQUEST); only a shape-valid request is then measured (413).
 */
export function parseEventsBody(value: unknown, config: Readonly<ObserverConfig>): CheckedEvent[] {
  const out: ProblemEntry[] = []
  let events: (CheckedEvent | undefined)[] = []
  const batch = isObject(value) && 'events' in value
  if (isObject(value) && batch) {
    const list = value.events
    if (!Array.isArray(list)) out.push(entry('schema', '$.events', 'type', '$.events must be an array of events'))
    else if (list.length === 0) out.push(entry('length', '$.events', 'min_items', '$.events must hold at least one event'))
    else if (list.length > config.maxBatchEvents) {
      out.push(entry('length', '$.events', 'max_items', `$.events holds ${list.length} events; the limit is ${config.maxBatchEvents}`))
    } else events = list.map((e, i) => checkEvent(e, `$.events[${i}]`, out))
    extras(value, ['events'], '$', out)
  } else {
    events = [checkEvent(value, '$', out)]
  }
  if (out.length > 0) throw invalidRequest(out)
  const checked = events as CheckedEvent[]
  checked.forEach((e, i) => {
    const bytes = Buffer.byteLength(encodeJson(e))
    if (bytes <= config.maxEventBytes) return
    throw observerErrors.problem('OBSERVER_EVENT_TOO_LARGE', {
      detail: `${batch ? `$.events[${i}]` : 'the event'} is ${bytes} bytes serialised; the limit is ${config.maxEventBytes}`,
      extensions: { limit_bytes: config.maxEventBytes, ...(batch ? { index: i } : {}) },
    })
  })
  return checked
}
