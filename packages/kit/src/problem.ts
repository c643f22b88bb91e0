/**
 * The one error type of Lakehouse: an RFC 9457 problem with a stable code.
 * Callers match on `code`, never on `detail` (details are for humans and may change).
 */

export interface ProblemEntry {
  /** Category of the failure: schema, format, length, policy, reference, duplicate, consistency. */
  readonly kind: string
  /** JSONPath of the offending value relative to the request payload, e.g. `$.to`. */
  readonly field: string
  /** Stable snake_case token, safe to match on. */
  readonly reason: string
  /** Human-readable explanation. */
  readonly message: string
}

export interface ProblemInit {
  readonly detail?: string
  readonly errors?: readonly ProblemEntry[]
  /** Extension members added to the problem body (RFC 9457 §3.2). */
  readonly extensions?: Readonly<Record<string, unknown>>
  /** Extra response headers, e.g. `Allow` on 405 or `Retry-After` on 503. */
  readonly headers?: Readonly<Record<string, string>>
  readonly cause?: unknown
}

export interface ErrorSpec {
  readonly status: number
  readonly title: string
}

export class Problem extends Error {
  override readonly name = 'Problem'
  readonly code: string
  readonly status: number
  readonly title: string
  readonly detail: string
  readonly errors: readonly ProblemEntry[] | undefined
  readonly extensions: Readonly<Record<string, unknown>> | undefined
  readonly headers: Readonly<Record<string, string>> | undefined

  constructor(code: string, spec: ErrorSpec, init: ProblemInit = {}) {
    super(init.detail ?? spec.title, init.cause === undefined ? undefined : { cause: init.cause })
    this.code = code
    this.status = spec.status
    this.title = spec.title
    this.detail = init.detail ?? spec.title
    this.errors = init.errors
    this.extensions = init.extensions
    this.headers = init.headers
  }
}

export const PROBLEM_TYPE_PREFIX = 'urn:lakehouse:problem:'

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  code: string
  errors?: ProblemEntry[]
  [extension: string]: unknown
}

export function problemBody(problem: Problem, instance: string): ProblemBody {
  const body: ProblemBody = {
    type: PROBLEM_TYPE_PREFIX + problem.code,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
  }
  if (problem.errors !== undefined) body.errors = problem.errors.map((e) => ({ ...e }))
  if (problem.extensions !== undefined) {
    for (const [k, v] of Object.entries(problem.extensions)) {
      if (!(k in body)) body[k] = v
    }
  }
  return body
}

export function isProblem(value: unknown): value is Problem {
  return value instanceof Problem
}
