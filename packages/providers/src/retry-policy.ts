/**
 * How long to wait before retrying a provider call. Pure functions of their inputs (the clock
 * and the random source are passed in) so tests can assert exact waits without sleeping.
 */

/** First backoff step when the server gives no Retry-After; doubles per retry. */
export const RETRY_BASE_MS = 250

/**
 * Longest single wait, whatever the server asks for. A caller is usually an HTTP request of
 * our own; holding it for minutes would outlive most client timeouts, so past this we wait the
 * cap and let the retry budget decide.
 */
export const MAX_RETRY_WAIT_MS = 30_000

// RFC 9110 §10.2.3: Retry-After is delay-seconds (digits only) or an HTTP-date.
const DELAY_SECONDS = /^\s*(\d+)\s*$/
// An HTTP-date always names a day or month; requiring a letter keeps Date.parse from reading
// things like "1.5" as a calendar date (V8 and JavaScriptCore disagree on such strings).
const HAS_LETTER = /[A-Za-z]/

/** A Retry-After header value as milliseconds from `nowMs` (≥ 0, uncapped), or undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined
  const seconds = DELAY_SECONDS.exec(value)
  if (seconds !== null) return Number(seconds[1]) * 1000
  if (!HAS_LETTER.test(value)) return undefined
  const at = Date.parse(value)
  if (!Number.isFinite(at)) return undefined
  return Math.max(0, at - nowMs)
}

/**
 * Exponential backoff for retry number `retry` (0 for the first retry): RETRY_BASE_MS × 2^retry,
 * scaled into [50 %, 100 %] by `random()` ∈ [0, 1) so clients that failed together do not
 * retry together; capped at MAX_RETRY_WAIT_MS.
 */
export function backoffMs(retry: number, random: () => number): number {
  const ceiling = RETRY_BASE_MS * 2 ** retry
  return Math.min(MAX_RETRY_WAIT_MS, Math.round(ceiling * (0.5 + random() / 2)))
}

/** The wait before retry number `retry`: the server's Retry-After when it sent a readable one, else backoff; always capped. */
export function retryWaitMs(retry: number, retryAfter: string | undefined, nowMs: number, random: () => number): number {
  const asked = parseRetryAfterMs(retryAfter, nowMs)
  return asked === undefined ? backoffMs(retry, random) : Math.min(MAX_RETRY_WAIT_MS, asked)
}
