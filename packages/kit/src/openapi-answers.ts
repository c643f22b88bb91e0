import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
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

/**
 * One way an answer differs from the document, structured for tools that group them (parity's
 * contract findings): `operation` no operation takes the request, `status` the status is not
 * documented for it, `content-type` nor is the media type, `json` the body of a JSON type does
 * not parse, `schema` the body fails the documented schema (`keyword` at `instancePath`), and
 * `document` the document's own schema does not compile.
 */
export interface AnswerViolation {
  readonly kind: 'operation' | 'status' | 'content-type' | 'json' | 'schema' | 'document'
  /** The path template of the operation that took the request, when one did. */
  readonly operation?: string
  /** schema: JSON Pointer of the offending value in the body (`''` the body itself). */
  readonly instancePath?: string
  /** schema: the JSON Schema keyword that failed (`required`, `type`, …) and its parameters. */
  readonly keyword?: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly schemaPath?: string
  /** What is wrong, without the request: `must be integer`, `status 418 not documented`. */
  readonly detail: string
  /** The whole line, request included: what `answerChecker` returns. */
  readonly message: string
}

export interface AnswerCheckOptions {
  /**
   * Take Lakehouse's router answers for requests no operation takes (404 HTTP_NOT_FOUND, 405
   * HTTP_METHOD_NOT_ALLOWED) and CORS preflights as documented (default true). Off for another
   * service's document, where such answers are what the document does not describe.
   */
  readonly routerAnswers?: boolean
  /**
   * A prefix of request paths the document's paths leave out (`/api/v2`). Default: the path of
   * the document's first server URL (`https://x.example/api/v2` → `/api/v2`), none for `/`.
   */
  readonly basePath?: string
  /** Every schema error of a body rather than the first (default false). */
  readonly allErrors?: boolean
}

const JSON_TYPE = /^application\/(?:[a-z.+-]+\+)?json$/
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

function pointerSegment(s: string): string {
  return s.replaceAll('~', '~0').replaceAll('/', '~1')
}

type Responses = Record<string, unknown>
interface Operation {
  readonly method: string
  readonly template: string
  readonly re: RegExp
  readonly params: number
  readonly responses: Responses
  /** JSON Pointer of `responses` in the document, for schema refs. */
  readonly pointer: string
}

/** A local `$ref` (`#/components/responses/X`) followed, with the pointer of where it led; bounded. */
function follow(doc: OpenApiDocument, value: unknown, pointer: string): { value: unknown; pointer: string } {
  let at = { value, pointer }
  for (let hops = 0; hops < 16; hops++) {
    const ref = (at.value as { $ref?: unknown } | null)?.$ref
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return at
    let v: unknown = doc
    for (const seg of ref.slice(2).split('/')) {
      v = (v as Record<string, unknown> | undefined)?.[seg.replaceAll('~1', '/').replaceAll('~0', '~')]
    }
    at = { value: v, pointer: ref.slice(1) }
  }
  return at
}

