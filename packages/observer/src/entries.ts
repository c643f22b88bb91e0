import { kitErrors, type Problem, type ProblemEntry } from '@lakehouse/kit'

/** Small helpers shared by the input checkers: problem entries and JSONPath-style field names. */

export function entry(kind: string, field: string, reason: string, message: string): ProblemEntry {
  return { kind, field, reason, message }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function summary(errors: readonly ProblemEntry[]): string {
  const [first] = errors
  return `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}${first === undefined ? '' : `; first: ${first.message}`}`
}

/** Kit's shared 400 for a request of the wrong shape. */
export function invalidRequest(errors: readonly ProblemEntry[]): Problem {
  return kitErrors.problem('HTTP_INVALID_REQUEST', { detail: summary(errors), errors })
}
