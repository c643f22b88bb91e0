import type { Seen } from './http-client.ts'

/**
 * The properties every answer pair must have, as one function so the HTTP and raw-socket
 * suites judge alike: an answer arrives, never a 5xx, every error is problem+json with a code
 * docs/errors.md documents (at the status it documents), Node and Bun agree on status and code,
 * and the caller's request id comes back.
 */
export type Property =
  | 'answer'
  | 'no-5xx'
  | 'problem-json'
  | 'documented-code'
  | 'same-status'
  | 'same-code'
  | 'request-id'
  | 'no-5xx-logged'
  | 'keep-alive'

export interface Violation {
  readonly property: Property
  readonly detail: string
}

export interface JudgeOptions {
  readonly codes: ReadonlyMap<string, number>
  readonly method: string
  /** The id the request carried; absent when it carried none or a malformed one. */
  readonly requestId?: string
  /** False when the client itself broke the exchange (aborted body): no answer is owed. */
  readonly answerOwed?: boolean
}

export interface ProblemSummary {
  readonly code: string | undefined
  readonly problems: readonly string[]
}

/** Checks one error answer's body against RFC 9457 and the documented codes. */
export function checkProblem(seen: Seen, opts: JudgeOptions): ProblemSummary {
  const problems: string[] = []
  const mime = seen.contentType?.split(';')[0]?.trim().toLowerCase()
  if (mime !== 'application/problem+json') problems.push(`content-type ${seen.contentType ?? '(none)'}`)
  // HEAD answers carry the headers of the GET answer and no body.
  if (opts.method === 'HEAD') return { code: undefined, problems }
  let body: Record<string, unknown>
  try {
    body = JSON.parse(seen.body) as Record<string, unknown>
  } catch {
    problems.push(`body is not JSON: ${JSON.stringify(seen.body.slice(0, 60))}`)
    return { code: undefined, problems }
  }
  const code = typeof body.code === 'string' ? body.code : undefined
  if (code === undefined) problems.push('no code member')
  else {
    const documented = opts.codes.get(code)
    if (documented === undefined) problems.push(`code ${code} is not in docs/errors.md`)
    else if (documented !== seen.status) problems.push(`code ${code} is documented as ${documented}, answered ${seen.status}`)
    if (body.type !== `urn:lakehouse:problem:${code}`) problems.push(`type ${String(body.type)}`)
  }
  if (body.status !== seen.status) problems.push(`status member ${String(body.status)} ≠ ${seen.status}`)
  return { code, problems }
}

/** Every property of one answer pair; empty when all hold. */
export function judge(node: Seen, bun: Seen, opts: JudgeOptions): Violation[] {
  const out: Violation[] = []
  const owed = opts.answerOwed ?? true
  const codes: Record<string, string | undefined> = {}
  for (const [runtime, seen] of [
    ['node', node],
    ['bun', bun],
  ] as const) {
    if (seen.outcome !== 'answered') {
      if (owed || seen.outcome === 'hang')
        out.push({ property: 'answer', detail: `${runtime}: ${seen.outcome}${seen.error ? ` (${seen.error})` : ''}` })
      continue
    }
    const status = seen.status ?? 0
    const p = status >= 400 ? checkProblem(seen, opts) : undefined
    // 505 is how RFC 9110 (§15.6.6) refuses an HTTP version: the one 5xx that is the client's doing.
    const versionRefused = status === 505 && p?.code === 'HTTP_VERSION_NOT_SUPPORTED'
    if (status >= 500 && !versionRefused) out.push({ property: 'no-5xx', detail: `${runtime}: ${status}` })
    if (p !== undefined) {
      codes[runtime] = p.code
      const shape = p.problems.filter((x) => !x.includes('docs/errors.md') && !x.includes('documented as'))
      const doc = p.problems.filter((x) => x.includes('docs/errors.md') || x.includes('documented as'))
      if (shape.length > 0) out.push({ property: 'problem-json', detail: `${runtime}: ${shape.join('; ')}` })
      if (doc.length > 0) out.push({ property: 'documented-code', detail: `${runtime}: ${doc.join('; ')}` })
    }
    if (opts.requestId !== undefined && seen.requestId !== opts.requestId) {
      out.push({ property: 'request-id', detail: `${runtime}: X-Request-Id ${seen.requestId ?? '(none)'}` })
    } else if (opts.requestId === undefined && seen.requestId === undefined) {
      out.push({ property: 'request-id', detail: `${runtime}: no X-Request-Id` })
    }
  }
  if (node.outcome === 'answered' && bun.outcome === 'answered') {
    if (node.status !== bun.status) out.push({ property: 'same-status', detail: `node ${node.status}, bun ${bun.status}` })
    else if (codes.node !== codes.bun) out.push({ property: 'same-code', detail: `node ${codes.node}, bun ${codes.bun}` })
  } else if (owed && node.outcome !== bun.outcome) {
    out.push({ property: 'same-status', detail: `node ${node.outcome} ${node.status ?? ''}, bun ${bun.outcome} ${bun.status ?? ''}` })
  }
  return out
}

/** `400 HTTP_MALFORMED_JSON`, `closed`, `431 text/plain`: how an answer is shown in findings. */
export function summarize(seen: Seen): string {
  if (seen.outcome !== 'answered') return seen.outcome
  let code: string | undefined
  try {
    const parsed = JSON.parse(seen.body) as { code?: unknown }
    code = typeof parsed.code === 'string' ? parsed.code : undefined
  } catch {
    // not JSON
  }
  const detail =
    code ?? (seen.contentType === undefined ? (seen.body === '' ? 'empty body' : 'no content-type') : seen.contentType.split(';')[0])
  return `${seen.status} ${detail}${seen.requestId === undefined ? ' (no request id)' : ''}`
}

/** The `detail` of a problem answer (for examples in findings), else ''. */
export function detailOf(seen: Seen): string {
  if (seen.outcome !== 'answered' || (seen.status ?? 0) < 400) return ''
  try {
    const parsed = JSON.parse(seen.body) as { detail?: unknown }
    return typeof parsed.detail === 'string' ? parsed.detail.slice(0, 160) : ''
  } catch {
    return ''
  }
}
