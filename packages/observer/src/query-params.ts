import { entry, invalidRequest } from './entries.ts'
import type { EventsQuery } from './types.ts'

/**
 * Cursor and paging parameters of the GET endpoints (and of the matching service methods).
 * A bad one is kit's 400 HTTP_INVALID_REQUEST naming the parameter.
 */

const DIGITS = /^\d{1,16}$/

function bad(name: string, reason: string, message: string): never {
  throw invalidRequest([entry('schema', name, reason, message)])
}

const shown = (raw: unknown) => (typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : String(raw))

export function checkSeq(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  return bad(name, 'type', `${name} must be a non-negative integer seq, got ${shown(value)}`)
}

export function checkLimit(value: unknown, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max) return value
  return bad('limit', 'out_of_range', `limit must be an integer in 1..${max}, got ${shown(value)}`)
}

export function checkPattern(name: string, value: unknown, pattern: RegExp): string {
  if (typeof value === 'string' && pattern.test(value)) return value
  return bad(name, 'pattern', `${name} must match ${pattern.source}, got ${shown(value)}`)
}

/** Query-string value → number, keeping the raw text (for the error) when it is not digits. */
function numberParam(params: URLSearchParams, name: string): number | string | undefined {
  const raw = params.get(name)
  if (raw === null) return undefined
  return DIGITS.test(raw) ? Number(raw) : raw
}

/** `?since=&limit=&type=` checked; absent members stay absent so the service applies its defaults. */
export function eventsQueryParams(params: URLSearchParams, maxLimit: number, typePattern: RegExp): EventsQuery {
  const since = numberParam(params, 'since')
  const limit = numberParam(params, 'limit')
  const type = params.get('type')
  return {
    ...(since === undefined ? {} : { since: checkSeq('since', since) }),
    ...(limit === undefined ? {} : { limit: checkLimit(limit, maxLimit) }),
    ...(type === null ? {} : { type: checkPattern('type', type, typePattern) }),
  }
}

export function limitParam(params: URLSearchParams, maxLimit: number): number | undefined {
  const limit = numberParam(params, 'limit')
  return limit === undefined ? undefined : checkLimit(limit, maxLimit)
}
