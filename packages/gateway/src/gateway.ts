import type { FileLock } from '@lakehouse/journal'
import {
  type Handler,
  kitErrors,
  type Logger,
  OVERSIZE_DRAIN_BYTES,
  type Problem,
  problemResponse,
  REQUEST_ID_HEADER,
  requestIdFor,
  SILENT_LOGGER,
} from '@lakehouse/kit'
import type { WorkerLookup } from '@lakehouse/validator'
import { type AccessConfig, accessDefaults, createAccessPolicy, type Peer } from './access/access-policy.ts'
import { accessLogged, logAccess } from './access-log.ts'
import { type GuardedRequest, guardBodyProgress, standaloneRequest } from './body-progress.ts'
import { type ComponentOptions, composeComponents, type Mounted } from './compose.ts'
import { type GatewayConfig, resolveGatewayConfig } from './config.ts'
import { OPENAPI_PATH } from './gateway-routes.ts'
import { healthBody } from './health.ts'
import { createOpenApiHandler } from './openapi-document.ts'
import { requestTarget, type Target } from './request-target.ts'
import type { SplitConfig } from './split/split-config.ts'
import { forwardedRequest, SEAM_PREFIX } from './split/upstream-client.ts'

export interface GatewayOptions extends ComponentOptions {
  readonly gateway?: Partial<GatewayConfig>
  /** Who may call over the network (`serve`); in-process calls through `handler` are trusted. */
  readonly access?: AccessConfig
  /** Which components run in this process and where the others are (split mode); all here when absent. */
  readonly split?: SplitConfig
}

export interface GatewayDeps {
  /** The provisioned state directory. */
  readonly dataDir: string
  readonly logger?: Logger
  /** Worker ids accepted by `fill` validation besides the `workers` dataset (--worker-ids). */
  readonly workers?: WorkerLookup
  /** Milliseconds clock, injectable so /health uptime is testable. */
  readonly now?: () => number
  /** The runtime's kernel lock for the journal stores (injected by the app: fs-ext on Node, bun:ffi on Bun). */
  readonly lock: FileLock
}

export interface Gateway {
  /** In-process entry (observer workflows, tests): every route, no access policy. */
  readonly handler: Handler
  /** The network entry the apps serve: the access policy (address, Host, Origin, token), then `handler`'s work. */
  serve(req: Request, peer: Peer, wire?: WireFacts): Response | Promise<Response>
  /** The effective access policy, token-free, for the config log line. */
  describeAccess(): Record<string, unknown>
  /**
   * The answer to a request the runtime could not parse into a Request (Node's clientError,
   * CONNECT): a problem with a request id, access-logged like any other answer.
   */
  answerUnparsed(problem: Problem, peer: Peer): Response
  readonly config: Readonly<GatewayConfig>
  close(): Promise<void>
}

/** What the runtime's server already knows about a request, so the gateway need not work it out again. */
export interface WireFacts {
  /**
   * Header fields as received. Node's parser has counted them (`rawHeaders`); counting through
   * `req.headers` there would build undici Headers for the whole request (issue 13).
   */
  readonly headerFields?: number
  /**
   * Sets a header on the answer the runtime is about to write. The gateway stamps every answer
   * with its request id; on Node, `res.headers.set` would turn the adapter's plain header record
   * into a `Headers` it then iterates back (issue 13), while `ServerResponse.setHeader` is a
   * property write the adapter's `writeHead` merges.
   */
  readonly setResponseHeader?: (name: string, value: string) => void
}

/** More header fields than this is refused before routing; Bun refuses somewhere past 130 itself. */
const MAX_HEADER_FIELDS = 100

function headerCount(headers: Headers): number {
  let n = 0
  headers.forEach(() => {
    n++
  })
  return n
}

/**
 * A body a handler answered without reading (405, 401, 415 …). Closing with request bytes
 * still unread makes the kernel reset the connection, which can discard the answer on the
 * client's side (RFC 9112 §9.6), and Node's adapter drains for only 500 ms before dropping a
 * connection it answered keep-alive on. So, as for a 413 (kit's json-body), the rest is read
 * and dropped up to OVERSIZE_DRAIN_BYTES — still under the progress guard — and only a body
 * larger than that, or one a handler half-read, ends the connection.
 */
async function settleUnreadBody(req: Request, guard: GuardedRequest, res: Response): Promise<void> {
  const declared = Number(req.headers.get('content-length') ?? Number.NaN)
  // Already closing (a 413 from Content-Length) or too big to drain: do not wait for it.
  if (res.headers.get('connection') === 'close' || declared > OVERSIZE_DRAIN_BYTES) {
    res.headers.set('connection', 'close')
    return
  }
  if (!(await guard.discard(OVERSIZE_DRAIN_BYTES))) res.headers.set('connection', 'close')
}