/** Operations by method, each with the regex of its path template; literal segments win over parameters. */
function operations(doc: OpenApiDocument) {
  const ops: Operation[] = []
  for (const [template, raw] of Object.entries(doc.paths ?? {})) {
    const item = follow(doc, raw, `/paths/${pointerSegment(template)}`)
    for (const [method, op] of Object.entries((item.value ?? {}) as Record<string, unknown>)) {
      // A path item also holds `parameters`, `summary`, `servers`: only methods are operations.
      if (!METHODS.has(method)) continue
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
        responses: ((op as { responses?: Responses }).responses ?? {}) as Responses,
        pointer: `${item.pointer}/${method}/responses`,
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
function unrouted(seen: SeenAnswer, pathKnown: boolean, routerAnswers: boolean): AnswerViolation[] {
  const code = problemCode(seen)
  if (routerAnswers) {
    // A CORS preflight is answered by the access policy (docs/security.md), not an operation:
    // an empty grant or a problem refusing it are both by design; a failure is not.
    if (seen.method === 'OPTIONS' && pathKnown && seen.status < 500 && (seen.body === '' || code !== undefined)) return []
    if (pathKnown && seen.status === 405 && code === 'HTTP_METHOD_NOT_ALLOWED') return []
    if (!pathKnown && seen.status === 404 && code === 'HTTP_NOT_FOUND') return []
  }
  const detail = pathKnown ? `no ${seen.method} operation at this path` : 'no operation in the document'
  return [
    { kind: 'operation', detail, message: `${seen.method} ${seen.path} → ${seen.status} ${code ?? ''}: no operation in the document` },
  ]
}

/** The response documented for a status: exact, then its range (`4XX`), then `default`. */
function responseKey(responses: Responses, status: number): string | undefined {
  const exact = String(status)
  if (exact in responses) return exact
  const range = Object.keys(responses).find((k) => k.toUpperCase() === `${exact[0]}XX`)
  if (range !== undefined) return range
  return 'default' in responses ? 'default' : undefined
}

/** The media type key for a content type: exact, then `type/*`, then `*\/*` (parameters ignored on both sides). */
function mediaKey(content: Record<string, unknown>, type: string): string | undefined {
  const keys = Object.keys(content)
  const bare = (k: string) => (k.split(';')[0] ?? '').trim().toLowerCase()
  return (
    keys.find((k) => bare(k) === type) ?? keys.find((k) => bare(k) === `${type.split('/')[0]}/*`) ?? keys.find((k) => bare(k) === '*/*')
  )
}

/** The path of the first server URL (`https://h/api/v2/` → `/api/v2`); none when templated or `/`. */
function serverBasePath(doc: OpenApiDocument): string {
  const url = (doc.servers as { url?: unknown }[] | undefined)?.[0]?.url
  if (typeof url !== 'string' || url.includes('{')) return ''
  try {
    return new URL(url, 'http://base.invalid').pathname.replace(/\/+$/, '')
  } catch {
    return ''
  }
}

/**
 * OpenAPI 3.0 schemas are an older JSON Schema dialect: boolean `exclusiveMinimum`/`Maximum`
 * modify `minimum`/`maximum`. Rewritten to the 2020-12 form so one validator reads both.
 */
function upgradeSchemas30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upgradeSchemas30)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = upgradeSchemas30(v)
  for (const [flag, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue
    if (out[flag] === true && typeof out[limit] === 'number') {
      out[flag] = out[limit]
      delete out[limit]
    } else delete out[flag]
  }
  return out
}

/** With every error reported, the branches of a failed `anyOf`/`oneOf` only repeat it: keep the alternative's own error. */
function withoutBranchErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`)
  return errors.filter((e) => !alternatives.some((a) => e.schemaPath.startsWith(a)))
}

/**
 * Checks real answers against an OpenAPI 3.0 or 3.1 document: the route exists, the status is
 * documented (exactly, by range or `default`), and a JSON body validates against the schema
 * documented for that status and media type. Returns what is wrong, structured; empty when the
 * answer is as documented. Local `$ref`s of path items and responses are followed.
 */
export function answerViolations(doc: OpenApiDocument, options: AnswerCheckOptions = {}): (seen: SeenAnswer) => AnswerViolation[] {
  const source = String(doc.openapi ?? '').startsWith('3.0') ? (upgradeSchemas30(doc) as OpenApiDocument) : doc
  const ajv = new Ajv2020({ strict: false, allErrors: options.allErrors === true, validateFormats: false, logger: false })
  ajv.addSchema(source as object, 'openapi')
  const ops = operations(source)
  const base = (options.basePath ?? serverBasePath(source)).replace(/\/+$/, '')
  const routerAnswers = options.routerAnswers !== false
  const compiled = new Map<string, ReturnType<Ajv2020['compile']> | string>()
  return (answer) => {
    const inside = base !== '' && (answer.path === base || answer.path.startsWith(`${base}/`))
    const seen = inside ? { ...answer, path: answer.path.slice(base.length) || '/' } : answer
    const fits = (o: Operation, method: string) => o.method === method && o.re.test(seen.path)
    const op =
      seen.method === 'HEAD' ? (ops.find((o) => fits(o, 'HEAD')) ?? ops.find((o) => fits(o, 'GET'))) : ops.find((o) => fits(o, seen.method))
    if (op === undefined)
      return unrouted(
        seen,
        ops.some((o) => o.re.test(seen.path)),
        routerAnswers,
      )
    const at = `${seen.method} ${seen.path} (${op.template}) → ${seen.status}`
    const found = { kind: 'status', operation: op.template } as const
    const key = responseKey(op.responses, seen.status)
    if (key === undefined) {
      const detail = `status ${seen.status} not documented`
      return [{ ...found, detail, message: `${at}: status not documented (documented: ${Object.keys(op.responses).join(', ')})` }]
    }
    const response = follow(source, op.responses[key], `${op.pointer}/${pointerSegment(key)}`)
    const content = (response.value as { content?: Record<string, { schema?: unknown }> } | undefined)?.content
    if (seen.method === 'HEAD' || content === undefined) return []
    const type = (seen.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    const media = mediaKey(content, type)
    if (media === undefined) {
      const detail = `content type ${type || '(none)'} not documented`
      const message = `${at}: content type ${type || '(none)'} not documented (${Object.keys(content).join(', ')})`
      return [{ ...found, kind: 'content-type', detail, message }]
    }
    if (content[media]?.schema === undefined || !JSON_TYPE.test(type)) return []
    let body: unknown
    try {
      body = JSON.parse(seen.body)
    } catch {
      return [{ ...found, kind: 'json', detail: 'the body is not JSON', message: `${at}: the body is not JSON` }]
    }
    const ref = `openapi#${response.pointer}/content/${pointerSegment(media)}/schema`
    let validate = compiled.get(ref)
    if (validate === undefined) {
      try {
        validate = ajv.compile({ $ref: ref })
      } catch (e) {
        validate = `the documented schema does not compile: ${e instanceof Error ? e.message : String(e)}`
      }
      compiled.set(ref, validate)
    }
    if (typeof validate === 'string') return [{ ...found, kind: 'document', detail: validate, message: `${at}: ${validate}` }]
    if (validate(body)) return []
    return withoutBranchErrors(validate.errors ?? []).map((e) => ({
      ...found,
      kind: 'schema',
      instancePath: e.instancePath,
      keyword: e.keyword,
      params: e.params,
      schemaPath: e.schemaPath,
      detail: e.message ?? 'is invalid',
      message: `${at}: ${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} (${e.schemaPath})`,
    }))
  }
}

/**
 * `answerViolations` as one line each. Used by the tests that replay real traffic against both
 * runtimes, so the document cannot drift from what the servers answer.
 */
export function answerChecker(doc: OpenApiDocument, options: AnswerCheckOptions = {}): AnswerChecker {
  const check = answerViolations(doc, options)
  return (seen) => check(seen).map((v) => v.message)
}
