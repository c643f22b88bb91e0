import { Ajv2020 } from 'ajv/dist/2020.js'
import type { OpenApiDocument } from './openapi.ts'

/** A request and its answer, as a test or the parity runner saw them. */
export interface SeenAnswer {
  readonly method: string
  /** The path only, no query. */
  readonly path: string
  readonly status: number
  readonly contentType: string | null
  /** The body text (empty for none). */
  readonly body: string
}

export type AnswerChecker = (seen: SeenAnswer) => string[]

const JSON_TYPE = /^application\/(?:[a-z.+-]+\+)?json$/

function pointerSegment(s: string): string {
  return s.replaceAll('~', '~0').replaceAll('/', '~1')
}

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>

/** Operations by method, each with the regex of its path template; literal segments win over parameters. */
function operations(doc: OpenApiDocument) {
  const ops: { method: string; template: string; re: RegExp; params: number; responses: Responses }[] = []
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      // `{path}` (a trailing wildcard) takes slashes; any other parameter is one segment.
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => (part === '{path}' ? '.+' : part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')
      const params = (template.match(/\{/g) ?? []).length
      ops.push({
        method: method.toUpperCase(),
        template,
        re: new RegExp(`^${source}$`),
        params,
        responses: (op as { responses: Responses }).responses,
      })
    }
  }
  return ops.sort((a, b) => a.params - b.params)
}

/** The code of a problem+json body, or undefined. */
function problemCode(seen: SeenAnswer): string | undefined {
  if (!(seen.contentType ?? '').startsWith('application/problem+json')) return undefined
  try {
    const code = (JSON.parse(seen.body) as { code?: unknown }).code
    return typeof code === 'string' ? code : undefined
  } catch {
    return undefined
  }
}

/**
 * A request no operation takes is answered by the router, not a route: 405 HTTP_METHOD_NOT_ALLOWED
 * when the path exists with other methods, 404 HTTP_NOT_FOUND when it does not, and a CORS
 * preflight by the access policy. Anything else is a route the document is missing.
 */
function unrouted(seen: SeenAnswer, pathKnown: boolean): string[] {
  const code = problemCode(seen)
  // A CORS preflight is answered by the access policy (docs/security.md), not an operation:
  // an empty grant or a problem refusing it are both by design; a failure is not.
  if (seen.method === 'OPTIONS' && pathKnown && seen.status < 500 && (seen.body === '' || code !== undefined)) return []
  if (pathKnown && seen.status === 405 && code === 'HTTP_METHOD_NOT_ALLOWED') return []
  if (!pathKnown && seen.status === 404 && code === 'HTTP_NOT_FOUND') return []
  return [`${seen.method} ${seen.path} → ${seen.status} ${code ?? ''}: no operation in the document`]
}

/**
 * Checks real answers against an OpenAPI document: the route exists, the status is documented,
 * and a JSON body validates against the schema documented for that status and media type. Returns
 * what is wrong, empty when the answer is as documented. Used by the tests that replay real
 * traffic against both runtimes, so the document cannot drift from what the servers answer.
 */
export function answerChecker(doc: OpenApiDocument): AnswerChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false, logger: false })
  ajv.addSchema(doc as object, 'openapi')
  const ops = operations(doc)
  const compiled = new Map<string, ReturnType<Ajv2020['compile']>>()
  return (seen) => {
    const method = seen.method === 'HEAD' ? 'GET' : seen.method
    const op = ops.find((o) => o.method === method && o.re.test(seen.path))
    if (op === undefined)
      return unrouted(
        seen,
        ops.some((o) => o.re.test(seen.path)),
      )
    const at = `${seen.method} ${seen.path} (${op.template}) → ${seen.status}`
    const responses = op.responses
    const answer = responses[String(seen.status)]
    if (answer === undefined) return [`${at}: status not documented (documented: ${Object.keys(responses).join(', ')})`]
    if (seen.method === 'HEAD' || answer.content === undefined) return []
    const type = (seen.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    const media = answer.content[type] ?? answer.content['*/*']
    if (media === undefined) return [`${at}: content type ${type || '(none)'} not documented (${Object.keys(answer.content).join(', ')})`]
    if (media.schema === undefined || !JSON_TYPE.test(type)) return []
    let body: unknown
    try {
      body = JSON.parse(seen.body)
    } catch {
      return [`${at}: the body is not JSON`]
    }
    const ref = `openapi#/paths/${pointerSegment(op.template)}/${op.method.toLowerCase()}/responses/${seen.status}/content/${pointerSegment(type)}/schema`
    let validate = compiled.get(ref)
    if (validate === undefined) {
      validate = ajv.compile({ $ref: ref })
      compiled.set(ref, validate)
    }
    if (validate(body)) return []
    return (validate.errors ?? []).map((e) => `${at}: ${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} (${e.schemaPath})`)
  }
}
