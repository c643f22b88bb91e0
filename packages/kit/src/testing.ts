/** Helpers for tests that call handlers directly with web-standard Requests. */
import type { ErrorRegistry } from './error-registry.ts'
import { kitErrors } from './errors.ts'
import { buildOpenApi } from './openapi.ts'
import { answerChecker } from './openapi-answers.ts'
import { routesOf } from './route-doc.ts'

export const TEST_ORIGIN = 'http://lakehouse.test'

export function jsonRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(TEST_ORIGIN + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/**
 * Whether a body check accepts a body: true when it returns, false when it throws 400
 * HTTP_INVALID_REQUEST; anything else it throws is rethrown (a bug, not a verdict).
 */
export function acceptsBody(check: () => unknown): boolean {
  try {
    check()
    return true
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'HTTP_INVALID_REQUEST') throw err
    return false
  }
}

export async function readJson<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/**
 * mulberry32: a tiny seeded PRNG for tests, so generated cases are the same on every run and
 * runtime and a failing seed can be replayed. (The load generator's picks use its own sfc32
 * seeded from a string; this one is for test data only.)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * For a component's route tests: checks answers of a kit-router handler against the OpenAPI
 * operations built from its own route docs (the gateway's /openapi.json is built the same way).
 * `check(req, res)` reads a clone of `res` and returns what is not as documented (empty: fine).
 */
export function documentedAnswers(handler: object, registries: readonly ErrorRegistry<string>[]) {
  const routes = routesOf(handler)
  if (routes === undefined) throw new TypeError('the handler was not built by kit’s router')
  const checker = answerChecker(
    buildOpenApi({
      title: 'component',
      version: '0',
      sources: [{ tag: 'component', routes }],
      registries: [kitErrors, ...registries],
      commonErrors: ['HTTP_METHOD_NOT_ALLOWED', 'INTERNAL'],
      bodyErrors: ['HTTP_BODY_TOO_LARGE'],
    }),
  )
  return async (req: Request, res: Response): Promise<string[]> =>
    checker({
      method: req.method,
      path: new URL(req.url).pathname,
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: await res.clone().text(),
    })
}
