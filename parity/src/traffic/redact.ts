/**
 * What a recorded request must not carry into a committed corpus: credentials in headers and
 * configured secrets in JSON bodies. Redacted values become the literal `REDACTED` — never a
 * `{{placeholder}}`, which parity would refuse as a variable nothing captured. `Authorization`
 * (and `Proxy-Authorization`) are dropped instead: parity sends its own bearer token (`--token`).
 */
import { type PathSegment, parsePath } from '../diff/json-path.ts'

export const REDACTED = 'REDACTED'

/** Always redacted, whatever the options say. */
export const ALWAYS_REDACTED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie']
/** Redacted by dropping the header: the replaying tool supplies its own credentials. */
const DROPPED = new Set(['authorization', 'proxy-authorization'])

export interface RedactionRules {
  /** Lower-case header names redacted besides ALWAYS_REDACTED_HEADERS. */
  readonly headers: ReadonlySet<string>
  /** Parsed JSON paths into request bodies (`$.password`, `$.user.token`, `$.items[*].secret`). */
  readonly jsonPaths: readonly (readonly PathSegment[])[]
}

/** A redaction rule that cannot be applied: named, so the CLI can print it and exit 2. */
export class RedactionRuleError extends Error {
  override readonly name = 'RedactionRuleError'
}

export function redactionRules(headers: readonly string[] = [], jsonPaths: readonly string[] = []): RedactionRules {
  const parsed = jsonPaths.map((p) => {
    const segments = parsePath(p)
    if (segments === undefined || segments.length === 0 || segments.some((s) => s.kind === 'filter'))
      throw new RedactionRuleError(`redaction path ${JSON.stringify(p)} is not a JSON path like $.password or $.user.token`)
    return segments
  })
  return { headers: new Set([...ALWAYS_REDACTED_HEADERS, ...headers.map((h) => h.trim().toLowerCase())]), jsonPaths: parsed }
}

/** Headers with secrets replaced (or dropped); `count` is how many were touched. */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  rules: RedactionRules,
): { headers: Record<string, string>; count: number } {
  const out: Record<string, string> = {}
  let count = 0
  for (const [name, value] of Object.entries(headers)) {
    if (!rules.headers.has(name)) {
      out[name] = value
      continue
    }
    count++
    if (!DROPPED.has(name)) out[name] = REDACTED
  }
  return { headers: out, count }
}

/** Replaces every value the paths reach, in place (the value is a fresh parse); returns how many. */
export function redactJson(value: unknown, rules: RedactionRules): number {
  let count = 0
  const visit = (node: unknown, segments: readonly PathSegment[]): void => {
    const [head, ...rest] = segments
    if (head === undefined || node === null || typeof node !== 'object') return
    const keys: (string | number)[] =
      head.kind === 'wildcard'
        ? Array.isArray(node)
          ? node.map((_, i) => i)
          : Object.keys(node)
        : head.kind === 'index'
          ? Array.isArray(node)
            ? [head.index]
            : []
          : head.kind === 'member' && !Array.isArray(node)
            ? [head.name]
            : []
    const holder = node as Record<string | number, unknown>
    for (const k of keys) {
      if (!Object.hasOwn(holder, k)) continue
      if (rest.length > 0) visit(holder[k], rest)
      else if (holder[k] !== REDACTED) {
        holder[k] = REDACTED
        count++
      }
    }
  }
  for (const p of rules.jsonPaths) visit(value, p)
  return count
}
