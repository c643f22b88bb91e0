/**
 * Freezes a JSON value in place. Stored events and runs are frozen once, so reads can hand out
 * the stored object itself instead of a copy per request.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
