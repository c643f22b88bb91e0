/**
 * The type skeleton's alphabet, read off values parsed by lossless-json. Numbers keep their
 * literal text (LosslessNumber), so `1` (integer) and `1.0` (float) differ, and integers
 * beyond 2^53−1 are told apart as `bigint` — what a JS caller would silently round.
 */
import { compareNumber, isLosslessNumber } from 'lossless-json'

export type JsonType = 'object' | 'array' | 'string' | 'boolean' | 'null' | 'integer' | 'bigint' | 'float'
export type NumberType = 'integer' | 'bigint' | 'float'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

export function numberType(text: string): NumberType {
  if (/[.eE]/.test(text)) return 'float'
  // Up to 15 digits always fits in ±(2^53−1) (16 digits); skip the BigInt for those.
  const digits = text.length - (text.startsWith('-') ? 1 : 0)
  if (digits <= 15) return 'integer'
  const n = BigInt(text)
  return n > MAX_SAFE || n < -MAX_SAFE ? 'bigint' : 'integer'
}

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return 'string'
    case 'boolean':
      return 'boolean'
    case 'number':
      // Only reachable for values not produced by parseBody (plain JSON.parse input).
      return Number.isInteger(value) ? 'integer' : 'float'
    case 'bigint':
      return value > MAX_SAFE || value < -MAX_SAFE ? 'bigint' : 'integer'
  }
  if (Array.isArray(value)) return 'array'
  if (isLosslessNumber(value)) return numberType(value.value)
  return 'object'
}

/** The literal text of a number value (LosslessNumber, number or bigint); undefined otherwise. */
export function numberText(value: unknown): string | undefined {
  if (isLosslessNumber(value)) return value.value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return undefined
}

/**
 * Numeric equality for two numbers of the same class: integers and bigints exactly (BigInt),
 * floats as a JS caller sees them (Number), both within an absolute `tolerance`.
 */
export function numbersEqual(type: NumberType, a: string, b: string, tolerance: number): boolean {
  if (a === b) return true
  if (type !== 'float') {
    const d = BigInt(a) - BigInt(b)
    const abs = d < 0n ? -d : d
    return abs === 0n || (tolerance > 0 && Number(abs) <= tolerance)
  }
  const x = Number(a)
  const y = Number(b)
  // Beyond ±1.8e308 both are Infinity; fall back to comparing the literals exactly.
  if (!Number.isFinite(x) || !Number.isFinite(y)) return compareNumber(a, b) === 0
  // The slack keeps the bound inclusive despite binary rounding: 1.1 − 1.0 is 0.10000000000000009.
  return x === y || (tolerance > 0 && Math.abs(x - y) <= tolerance * (1 + 1e-9))
}
