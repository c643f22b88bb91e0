import { Pool } from 'undici'
import type { BuiltRequest } from '../cases/request-builder.ts'
import type { Observed } from '../model.ts'
import { classifyBody } from '../traffic/observed-body.ts'

export interface ClientTimeouts {
  readonly connectMs: number
  readonly headersMs: number
  readonly bodyMs: number
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = Object.freeze({ connectMs: 5_000, headersMs: 10_000, bodyMs: 10_000 })

/** A request never reached an answer (refused, reset, timed out): a target error, exit 2. */
export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError'
}

export interface TargetClient {
  readonly origin: string
  /** Headers every request to this target carries (its bearer token); the request builder merges them. */
  readonly headers: Readonly<Record<string, string>>
  send(req: BuiltRequest): Promise<Observed>
  close(): Promise<void>
}

/**
 * One pooled keep-alive client per target (undici Pool), with connect, header and body
 * timeouts, so a hung target fails the run in bounded time instead of hanging it.
 */
export function createTargetClient(
  baseUrl: string,
  timeouts: ClientTimeouts = DEFAULT_TIMEOUTS,
  headers: Readonly<Record<string, string>> = {},
): TargetClient {
  const url = new URL(baseUrl)
  const prefix = url.pathname.replace(/\/$/, '')
  const pool = new Pool(url.origin, {
    connections: 4,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  })
  return {
    origin: url.origin + prefix,
    headers,
    async send(req) {
      const started = performance.now()
      try {
        const res = await pool.request({
          method: req.method as 'GET',
          path: prefix + req.path,
          headers: req.headers,
          body: req.body === undefined ? null : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength),
        })
        const bytes = new Uint8Array(await res.body.arrayBuffer())
        const latencyMs = performance.now() - started
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
        }
        return {
          status: res.statusCode,
          headers,
          body: classifyBody(headers['content-type'], bytes),
          latencyMs: Math.round(latencyMs * 1000) / 1000,
        }
      } catch (e) {
        const code = (e as { code?: string }).code
        throw new RequestFailedError(
          `${req.method} ${url.origin}${prefix}${req.path} failed: ${code ?? ''} ${e instanceof Error ? e.message : String(e)}`.trim(),
        )
      }
    },
    close: () => pool.close(),
  }
}
