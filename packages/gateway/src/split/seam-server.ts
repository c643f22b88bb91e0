import { bearerTokenOf, encodeJson, type Handler, problemResponse, readJsonBody } from '@lakehouse/kit'
import { createTokenCheck } from '../access/token-check.ts'
import { splitErrors } from './split-errors.ts'
import { SEAM_PREFIX } from './upstream-client.ts'

/** One component's methods as other processes may call them; arguments and results are JSON. */
export type Seam = Readonly<Record<string, (...args: never[]) => unknown>>

/** Internal calls carry small JSON (a manifest, a batch of texts); 64 MiB bounds a vector batch. */
const SEAM_BODY_LIMITS = Object.freeze({ maxBytes: 64 * 1024 * 1024, maxDepth: 128 })

/**
 * Serves `POST /internal/v1/<seam>/<method>` with `{"args": [...]}` → `{"result": …}`, or the
 * method's own Problem. Only the service token opens it: these calls do what the public routes
 * refuse (ADR-022: only ingest may change a dataset), so an API token is not enough.
 */
export function createSeamServer(seams: Readonly<Record<string, Seam>>, serviceToken: string): Handler {
  const isService = createTokenCheck([serviceToken])
  return async (req) => {
    const path = new URL(req.url).pathname
    if (isService(bearerTokenOf(req.headers.get('authorization'))) !== 'accepted') {
      return problemResponse(splitErrors.problem('GATEWAY_SEAM_FORBIDDEN', { detail: `${path} needs the service token` }), path)
    }
    const [seamName = '', method = '', ...rest] = path.slice(SEAM_PREFIX.length).split('/')
    const fn = Object.hasOwn(seams, seamName) && rest.length === 0 ? seams[seamName]?.[method] : undefined
    if (typeof fn !== 'function' || !Object.hasOwn(seams[seamName] ?? {}, method)) {
      return problemResponse(splitErrors.problem('GATEWAY_SEAM_UNKNOWN', { detail: `no seam ${seamName}.${method} in this process` }), path)
    }
    if (req.method !== 'POST') {
      return problemResponse(splitErrors.problem('GATEWAY_SEAM_BAD_CALL', { detail: 'seam calls are POST' }), path)
    }
    try {
      const body = await readJsonBody(req, SEAM_BODY_LIMITS)
      const args = (body as { args?: unknown } | null)?.args
      if (!Array.isArray(args)) throw splitErrors.problem('GATEWAY_SEAM_BAD_CALL', { detail: 'the body must be {"args": [...]}' })
      const result = await (fn as (...a: unknown[]) => unknown)(...args)
      return new Response(encodeJson({ result: result ?? null }), { headers: { 'content-type': 'application/json' } })
    } catch (err) {
      return problemResponse(err, path)
    }
  }
}
