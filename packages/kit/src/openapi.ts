import type { BodySchema } from './body-schema.ts'
import type { ErrorRegistry } from './error-registry.ts'
import { JSON_BODY_ERRORS } from './json-body.ts'
import { PROBLEM_CONTENT_TYPE } from './responses.ts'
import type { DescribedRoute, ParamDoc, RouteDoc } from './route-doc.ts'

/** One component's routes, published under its tag. */
export interface OpenApiSource {
  readonly tag: string
  readonly description?: string
  readonly routes: readonly DescribedRoute[]
}

export interface OpenApiInput {
  readonly title: string
  readonly version: string
  readonly description?: string
  readonly sources: readonly OpenApiSource[]
  /** Where each code's status comes from: the composed service's registries. */
  readonly registries: readonly ErrorRegistry<string>[]
  /** Codes any operation may answer (the gateway's access policy and limits, INTERNAL). */
  readonly commonErrors: readonly string[]
  /** Codes any operation with a request body may answer (a too-slow body). */
  readonly bodyErrors: readonly string[]
}

export type OpenApiDocument = Record<string, unknown> & { readonly paths: Record<string, Record<string, unknown>> }

const PROBLEM_REF = '#/components/schemas/Problem'

/** RFC 9457 problem details as every component answers them (kit's problemBody). */
const PROBLEM_SCHEMA: BodySchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', description: '`urn:lakehouse:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'For humans; may change. Match on `code`.' },
    instance: { type: 'string', description: 'The request path.' },
    code: { type: 'string', description: 'Stable, SCREAMING_SNAKE (docs/errors.md).' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'field', 'reason', 'message'],
        properties: {
          kind: { type: 'string' },
          field: { type: 'string', description: 'JSONPath of the offending value, e.g. `$.items[2].id`.' },
          reason: { type: 'string', description: 'Stable snake_case token (docs/errors.md, "Request bodies").' },
          message: { type: 'string' },
        },
      },
    },
  },
  additionalProperties: true,
}

/** `/v1/vector/indexes/:name` → `/v1/vector/indexes/{name}`; a trailing `*` is the `{path}` parameter (slashes included). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}').replace(/\/\*$/, '/{path}')
}

/** An answer documented as problem+json whose `code` is one of `codes` (sorted). */
export function problemAnswerDoc(codes: readonly string[]): Record<string, unknown> {
  const list = [...codes].sort()
  return {
    description: list.join(', '),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { allOf: [{ $ref: PROBLEM_REF }, { properties: { code: { enum: list } } }] } } },
  }
}

function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '')
  return method.toLowerCase() + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')
}

function parameter(name: string, where: 'path' | 'query', doc: ParamDoc | undefined, required: boolean) {
  return {
    name,
    in: where,
    required,
    ...(doc === undefined ? {} : { description: doc.description }),
    schema: doc?.schema ?? { type: 'string' },
  }
}

function requestBody(doc: RouteDoc) {
  if (doc.body !== undefined) return { required: true, content: { 'application/json': { schema: doc.body.schema } } }
  if (doc.rawBody === undefined) return undefined
  return {
    required: doc.rawBody.required ?? true,
    description: doc.rawBody.description,
    content: Object.fromEntries(doc.rawBody.contentTypes.map((t) => [t, {}])),
  }
}

/**
 * Builds the OpenAPI 3.1 document from the routes as registered (their docs and compiled body
 * schemas) and the error registries — nothing in it is written twice. Problem answers are
 * grouped by status, each listing its codes as an enum on `code`, so a client (or the test that
 * replays the parity corpus) can tell a documented failure from a surprise.
 */
export function buildOpenApi(input: OpenApiInput): OpenApiDocument {
  const statusOf = new Map<string, number>()
  for (const reg of input.registries) for (const [code, spec] of Object.entries(reg.specs)) statusOf.set(code, spec.status)
  const paths: Record<string, Record<string, unknown>> = {}
  for (const source of input.sources) {
    for (const { method, path, doc } of source.routes) {
      const template = openApiPath(path)
      const at = `${method} ${template}`
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string)
      for (const name of Object.keys(doc.pathParams ?? {})) {
        if (!names.includes(name)) throw new TypeError(`${at} describes a path parameter ${name} it does not have`)
      }
      const hasBody = doc.body !== undefined || doc.rawBody !== undefined
      const codes = new Set([
        ...doc.errors,
        ...input.commonErrors,
        ...(hasBody ? input.bodyErrors : []),
        ...(doc.body === undefined ? [] : [...JSON_BODY_ERRORS, 'HTTP_INVALID_REQUEST']),
      ])
      const byStatus = new Map<number, string[]>()
      for (const code of codes) {
        const status = statusOf.get(code)
        if (status === undefined) throw new TypeError(`${at} lists ${code}, which no error registry defines`)
        byStatus.set(status, [...(byStatus.get(status) ?? []), code])
      }
      const responses: Record<string, unknown> = {}
      for (const [status, r] of Object.entries(doc.responses)) {
        responses[status] = {
          description: r.description,
          ...(r.headers === undefined
            ? {}
            : {
                headers: Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])),
              }),
          ...(r.schema === undefined && r.contentType === undefined
            ? {}
            : { content: { [r.contentType ?? 'application/json']: r.schema === undefined ? {} : { schema: r.schema } } }),
        }
      }
      for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) responses[String(status)] = problemAnswerDoc(list)
      const parameters = [
        ...names.map((n) => parameter(n, 'path', doc.pathParams?.[n], true)),
        ...Object.entries(doc.query ?? {}).map(([n, d]) => parameter(n, 'query', d, d.required ?? false)),
      ]
      const body = requestBody(doc)
      const item = paths[template] ?? {}
      paths[template] = item
      const key = method.toLowerCase()
      if (item[key] !== undefined) throw new TypeError(`${at} is registered twice`)
      item[key] = {
        operationId: operationId(method, template),
        tags: [source.tag],
        summary: doc.summary,
        ...(doc.description === undefined ? {} : { description: doc.description }),
        ...(parameters.length === 0 ? {} : { parameters }),
        ...(body === undefined ? {} : { requestBody: body }),
        responses,
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: input.title, version: input.version, ...(input.description === undefined ? {} : { description: input.description }) },
    // Relative: the document describes the server that serves it, whatever its address.
    servers: [{ url: '/', description: 'The server that served this document.' }],
    tags: input.sources.map((s) => ({ name: s.tag, ...(s.description === undefined ? {} : { description: s.description }) })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Required when the server runs with a token (docs/security.md).' },
      },
    },
    security: [{}, { bearer: [] }],
  }
}
