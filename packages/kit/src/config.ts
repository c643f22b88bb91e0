import { configErrors } from './errors.ts'

/**
 * Config helpers. Each component exports `defaults` and `resolveConfig(input)`; these helpers
 * keep that a few lines: spread defaults, check each key, freeze. Errors are coded
 * (CONFIG_INVALID) and raised at boot, never per request.
 */

export type Check<T> = (value: T) => string | undefined

export function configError(key: string, message: string): never {
  throw configErrors.problem('CONFIG_INVALID', { detail: `${key}: ${message}`, extensions: { key } })
}

export function resolveWith<T extends object>(
  defaults: T,
  input: Partial<T> | undefined,
  checks: { [K in keyof T]?: Check<T[K]> },
  prefix = '',
): Readonly<T> {
  const merged = { ...defaults } as T
  for (const [k, v] of Object.entries(input ?? {})) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v
  }
  for (const key of Object.keys(checks) as (keyof T)[]) {
    const check = checks[key]
    const problem = check?.(merged[key])
    if (problem !== undefined) configError(prefix + String(key), problem)
  }
  return Object.freeze(merged)
}

export const intBetween =
  (min: number, max: number): Check<number> =>
  (v) =>
    Number.isInteger(v) && v >= min && v <= max ? undefined : `must be an integer in ${min}..${max}, got ${String(v)}`

export const oneOf =
  <T extends string>(...values: readonly T[]): Check<T> =>
  (v) =>
    values.includes(v) ? undefined : `must be one of ${values.join(', ')}, got ${String(v)}`

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
}

/** "256MiB", "1mb", "4096" → bytes. */
export function parseBytes(key: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = BYTE_UNITS[(m?.[2] ?? '').toLowerCase()]
  if (m === null || unit === undefined)
    return configError(key, `expected a size such as 1048576, 64KiB or 256MiB, got ${JSON.stringify(text)}`)
  const n = Math.floor(Number(m[1]) * unit)
  if (!Number.isSafeInteger(n)) return configError(key, `size ${text} is too large`)
  return n
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** "500ms", "10s", "2m", "1h", "7d" → milliseconds. A bare number is milliseconds. */
export function parseDurationMs(key: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (m === null) return configError(key, `expected a duration such as 500ms, 10s, 2m or 1h, got ${JSON.stringify(text)}`)
  return Math.round(Number(m[1]) * (DURATION_UNITS[m[2] ?? 'ms'] ?? 1))
}

export function parseInteger(key: string, text: string, min: number, max: number): number {
  if (!/^\s*-?\d+\s*$/.test(text)) return configError(key, `expected an integer, got ${JSON.stringify(text)}`)
  const n = Number(text)
  const problem = intBetween(min, max)(n)
  return problem === undefined ? n : configError(key, problem)
}

/** A copy safe to log: values under secret-looking keys become "[redacted]". */
export function redact<T extends object>(config: T, secretKeys: readonly string[] = ['token', 'tokens', 'secret', 'key', 'password']): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (value === null || typeof value !== 'object') return value
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const lower = k.toLowerCase()
      // Suffix match catches authToken, api_key and grantSecret; a false positive only hides a value.
      const secret = secretKeys.some((s) => lower.endsWith(s))
      out[k] = secret && v !== undefined && v !== null && v !== '' ? '[redacted]' : walk(v)
    }
    return out
  }
  return walk(config) as T
}
