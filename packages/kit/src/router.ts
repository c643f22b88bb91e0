import { Hono } from 'hono'
import { kitErrors } from './errors.ts'
import { problemResponse } from './responses.ts'

export type Handler = (req: Request) => Promise<Response>

export interface RouteContext {
  readonly req: Request
  /** Path parameter by name (`/objects/:key` → `param('key')`), already URL-decoded. */
  param(name: string): string
}

export type RouteHandler = (ctx: RouteContext) => Promise<Response> | Response

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'

export interface Router {
  on(method: Method, path: string, handler: RouteHandler): Router
  get(path: string, handler: RouteHandler): Router
  post(path: string, handler: RouteHandler): Router
  put(path: string, handler: RouteHandler): Router
  delete(path: string, handler: RouteHandler): Router
  /** Freezes the route table into a fetch handler: unknown path → 404, known path with another method → 405. */
  build(): Handler
}

/**
 * A thin layer over Hono that adds what every component needs and Hono leaves to the app:
 * problem+json for 404/405/thrown errors and an `Allow` header on 405. Hono's types stay inside.
 */
export function createRouter(): Router {
  const routes: { method: Method; path: string; handler: RouteHandler }[] = []
  const router: Router = {
    on(method, path, handler) {
      routes.push({ method, path, handler })
      return router
    },
    get: (path, handler) => router.on('GET', path, handler),
    post: (path, handler) => router.on('POST', path, handler),
    put: (path, handler) => router.on('PUT', path, handler),
    delete: (path, handler) => router.on('DELETE', path, handler),
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
      return async (req) => app.fetch(req)
    },
  }
  return router
}
