import { isProblem, parseDurationMs, quoteCallerText } from '@lakehouse/kit'
import { grantErrors } from './errors.ts'

export const MIN_GRANT_TTL_MS = 1
/** A grant is an escape hatch for one operation, not a standing credential: a week at most. */
export const MAX_GRANT_TTL_MS = 7 * 24 * 60 * 60 * 1000

function invalidTtl(shown: string): never {
  throw grantErrors.problem('GRANT_INVALID_TTL', {
    detail: `ttl ${shown} must be a duration such as 500ms, 10m or 1h, or a whole number of milliseconds, between 1ms and 7d`,
  })
}

/** Whole milliseconds in range, or GRANT_INVALID_TTL (`shown` is how to quote the caller's input). */
export function checkTtlMs(ttlMs: unknown, shown?: string): number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < MIN_GRANT_TTL_MS || ttlMs > MAX_GRANT_TTL_MS) {
    return invalidTtl(shown ?? (typeof ttlMs === 'number' ? String(ttlMs) : typeof ttlMs))
  }
  return ttlMs
}

/** `"10m"`, `"500ms"`, `"7d"` or a number of ms (HTTP body, CLI flag) → milliseconds, or GRANT_INVALID_TTL. */
export function parseGrantTtl(value: unknown): number {
  if (typeof value === 'number') return checkTtlMs(value)
  if (typeof value !== 'string') return invalidTtl(typeof value)
  const shown = quoteCallerText(value)
  let ms: number
  try {
    ms = parseDurationMs('ttl', value)
  } catch (err) {
    // kit reports a bad duration as CONFIG_INVALID (a boot-time 500); here it is the caller's input.
    if (isProblem(err)) return invalidTtl(shown)
    throw err
  }
  return checkTtlMs(ms, shown)
}
