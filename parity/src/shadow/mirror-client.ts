/**
 * Sends a copy of a client's request to a mirror target (the candidate or the secondary) and
 * reads the whole answer as `Observed`, within a total time limit. Failures are returned as
 * `MirrorFailure`, never thrown at the client: the mirror only ever feeds the comparison.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { Pool } from 'undici'
import type { Observed } from '../model.ts'
import { classifyBody, decodeContentEncoding } from '../traffic/observed-body.ts'
import { flatHeaders, requestHeadersFor } from './forward-headers.ts'

export class MirrorFailure extends Error {
  override readonly name = 'MirrorFailure'
  constructor(
    message: string,
    /** The mirror took longer than `--timeout`. */
    readonly timedOut: boolean,
    /** The run stopped before the mirror was answered (cut off in flight, or never sent from the queue). */
    readonly stopped = false,
  ) {
    super(message)
  }
}

export interface MirrorRequest {
  readonly method: string
  /** Origin-form: path and query. */
  readonly target: string
  readonly headers: IncomingHttpHeaders
  readonly body: Uint8Array | undefined
}

export interface MirrorClient {
  readonly url: string
  /** The target's answer; rejects with `MirrorFailure`. */
  send(req: MirrorRequest): Promise<Observed>
  /** Aborts what is still in flight and closes the connections. */
  close(): Promise<void>
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

export function createMirrorClient(
  url: string,
  own: Readonly<Record<string, string>>,
  timeoutMs: number,
  connections: number,
): MirrorClient {
  const base = new URL(url)
  const prefix = base.pathname.replace(/\/$/, '')
  const pool = new Pool(base.origin, {
    connections,
    connect: { timeout: Math.min(timeoutMs, 5_000) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  })
  // One controller and timer per request, not AbortSignal.any over a long-lived signal: on
  // Node 20 every signal derived that way stays referenced from the source, which grows with
  // each request of a long run.
  const inFlight = new Set<AbortController>()
  const stopping = new Error('shadow mode stopped')
  return {
    url,
    async send(req) {
      const started = performance.now()
      const abort = new AbortController()
      // The header and body timeouts are per phase; this bounds the whole exchange.
      const timer = setTimeout(() => abort.abort(new MirrorFailure('timeout', true)), timeoutMs)
      inFlight.add(abort)
      const signal = abort.signal
      try {
        const res = await pool.request({
          method: req.method as 'GET',
          path: prefix + req.target,
          headers: requestHeadersFor(req.headers, own, false),
          body: req.body === undefined ? null : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength),
          signal,
        })
        const bytes = new Uint8Array(await res.body.arrayBuffer())
        const headers = flatHeaders(res.headers)
        const coding = headers['content-encoding']
        const decoded =
          coding === undefined || bytes.byteLength === 0 ? bytes : (decodeContentEncoding(coding, bytes, 64 * 1024 * 1024) ?? bytes)
        return {
          status: res.statusCode,
          headers,
          body: classifyBody(headers['content-type'], decoded),
          latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        }
      } catch (e) {
        const code = (e as { code?: string }).code
        const timedOut =
          (code !== undefined && TIMEOUT_CODES.has(code)) ||
          (e instanceof MirrorFailure && e.timedOut) ||
          (signal.reason instanceof MirrorFailure && signal.reason.timedOut)
        const why = timedOut ? `no answer within ${timeoutMs} ms` : e instanceof Error ? e.message : String(e)
        throw new MirrorFailure(`${req.method} ${url.replace(/\/$/, '')}${req.target}: ${why}`, timedOut, signal.reason === stopping)
      } finally {
        clearTimeout(timer)
        inFlight.delete(abort)
      }
    },
    async close() {
      for (const abort of inFlight) abort.abort(stopping)
      await pool.destroy()
    },
  }
}
