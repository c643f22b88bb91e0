import type { ProblemEntry } from '@lakehouse/kit'

/** Small checks shared by the search and record parsers; each appends entries instead of throwing, so a reply lists every problem. */

export type Entries = ProblemEntry[]

export function entry(kind: string, field: string, reason: string, message: string): ProblemEntry {
  return { kind, field, reason, message }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function unknownMembers(obj: Record<string, unknown>, allowed: ReadonlySet<string>, at: string, out: Entries): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) {
      out.push(
        entry('schema', `${at}.${k}`, 'additional_property', `${at}.${k} is not a known member (expected ${[...allowed].join(', ')})`),
      )
    }
  }
}

/** A string of 1..max characters, or undefined after recording why not. */
export function boundedString(value: unknown, field: string, max: number, out: Entries): string | undefined {
  if (typeof value !== 'string') out.push(entry('schema', field, 'type', `${field} must be a string`))
  else if (value.length === 0) out.push(entry('length', field, 'empty', `${field} must not be empty`))
  else if (value.length > max) out.push(entry('length', field, 'too_long', `${field} must be at most ${max} characters`))
  else return value
  return undefined
}

/**
 * An array of 0/1..max strings of 1..maxChars characters each. Duplicates are dropped, first
 * occurrence kept: a repeated id changes nothing about a search or a record.
 */
export function stringList(
  value: unknown,
  field: string,
  limits: { readonly min: number; readonly max: number; readonly maxChars: number },
  out: Entries,
): string[] | undefined {
  if (!Array.isArray(value)) {
    out.push(entry('schema', field, 'type', `${field} must be an array of strings`))
    return undefined
  }
  if (value.length < limits.min) {
    out.push(entry('length', field, 'too_short', `${field} must hold at least ${limits.min} item${limits.min === 1 ? '' : 's'}`))
    return undefined
  }
  if (value.length > limits.max) {
    out.push(entry('length', field, 'too_long', `${field} holds ${value.length} items; the limit is ${limits.max}`))
    return undefined
  }
  const before = out.length
  const seen = new Set<string>()
  for (const [i, item] of value.entries()) {
    const text = boundedString(item, `${field}[${i}]`, limits.maxChars, out)
    if (text !== undefined) seen.add(text)
  }
  return out.length === before ? [...seen] : undefined
}

/** Problem detail: how many entries and the first one's message. */
export function summary(shape: string, errors: readonly ProblemEntry[]): string {
  const [first] = errors
  return `the body must be ${shape}; ${first?.message ?? 'it is not'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
}