function isPromise(value: Response | Promise<Response>): value is Promise<Response> {
  return typeof (value as { then?: unknown }).then === 'function'
}

/** Methods that ask the server to become a proxy; no route serves them. */
const TUNNEL_METHODS = new Set(['CONNECT', 'TRACE'])

function tunnelRefusal(method: string, path: string): Response {
  return problemResponse(
    kitErrors.problem('HTTP_METHOD_NOT_ALLOWED', {
      detail: `${method} is not served here; Lakehouse is not a proxy`,
      headers: { allow: 'GET, HEAD, POST, PUT, DELETE' },
    }),
    path,
  )
}

/** `/v1/validate/batch` → `validate`: services are keyed by the segment after `/v1/`. */
function serviceSegment(mount: string): string {
  const m = /^\/v1\/([^/]+)$/.exec(mount)
  if (m?.[1] === undefined) throw new TypeError(`mount ${mount} is not /v1/<service>`)
  return m[1]
}

/**
 * Composes every component into one fetch handler. Components serve their full paths, so a
 * request is forwarded untouched (no URL rewriting per request); the gateway only picks the
 * component, stamps the request id and writes the access log.
 */
export async function createGateway(options: GatewayOptions, deps: GatewayDeps): Promise<Gateway> {
  const config = resolveGatewayConfig(options.gateway)
  const logger = deps.logger ?? SILENT_LOGGER
  const now = deps.now ?? Date.now
  const startedAt = now()

  // Phase 1 builds the request pipeline over a route table that is still empty; phase 2
  // composes the components — observer workflows get the pipeline's in-process entry, so their
  // calls pass the same access log, request ids and limits — and fills the table once.
  const table: { services: ReadonlyMap<string, Mounted>; seams: Handler | undefined; openapi: Handler } = {
    services: new Map(),
    seams: undefined,
    openapi: async () => problemResponse(kitErrors.problem('HTTP_NOT_FOUND', { detail: 'the gateway is still starting' }), OPENAPI_PATH),
  }

  const health = (req: Request, path: string): Response => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return problemResponse(
        kitErrors.problem('HTTP_METHOD_NOT_ALLOWED', {
          detail: `${req.method} is not allowed on /health; allowed: GET, HEAD`,
          headers: { allow: 'GET, HEAD' },
        }),
        path,
      )
    }
    const body = JSON.stringify(healthBody(config.runtime, startedAt, now()))
    return new Response(req.method === 'HEAD' ? null : body, { headers: { 'content-type': 'application/json' } })
  }

  const route = (
    req: Request,
    path: string,
    service: { handler: Handler; upstream?: boolean } | undefined,
    reqId: string,
    client: string | undefined,
  ): Response | Promise<Response> => {
    if (path === '/health') return health(req, path)
    if (path === OPENAPI_PATH) return table.openapi(req)
    if (path.startsWith(SEAM_PREFIX) && table.seams !== undefined) return table.seams(req)
    if (service === undefined) return problemResponse(kitErrors.problem('HTTP_NOT_FOUND', { detail: `no route for ${path}` }), path)
    const declared = req.headers.get('content-length')
    if (declared !== null && Number(declared) > config.maxBodyBytes) {
      return problemResponse(
        kitErrors.problem('HTTP_BODY_TOO_LARGE', {
          detail: `request body exceeds the limit of ${config.maxBodyBytes} bytes`,
          extensions: { limit_bytes: config.maxBodyBytes },
          headers: { connection: 'close' },
        }),
        path,
      )
    }
    return service.handler(service.upstream === true ? forwardedRequest(standaloneRequest(req), reqId, client) : req)
  }

  const policy = createAccessPolicy(options.access ?? accessDefaults)

  /**
   * One pipeline for both entries: request id, (policy, body progress), route, access log. An
   * answer known without waiting (/health, refusals, 404s) is returned as it is, not as a
   * Promise: Node's adapter writes such an answer at once, while a Promise costs it a close
   * listener and a few microtask turns (issue 13).
   */
  const handle = (incoming: Request, peer: Peer | undefined, wire?: WireFacts): Response | Promise<Response> => {
    const started = performance.now()
    const reqId = requestIdFor(incoming.headers)
    let target: Target | undefined
    let targetError: unknown
    try {
      target = TUNNEL_METHODS.has(incoming.method) ? undefined : requestTarget(incoming)
    } catch (err) {
      targetError = err
    }
    const path = target === undefined ? '/' : target.path
    const slash = path.indexOf('/', 4)
    const segment = path.startsWith('/v1/') ? path.slice(4, slash < 0 ? undefined : slash) : undefined
    const service = segment === undefined ? undefined : table.services.get(segment)
    // Network bodies only: the server calling itself does not trickle.
    const guard = peer === undefined || target === undefined ? undefined : guardBodyProgress(target.req, config.bodyProgress)
    const req = guard?.req ?? target?.req ?? incoming
    let answer: Response | Promise<Response>
    let refused = false
    try {
      if (targetError !== undefined) throw targetError
      if (TUNNEL_METHODS.has(req.method)) {
        refused = true
        answer = tunnelRefusal(req.method, path)
      } else if (peer !== undefined && (wire?.headerFields ?? headerCount(req.headers)) > MAX_HEADER_FIELDS) {
        refused = true
        answer = problemResponse(
          kitErrors.problem('HTTP_HEADERS_TOO_LARGE', { detail: `the request has more than ${MAX_HEADER_FIELDS} header fields` }),
          path,
        )
      } else if (target === undefined) {
        refused = true
        answer = problemResponse(
          kitErrors.problem('HTTP_BAD_REQUEST', { detail: 'the request target or the Host header is malformed' }),
          path,
        )
      } else {
        const refusal = peer === undefined ? undefined : policy.admit(req, path, peer)
        refused = refusal !== undefined
        answer = refusal ?? route(req, path, service, reqId, peer?.address)
      }
    } catch (err) {
      // Components map their own errors; this only catches a component that threw past its router.
      answer = problemResponse(err, path)
    }

    const complete = (answered: Response): Response => {
      let res = answered
      guard?.release()
      if (guard?.tripped() === true) {
        res = problemResponse(
          kitErrors.problem('HTTP_BODY_TOO_SLOW', {
            detail: `the request body arrived slower than ${config.bodyProgress.minBytes} bytes per ${config.bodyProgress.windowMs / 1000} s, so the request was ended`,
            extensions: { min_bytes: config.bodyProgress.minBytes, window_ms: config.bodyProgress.windowMs },
            headers: { connection: 'close' },
          }),
          path,
        )
      } else if (res.status >= 500 && incoming.signal.aborted) {
        // (status first: on Node, `signal` is built on first touch, and only a failure needs it.)
        // Whatever a component made of a body cut short, nobody is listening: log it as an abort.
        res = problemResponse(
          kitErrors.problem('HTTP_CLIENT_ABORTED', { detail: 'the client closed the connection before the request was complete' }),
          path,
        )
      }
      if (peer !== undefined) policy.decorate(req, res)
      if (wire?.setResponseHeader === undefined) res.headers.set(REQUEST_ID_HEADER, reqId)
      else wire.setResponseHeader(REQUEST_ID_HEADER, reqId)
      if (!accessLogged(logger, res.status)) return res
      logAccess(logger, {
        reqId,
        method: req.method,
        path,
        component: refused ? 'gateway' : (service?.name ?? (path === '/health' ? 'health' : 'gateway')),
        res,
        durMs: Math.round((performance.now() - started) * 1000) / 1000,
        ...(peer?.address === undefined ? {} : { client: peer.address }),
      })
      return res
    }
    const settle = (res: Response): Response | Promise<Response> =>
      guard !== undefined && !guard.tripped() && !guard.consumed()
        ? settleUnreadBody(req, guard, res).then(() => complete(res))
        : complete(res)

    // A thenable test, not `instanceof Response`: on Node the adapter's Response class is not
    // the class of every Response a component may hand back (undici's own, in split mode).
    return isPromise(answer) ? answer.then(settle, (err: unknown) => settle(problemResponse(err, path))) : settle(answer)
  }

  const handler: Handler = async (req) => handle(req, undefined)

  const components = await composeComponents(options, {
    config,
    dataDir: deps.dataDir,
    logger,
    lock: deps.lock,
    dispatch: handler,
    ...(deps.workers === undefined ? {} : { workers: deps.workers }),
    ...(options.split === undefined ? {} : { split: options.split }),
  })
  table.services = new Map(components.mounted.map((m) => [serviceSegment(m.mount), m]))
  table.seams = components.seams
  try {
    // Throws when a route's doc names a code no registry defines: a bug to fail the start on.
    table.openapi = createOpenApiHandler(components.mounted)
  } catch (err) {
    await components.close()
    throw err
  }

  return {
    handler,
    serve: (req, peer, wire) => handle(req, peer, wire),
    describeAccess: () => policy.describe(),
    answerUnparsed: (problem, peer) => {
      const res = problemResponse(problem, '/')
      const reqId = crypto.randomUUID()
      res.headers.set(REQUEST_ID_HEADER, reqId)
      res.headers.set('connection', 'close')
      logAccess(logger, {
        reqId,
        method: '-',
        path: '-',
        component: 'http',
        res,
        durMs: 0,
        ...(peer.address === undefined ? {} : { client: peer.address }),
      })
      return res
    },
    config,
    close: () => components.close(),
  }
}
