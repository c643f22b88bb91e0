import { Hono } from 'hono'
import { kitErrors } from './errors.ts'
import { problemResponse } from './responses.ts'
import { type DescribedRoute, type Method, type RouteDoc, withRoutes } from './route-doc.ts'

export type Handler = (req: Request) => Promise<Response>

export interface RouteContext {
  readonly req: Request
  /** Path parameter by name (`/objects/:key` → `param('key')`), already URL-decoded. */
  param(name: string): string
}

export type RouteHandler = (ctx: RouteContext) => Promise<Response> | Response

/** Every route is registered with its RouteDoc: the OpenAPI document is built from these (routesOf). */
export interface Router {
  on(method: Method, path: string, doc: RouteDoc, handler: RouteHandler): Router
  get(path: string, doc: RouteDoc, handler: RouteHandler): Router
  post(path: string, doc: RouteDoc, handler: RouteHandler): Router
  put(path: string, doc: RouteDoc, handler: RouteHandler): Router
  delete(path: string, doc: RouteDoc, handler: RouteHandler): Router
  /**
   * Freezes the route table into a fetch handler: unknown path → 404, known path with another
   * method → 405. `routesOf(handler)` gives the table back, docs included.
   */
  build(): Handler
}

/**
 * A thin layer over Hono that adds what every component needs and Hono leaves to the app:
 * problem+json for 404/405/thrown errors and an `Allow` header on 405. Hono's types stay inside.
 */
export function createRouter(): Router {
  const routes: (DescribedRoute & { handler: RouteHandler })[] = []
  const router: Router = {
    on(method, path, doc, handler) {
      routes.push({ method, path, doc, handler })
      return router
    },
    get: (path, doc, handler) => router.on('GET', path, doc, handler),
    post: (path, doc, handler) => router.on('POST', path, doc, handler),
    put: (path, doc, handler) => router.on('PUT', path, doc, handler),
    delete: (path, doc, handler) => router.on('DELETE', path, doc, handler),
    build() {
      const app = new Hono({ strict: true })
      const allowed = new Map<string, Set<string>>()
      for (const { method, path, handler } of routes) {
        app.on(method, path, (c) => handler({ req: c.req.raw, param: (name) => c.req.param(name) ?? '' }))
        const set = allowed.get(path) ?? new Set<string>()
        set.add(method)
        if (method === 'GET') set.add('HEAD')
        allowed.set(path, set)
      }
      // Registered after every method route, so it only runs when no method matched.
      for (const [path, methods] of allowed) {
        const allow = [...methods].sort().join(', ')
        app.all(path, (c) =>
          problemResponse(
            kitErrors.problem('HTTP_METHOD_NOT_ALLOWED', {
              detail: `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`,
              headers: { allow },
            }),
            c.req.path,
          ),
        )
      }
      app.notFound((c) => problemResponse(kitErrors.problem('HTTP_NOT_FOUND', { detail: `no route for ${c.req.path}` }), c.req.path))
      app.onError((err, c) => problemResponse(err, c.req.path))
      const handler: Handler = async (req) => app.fetch(req)
      return withRoutes(
        handler,
        routes.map(({ method, path, doc }) => ({ method, path, doc })),
      )
    },
  }
  return router
}
