import { isDeepStrictEqual } from 'node:util'
import { fillJson, fillString, readJsonPath, type Vars } from '@lakehouse/parity'
import type { BodyAssertion, FailureCause, LoadStep } from '../model.ts'

/** What a step's response looked like, as far as assertions and captures need it. */
export interface StepResponse {
  readonly status: number
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export type StepVerdict =
  | { readonly ok: true; readonly captured: ReadonlyMap<string, unknown> }
  | { readonly ok: false; readonly cause: Extract<FailureCause, 'status' | 'assertion'>; readonly message: string }

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (typeof v === 'string' || Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.keys(v).length === 0
  return false
}

function key(v: unknown): string {
  return JSON.stringify(v) ?? 'undefined'
}

function holds(a: BodyAssertion, actual: unknown, expected: unknown): boolean {
  switch (a.op) {
    case 'exists':
      return actual !== undefined
    case 'not_empty':
      return !isEmpty(actual)
    case 'equals':
      return isDeepStrictEqual(actual, expected)
    case 'not_equals':
      return !isDeepStrictEqual(actual, expected)
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected
    case 'gte':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected
    case 'lte':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected
    case 'disjoint': {
      if (!Array.isArray(actual) || !Array.isArray(expected)) return false
      const seen = new Set(expected.map(key))
      return !actual.some((x) => seen.has(key(x)))
    }
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected)
      return Array.isArray(actual) && actual.some((x) => isDeepStrictEqual(x, expected))
    case 'matches':
      return typeof actual === 'string' && new RegExp(a.value).test(actual)
  }
}

function short(v: unknown): string {
  const s = key(v)
  return s.length > 120 ? `${s.slice(0, 117)}…` : s
}

/**
 * Judges one response: status first, then headers, then captures (a capture that finds nothing
 * fails the step — later steps would send garbage), then body assertions. A body that does
 * not parse as JSON fails any step that needs it. Never throws.
 */
export function judgeStep(step: LoadStep, res: StepResponse, vars: Vars): StepVerdict {
  const wanted = step.expect.status ?? (step.expectStatus === undefined ? undefined : [step.expectStatus])
  const statusOk = wanted === undefined ? res.status >= 200 && res.status < 300 : wanted.includes(res.status)
  if (!statusOk) return { ok: false, cause: 'status', message: `status ${res.status}, expected ${wanted?.join(' or ') ?? '2xx'}` }
  for (const [name, value] of Object.entries(step.expect.headers ?? {})) {
    const got = res.headers[name]
    if (got !== value) return { ok: false, cause: 'assertion', message: `header ${name}: ${short(got)}, expected ${short(value)}` }
  }
  const needsBody = (step.expect.body?.length ?? 0) > 0 || Object.values(step.capture ?? {}).some((c) => c.from === 'body')
  let parsed: unknown
  if (needsBody) {
    try {
      parsed = JSON.parse(res.body)
    } catch {
      return { ok: false, cause: 'assertion', message: `body is not JSON: ${short(res.body.slice(0, 80))}` }
    }
  }
  const captured = new Map<string, unknown>()
  for (const [name, c] of Object.entries(step.capture ?? {})) {
    const v =
      c.from === 'status'
        ? res.status
        : c.from === 'header'
          ? res.headers[(c.path ?? '').toLowerCase()]
          : readJsonPath(parsed, c.path ?? '$')
    if (v === undefined) return { ok: false, cause: 'assertion', message: `capture ${name}: nothing at ${c.from} ${c.path ?? ''}` }
    captured.set(name, v)
  }
  const scope: Vars = captured.size === 0 ? vars : new Map([...vars, ...captured])
  for (const a of step.expect.body ?? []) {
    let expected: unknown
    let path: string
    try {
      expected = 'value' in a ? fillJson(a.value, scope) : undefined
      path = fillString(a.path, scope)
    } catch (e) {
      return { ok: false, cause: 'assertion', message: `${a.path} ${a.op}: ${(e as Error).message}` }
    }
    const actual = readJsonPath(parsed, path)
    if (!holds(a, actual, expected))
      return {
        ok: false,
        cause: 'assertion',
        message: `${path} ${a.op}${'value' in a ? ` ${short(expected)}` : ''} failed: got ${short(actual)}`,
      }
  }
  return { ok: true, captured }
}
