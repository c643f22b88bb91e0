/**
 * Text forms of parsed JSON values: the canonical form that decides element equality for
 * `order` and `unordered`, and the capped, JSON-safe display form carried by findings.
 * LosslessNumber is a class instance; JSON.stringify would print `{"value":"1.0",…}` for it
 * (and json-diff-ts descends into its `.value`), so both writers handle it themselves.
 */
import { isLosslessNumber } from 'lossless-json'
import { numberType } from './json-type.ts'

/** Upper bound on the JSON text of one displayed value (report.json stays readable). */
export const DISPLAY_LIMIT = 2048
const BRIEF_LIMIT = 60

function scalarJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return 'null'
}

/**
 * Canonical JSON: keys sorted, number literals verbatim (`1.0` ≠ `1`). Memoised per
 * comparison because nested arrays are canonicalised once per enclosing array check;
 * parsed bodies are never mutated, so identity is a safe key.
 */
export function createCanonicalizer(): (value: unknown) => string {
  const memo = new WeakMap<object, string>()
  const canon = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return scalarJson(value)
    if (isLosslessNumber(value)) return value.value
    const hit = memo.get(value)
    if (hit !== undefined) return hit
    let text: string
    if (Array.isArray(value)) {
      text = `[${value.map(canon).join(',')}]`
    } else {
      const record = value as Record<string, unknown>
      const members = Object.keys(record)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canon(record[k])}`)
      text = `{${members.join(',')}}`
    }
    memo.set(value, text)
    return text
  }
  return canon
}

/** JSON text in document order, abandoned as soon as it exceeds `limit` so multi-MB values cost nothing. */
function limitedJson(value: unknown, limit: number): { readonly text: string; readonly complete: boolean } {
  const parts: string[] = []
  let length = 0
  const push = (s: string): boolean => {
    parts.push(s)
    length += s.length
    return length <= limit
  }
  const write = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return push(scalarJson(v))
    if (isLosslessNumber(v)) return push(v.value)
    if (Array.isArray(v)) {
      if (!push('[')) return false
      for (let i = 0; i < v.length; i++) if ((i > 0 && !push(',')) || !write(v[i])) return false
      return push(']')
    }
    if (!push('{')) return false
    const record = v as Record<string, unknown>
    let first = true
    for (const k of Object.keys(record)) {
      if ((!first && !push(',')) || !push(`${JSON.stringify(k)}:`) || !write(record[k])) return false
      first = false
    }
    return push('}')
  }
  const complete = write(value)
  const text = parts.join('')
  return { text: complete ? text : text.slice(0, limit), complete }
}

/**
 * A number as a JS number when that prints back to the same literal, else its text (`1.0`).
 * Integers beyond 2^53−1 are always text, even 2^53 itself, so both sides of a bigint
 * finding look alike and no reader of report.json rounds them.
 */
function plainNumber(text: string): number | string {
  if (numberType(text) === 'bigint') return text
  const n = Number(text)
  return String(n) === text ? n : text
}

function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? plainNumber(String(value)) : value
  if (isLosslessNumber(value)) return plainNumber(value.value)
  if (Array.isArray(value)) return value.map(toPlain)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]))
}

function sizeNote(value: unknown): string {
  if (Array.isArray(value)) return `array of ${value.length} elements`
  if (typeof value === 'string') return `${value.length} characters`
  return `object with ${Object.keys(value as object).length} members`
}

/**
 * What a finding shows for one side: the value itself, JSON-safe, when its JSON text fits in
 * DISPLAY_LIMIT; otherwise a string holding the first DISPLAY_LIMIT characters and its size.
 */
export function displayValue(value: unknown): unknown {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || isLosslessNumber(value)) {
    if (typeof value !== 'string') return toPlain(value)
    return value.length <= DISPLAY_LIMIT ? value : `${value.slice(0, DISPLAY_LIMIT)}… (${sizeNote(value)})`
  }
  const { text, complete } = limitedJson(value, DISPLAY_LIMIT)
  return complete ? toPlain(value) : `${text}… (${sizeNote(value)})`
}

/** A few characters for a one-line message: `1.0`, `"abc"`, `object`, `array(3)`. */
export function briefValue(value: unknown): string {
  if (isLosslessNumber(value)) return value.value.length > BRIEF_LIMIT ? `${value.value.slice(0, BRIEF_LIMIT - 1)}…` : value.value
  if (Array.isArray(value)) return `array(${value.length})`
  if (value !== null && typeof value === 'object') return 'object'
  const text = scalarJson(value)
  return text.length > BRIEF_LIMIT ? `${text.slice(0, BRIEF_LIMIT - 1)}…` : text
}
