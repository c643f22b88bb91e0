// The file path, not the bare name: Bun 1.4 answers `import 'undici'` with its own partial shim
// whose Pool does nothing (docs/runtime-facts.md); a path into the package loads the real one.
import { Readable } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import { bearerAuthorization, encodeJson, type Handler, Problem, parseJsonText, REQUEST_ID_HEADER } from '@lakehouse/kit'
import { type Dispatcher, Pool } from 'undici/index.js'
import type { Upstream } from './split-config.ts'
import { splitErrors } from './split-errors.ts'

/** The path prefix of the internal seam routes; `/internal/v1/<seam>/<method>`. */
export const SEAM_PREFIX = '/internal/v1/'

/** The header carrying the original client's address over a hop (the upstream's peer is the proxy). */
export const FORWARDED_FOR_HEADER = 'x-forwarded-for'

export const UPSTREAM_TIMEOUTS = Object.freeze({
  connectMs: 5_000,
  /** Above the longest a component takes to start answering: a 256 MiB ingest, a SQL timeout. */
  headersMs: 300_000,
  /** Between two chunks of a streamed body. */
  bodyMs: 300_000,
})

/**
 * The request as it goes to another process: with this gateway's request id (so both access
 * logs name it alike) and the client's address. The gateway is the edge, so a client's own
 * `X-Forwarded-For` is replaced, not extended.
 */
export function forwardedRequest(req: Request, reqId: string, client: string | undefined): Request {
  const headers = new Headers(req.headers)
  headers.set(REQUEST_ID_HEADER, reqId)
  if (client === undefined) headers.delete(FORWARDED_FOR_HEADER)
  else headers.set(FORWARDED_FOR_HEADER, client)
  const init: RequestInit & { duplex?: 'half' } = { headers }
  if (req.body !== null) init.duplex = 'half'
  return new Request(req, init)
}

/** Concurrent sockets per upstream; further calls queue in the pool. */
const POOL_CONNECTIONS = 32
/** Seconds a client is told to wait after an unreachable upstream. */
const UNAVAILABLE_RETRY_AFTER_S = 1
// RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host'])
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

export interface UpstreamClient {
  readonly upstream: Upstream
  /** The component's public routes, served from the upstream: the request streamed there, the answer streamed back. */
  readonly forward: Handler
  /** One internal seam call: the method's result, or the upstream's own Problem rethrown with its code. */
  call(seam: string, method: string, args: readonly unknown[]): Promise<unknown>
  close(): Promise<void>
}

export interface UpstreamClientDeps {
  readonly serviceToken: string
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown'
}

function failure(upstream: Upstream, err: unknown): Problem {
  const code = errorCode(err)
  if (TIMEOUT_CODES.has(code)) {
    return splitErrors.problem('GATEWAY_UPSTREAM_TIMEOUT', {
      detail: `${upstream.name} (${upstream.origin}${upstream.basePath}) did not answer in time (${code})`,
      extensions: { upstream: upstream.name },
    })
  }
  return splitErrors.problem('GATEWAY_UPSTREAM_UNAVAILABLE', {
    detail: `${upstream.name} (${upstream.origin}${upstream.basePath}) could not be reached (${code})`,
    extensions: { upstream: upstream.name },
    headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) },
  })
}

/** A problem+json body from an upstream, as the Problem it was there (code, status, detail, extensions). */
export function problemFromBody(
  status: number,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
): Problem | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const b = body as Record<string, unknown>
  if (typeof b.code !== 'string' || typeof b.title !== 'string') return undefined
  const { type: _t, title, status: _s, detail, instance: _i, code, errors, ...extensions } = b
  const retryAfter = headers['retry-after']
  return new Problem(
    code,
    { status, title: String(title) },
    {
      detail: typeof detail === 'string' ? detail : String(title),
      ...(Array.isArray(errors) ? { errors } : {}),
      ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
      ...(typeof retryAfter === 'string' ? { headers: { 'retry-after': retryAfter } } : {}),
    },
  )
}

/** A pull-driven web stream over undici's body: the upstream is read only as fast as the client takes it. */
function webStreamOf(body: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = body[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next()
      if (next.done === true) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel(reason) {
      await it.return?.(reason)
    },
  })
}

export function createUpstreamClient(upstream: Upstream, deps: UpstreamClientDeps): UpstreamClient {
  const pool = new Pool(upstream.origin, {
    connections: POOL_CONNECTIONS,
    connectTimeout: UPSTREAM_TIMEOUTS.connectMs,
    headersTimeout: UPSTREAM_TIMEOUTS.headersMs,
    bodyTimeout: UPSTREAM_TIMEOUTS.bodyMs,
  })
  const authorization = bearerAuthorization(deps.serviceToken)

  const forward: Handler = async (req) => {
    const url = new URL(req.url)
    const headers: Record<string, string> = {}
    req.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) headers[name] = value
    })
    // The client was admitted here; the hop is this process's, so it carries the service token.
    headers.authorization = authorization
    const hasBody = req.body !== null && req.method !== 'GET' && req.method !== 'HEAD'
    let res: Dispatcher.ResponseData
    try {
      res = await pool.request({
        path: `${upstream.basePath}${url.pathname}${url.search}`,
        method: req.method as 'GET',
        headers,
        // Streamed as the upstream takes it (backpressure both ways); nothing is buffered whole.
        body: hasBody && req.body !== null ? Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>) : null,
        signal: req.signal,
      })
    } catch (err) {
      throw failure(upstream, err)
    }
    const out = new Headers()
    for (const [name, value] of Object.entries(res.headers)) {
      // The runtime frames the streamed body itself.
      if (value === undefined || HOP_BY_HOP.has(name) || name === 'content-length') continue
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, v)
    }
    const empty = req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304
    if (empty) {
      await res.body.dump()
      return new Response(null, { status: res.statusCode, headers: out })
    }
    return new Response(webStreamOf(res.body), { status: res.statusCode, headers: out })
  }

  return {
    upstream,
    forward,
    async call(seam, method, args) {
      let status: number
      let text: string
      let resHeaders: Record<string, string | string[] | undefined>
      try {
        const res = await pool.request({
          path: `${upstream.basePath}${SEAM_PREFIX}${seam}/${method}`,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization, [REQUEST_ID_HEADER]: crypto.randomUUID() },
          body: encodeJson({ args }),
        })
        status = res.statusCode
        resHeaders = res.headers
        text = await res.body.text()
      } catch (err) {
        throw failure(upstream, err)
      }
      let body: unknown
      try {
        body = parseJsonText(text, 512)
      } catch {
        throw splitErrors.problem('GATEWAY_UPSTREAM_UNAVAILABLE', {
          detail: `${upstream.name} answered ${seam}.${method} with a body that is not JSON (status ${status})`,
          extensions: { upstream: upstream.name },
        })
      }
      if (status === 200) return (body as { result?: unknown }).result
      throw (
        problemFromBody(status, body, resHeaders) ??
        splitErrors.problem('GATEWAY_UPSTREAM_UNAVAILABLE', {
          detail: `${upstream.name} answered ${seam}.${method} with status ${status} and no problem`,
          extensions: { upstream: upstream.name },
        })
      )
    },
    close: () => pool.close(),
  }
}
