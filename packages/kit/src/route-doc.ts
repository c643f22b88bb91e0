import type { BodyCheck, BodySchema } from './body-schema.ts'

/**
 * What a route publishes about itself in the OpenAPI document (`GET /openapi.json`). Every
 * route is registered with one (kit's router will not take a route without it), and the
 * request schema is the compiled check the route itself runs, so the document cannot describe a
 * body the code does not check.
 */
export interface RouteDoc {
  /** One line, imperative: "Run one read-only SQL query". */
  readonly summary: string
  readonly description?: string
  /** The JSON body the route reads: the check it runs (its schema is what is published). */
  readonly body?: BodyCheck<unknown>
  /** A body that is not JSON (a CSV upload, an object's bytes): media types and what they carry. */
  readonly rawBody?: RawBodyDoc
  /** Path parameters are derived from the path; this describes them (pattern, meaning). */
  readonly pathParams?: Readonly<Record<string, ParamDoc>>
  readonly query?: Readonly<Record<string, ParamDoc>>
  /** Success answers by status. */
  readonly responses: Readonly<Record<number, ResponseDoc>>
  /**
   * Problem codes this route answers with, beyond those every route or every JSON body can
   * answer (kit's ROUTE_ERRORS and JSON_BODY_ERRORS, added by the document builder). Unknown
   * codes fail the build of the document.
   */
  readonly errors: readonly string[]
}

export interface ParamDoc {
  readonly description: string
  readonly schema?: BodySchema
  readonly required?: boolean
}

export interface RawBodyDoc {
  readonly description: string
  /** Media types accepted; `*\/*` for any. */
  readonly contentTypes: readonly string[]
  readonly required?: boolean
}

export interface ResponseDoc {
  readonly description: string
  /** The JSON body's schema; absent for an answer without a body (204) or a non-JSON one. */
  readonly schema?: BodySchema
  /** Defaults to application/json when `schema` is given. */
  readonly contentType?: string
  /** Response headers worth naming (ETag, Location …) and what they carry. */
  readonly headers?: Readonly<Record<string, string>>
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'

export interface DescribedRoute {
  readonly method: Method
  /** As registered (Hono syntax: `/v1/vector/indexes/:name`, `/v1/storage/objects/*`). */
  readonly path: string
  readonly doc: RouteDoc
}

const ROUTES = Symbol.for('lakehouse.routes')

/** Attaches the route table to a built handler (kit's router does this). */
export function withRoutes<H extends object>(handler: H, routes: readonly DescribedRoute[]): H {
  return Object.defineProperty(handler, ROUTES, { value: Object.freeze([...routes]), enumerable: false })
}

/** The routes a handler built by kit's router serves; undefined for any other function (a forwarder). */
export function routesOf(handler: object): readonly DescribedRoute[] | undefined {
  return (handler as { [ROUTES]?: readonly DescribedRoute[] })[ROUTES]
}

/** A wrapper of a router-built handler (request tracking, a refresh first) serves the same routes: it keeps the table. */
export function keepRoutes<H extends object>(wrapper: H, inner: object): H {
  const routes = routesOf(inner)
  return routes === undefined ? wrapper : withRoutes(wrapper, routes)
}
