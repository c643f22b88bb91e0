import { kitErrors } from './errors.ts'
import { encodeJson } from './json-codec.ts'
import { Problem, problemBody } from './problem.ts'

export const JSON_CONTENT_TYPE = 'application/json'
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/**
 * Headers go in as a plain lower-case record rather than a `Headers`: Node's adapter writes a
 * plain record as it is, while a `Headers` costs it a construction and a sorted iteration per
 * answer (issue 13; docs/DECISIONS.md ADR-030).
 */
export function jsonResponse(body: unknown, status = 200, headers?: Readonly<Record<string, string>>): Response {
  const h: Record<string, string> = {}
  if (headers !== undefined) for (const [name, value] of Object.entries(headers)) h[name.toLowerCase()] = value
  h['content-type'] = JSON_CONTENT_TYPE
  return new Response(encodeJson(body), { status, headers: h })
}

export interface ProblemMeta {
  readonly code: string
  readonly status: number
  /** The original error behind an INTERNAL problem, for the edge to log once. */
  readonly cause: unknown
}

// Responses are immutable in transit, so a WeakMap lets the edge (gateway access log) learn
// the code and the cause of a problem without re-parsing the body or adding a header.
const problemMeta = new WeakMap<Response, ProblemMeta>()

export function problemMetaOf(res: Response): ProblemMeta | undefined {
  return problemMeta.get(res)
}

/** Any thrown value → Problem. Unknown errors become INTERNAL with a detail that echoes nothing. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err
  return kitErrors.problem('INTERNAL', { detail: 'an unexpected error occurred; see the server log for this request id', cause: err })
}

export function problemResponse(err: unknown, instance: string): Response {
  const problem = toProblem(err)
  const h = new Headers(problem.headers)
  h.set('content-type', PROBLEM_CONTENT_TYPE)
  const res = new Response(encodeJson(problemBody(problem, instance)), { status: problem.status, headers: h })
  problemMeta.set(res, { code: problem.code, status: problem.status, cause: problem.cause })
  return res
}
