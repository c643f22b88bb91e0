/**
 * Contract findings: one target's answer checked against an OpenAPI document (kit's
 * answerViolations), each violation a `Finding` of class `contract`. Unlike the other classes a
 * contract finding belongs to one target, not a pair: compare-case reports it under the pair
 * `[target, target]`, so the same violation on two targets is two findings, and the same
 * violation in many steps is one (same path, same shape).
 */
import { basename } from 'node:path'
import { type AnswerViolation, answerViolations, type OpenApiDocument } from '@lakehouse/kit'
import { formatPath, type PathSegment } from '../diff/index.ts'
import type { Finding, Observed } from '../model.ts'

export interface ContractChecker {
  /** The document as the run names it (the file or URL given to `--contract`). */
  readonly source: string
  /** What is wrong with one target's answer, as `contract` findings; none when it is as documented. */
  check(request: { readonly method: string; readonly path: string }, observed: Observed): Finding[]
}

/** More than this many violations in one answer is one broken answer, not news: the rest are dropped. */
const MAX_PER_ANSWER = 20

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** A JSON Pointer into `body` as parity's JSONPath segments (an index where the value is an array), and the value there. */
function locate(body: unknown, pointer: string): { segments: PathSegment[]; value: unknown } {
  const segments: PathSegment[] = []
  let value = body
  if (pointer === '') return { segments, value }
  for (const raw of pointer.slice(1).split('/')) {
    const name = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(value) && /^\d+$/.test(name)) {
      segments.push({ kind: 'index', index: Number(name) })
      value = value[Number(name)]
    } else {
      segments.push({ kind: 'member', name })
      value = (value as Record<string, unknown> | undefined)?.[name]
    }
  }
  return { segments, value }
}

function bodyText(o: Observed): string {
  return o.body.kind === 'json' || o.body.kind === 'text' ? o.body.text : ''
}

/** Where, what shape (stable across occurrences: no values that vary), and what each side had. */
function toFinding(v: AnswerViolation, observed: Observed, body: () => unknown): Omit<Finding, 'message'> {
  const base = { class: 'contract', risk: 'breaking' } as const
  switch (v.kind) {
    case 'operation':
      return { ...base, path: 'status', shape: 'undocumented operation', candidate: observed.status }
    case 'status':
      return { ...base, path: 'status', shape: `undocumented ${observed.status}`, candidate: observed.status }
    case 'content-type':
      return {
        ...base,
        path: 'header:content-type',
        shape: `undocumented ${(observed.headers['content-type'] ?? '').split(';')[0]?.trim() || '(none)'}`,
        ...(observed.headers['content-type'] === undefined ? {} : { candidate: observed.headers['content-type'] }),
      }
    case 'json':
      return { ...base, path: '$', shape: 'not JSON' }
    case 'document':
      return { ...base, path: '$', shape: 'schema does not compile', baseline: v.detail }
    case 'schema': {
      const at = locate(body(), v.instancePath ?? '')
      const params = v.params ?? {}
      if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
        const segments = [...at.segments, { kind: 'member', name: params.missingProperty } as const]
        return { ...base, path: formatPath(segments), shape: 'required→absent', baseline: 'required' }
      }
      if (v.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
        const segments = [...at.segments, { kind: 'member', name: params.additionalProperty } as const]
        const value = (at.value as Record<string, unknown>)[params.additionalProperty]
        return { ...base, path: formatPath(segments), shape: 'not allowed→present', baseline: 'not allowed', candidate: value }
      }
      const path = formatPath(at.segments)
      if (v.keyword === 'type')
        return {
          ...base,
          path,
          shape: `${String(params.type)}→${jsonTypeOf(at.value)}`,
          baseline: String(params.type),
          candidate: at.value,
        }
      return { ...base, path, shape: `${v.keyword}: ${v.detail}`, baseline: v.detail, candidate: at.value }
    }
  }
}

/**
 * A checker for one OpenAPI 3.0/3.1 document. Every schema error of an answer is reported (up
 * to MAX_PER_ANSWER), one per path: a finding's id is per path, and the first error at a path
 * says what is wrong there.
 */
export function contractChecker(doc: OpenApiDocument, source: string): ContractChecker {
  const violations = answerViolations(doc, { allErrors: true })
  // Messages name the document short: a file by its name, a URL whole.
  const named = /^https?:\/\//i.test(source) ? source : basename(source)
  return {
    source,
    check(request, observed) {
      const path = request.path.replace(/[?#].*$/s, '')
      const found = violations({
        method: request.method.toUpperCase(),
        path,
        status: observed.status,
        contentType: observed.headers['content-type'] ?? null,
        body: bodyText(observed),
      })
      let parsed: { value: unknown } | undefined
      const body = () => {
        parsed ??= { value: safeParse(bodyText(observed)) }
        return parsed.value
      }
      const out: Finding[] = []
      const seen = new Set<string>()
      for (const v of found) {
        const f = toFinding(v, observed, body)
        if (seen.has(f.path)) continue
        seen.add(f.path)
        const where = v.operation === undefined ? `${request.method} ${path}` : `${request.method} ${v.operation}`
        out.push({
          ...f,
          message: `${where} → ${observed.status}: ${f.path === 'status' ? v.detail : `${f.path} ${v.detail}`} (${named})`,
        })
        if (out.length >= MAX_PER_ANSWER) break
      }
      return out
    },
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
