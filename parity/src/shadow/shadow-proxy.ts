/**
 * The client-facing half of shadow mode: a reverse proxy on 127.0.0.1 that answers every
 * request from the primary alone, streaming the primary's status, headers and body bytes to
 * the client as they arrive, while keeping a bounded copy of the request and response for the
 * mirrors. The mirrors start only after the client has its answer (`onExchange`), so nothing a
 * mirror does can delay or alter it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Transform } from 'node:stream'
import { Pool } from 'undici'
import type { ObservedBody } from '../model.ts'
import type { Exchange } from '../traffic/exchange.ts'
import { classifyBody, decodeContentEncoding } from '../traffic/observed-body.ts'
import { flatHeaders, requestHeadersFor, responseHeadersFrom } from './forward-headers.ts'

/** What one client request and the primary's answer leave for the mirrors. */
export interface ProxiedExchange {
  readonly method: string
  /** Origin-form: path and query, as the client sent it. */
  readonly target: string
  /**
   * The exchange with its bodies classified (JSON parsed, compressed bodies decoded): built on
   * demand, since most of a busy run's requests are dropped or not mirrored and never need it.
   */
  exchange(): Exchange
  /** The request body as received (undefined: none), for sending the same bytes to the mirrors. */
  readonly requestBytes: Uint8Array | undefined
  /** The client's request headers as received: each mirror gets them with its own headers applied. */
  readonly requestHeaders: IncomingMessage['headers']
  /** False when the request or the response was larger than the copy kept: such a request is not mirrored. */
  readonly complete: boolean
}

export interface ShadowProxyOptions {
  readonly host: string
  readonly port: number
  readonly primary: string
  /** Headers for the primary (`--header-primary`, `--token`); an empty value removes the client's. */
  readonly primaryHeaders: Readonly<Record<string, string>>
  /** Bytes of request and of response body kept for the mirrors and the comparison. */
  readonly copyLimit: number
  /** After the client has its whole answer. */
  readonly onExchange: (p: ProxiedExchange) => void
  /** The primary could not be reached or broke off: the client got a 502 or a cut response. */
  readonly onPrimaryError: (message: string) => void
  /** Served at `LIVE_PATH` instead of proxying (the live page); undefined: proxied like any path. */
  readonly livePage?: () => string
}

/** Where the proxy serves the live summary page itself. */
export const LIVE_PATH = '/__parity/live'

export interface ShadowProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /**
   * Stops accepting, waits up to `graceMs` for the requests in flight to be answered (a primary
   * that hangs cannot hold the stop up), cuts off what is left, closes the primary's pool.
   */
  close(graceMs: number): Promise<void>
}

/** Keeps the first `limit` bytes that pass through it; notes whether more went by. */
class CopyTap extends Transform {
  private readonly chunks: Buffer[] = []
  private kept = 0
  overflow = false
  constructor(private readonly limit: number) {
    super()
  }
  keep(chunk: Buffer): void {
    if (this.overflow) return
    if (this.kept + chunk.byteLength > this.limit) {
      this.overflow = true
      this.chunks.length = 0 // a partial copy is of no use: free it now
      return
    }
    this.chunks.push(chunk)
    this.kept += chunk.byteLength
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, data?: Buffer) => void): void {
    this.keep(chunk)
    done(null, chunk)
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks)
  }
}

/** Bytes as `ObservedBody`, decoded first when compressed (the client got them compressed). */
function bodyOf(headers: Readonly<Record<string, string>>, bytes: Uint8Array, limit: number): ObservedBody {
  const coding = headers['content-encoding']
  const decoded = coding === undefined || bytes.byteLength === 0 ? bytes : (decodeContentEncoding(coding, bytes, limit * 8) ?? bytes)
  return classifyBody(headers['content-type'], decoded)
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

export async function startShadowProxy(options: ShadowProxyOptions): Promise<ShadowProxy> {
  const primary = new URL(options.primary)
  const prefix = primary.pathname.replace(/\/$/, '')
  // Generous timeouts: the primary's own slowness is what clients would see without the proxy.
  const pool = new Pool(primary.origin, { connections: 64, connect: { timeout: 10_000 } })
  const inFlight = new Set<Promise<void>>()

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = new Date()
    const t0 = performance.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const target = req.url ?? '/'
    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client went away'))
    })
    const requestTap = new CopyTap(options.copyLimit)
    const body = hasBody(req) ? req.pipe(requestTap) : null
    let answer: Awaited<ReturnType<Pool['request']>>
    try {
      answer = await pool.request({
        method: method as 'GET',
        path: prefix + target,
        headers: requestHeadersFor(req.headers, options.primaryHeaders, true),
        body,
        signal: abort.signal,
      })
    } catch (e) {
      options.onPrimaryError(`${method} ${target}: ${e instanceof Error ? e.message : String(e)}`)
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('parity shadow: the primary did not answer\n')
      }
      // Nothing reads the body now: let it drain so the connection can be reused.
      requestTap.resume()
      req.resume()
      return
    }
    const responseTap = new CopyTap(options.copyLimit)
    try {
      res.writeHead(answer.statusCode, responseHeadersFrom(answer.headers))
      for await (const chunk of answer.body) {
        const buf = chunk as Buffer
        responseTap.keep(buf)
        if (!res.write(buf)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve))
        if (res.destroyed) throw new Error('client went away')
      }
      await new Promise<void>((resolve) => res.end(resolve))
    } catch (e) {
      answer.body.destroy()
      res.destroy()
      options.onPrimaryError(`${method} ${target}: ${e instanceof Error ? e.message : String(e)}`)
      return
    }
    const durationMs = Math.round((performance.now() - t0) * 1000) / 1000
    const requestBytes = body === null ? undefined : requestTap.bytes()
    const { statusCode, headers } = answer
    options.onExchange({
      method,
      target,
      exchange: () => {
        const requestHeaders = flatHeaders(req.headers)
        const responseHeaders = flatHeaders(headers)
        return {
          startedAt: started.toISOString(),
          method,
          target,
          requestHeaders,
          requestBody: bodyOf(requestHeaders, requestBytes ?? new Uint8Array(), options.copyLimit),
          status: statusCode,
          responseHeaders,
          responseBody: bodyOf(responseHeaders, responseTap.bytes(), options.copyLimit),
          durationMs,
        }
      },
      requestBytes,
      requestHeaders: req.headers,
      complete: !requestTap.overflow && !responseTap.overflow,
    })
  }

  const server = createServer((req, res) => {
    if (options.livePage !== undefined && req.method === 'GET' && req.url === LIVE_PATH) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(options.livePage())
      return
    }
    // Every failure of the exchange is handled inside; this only keeps a bug from taking the proxy down.
    const p = handle(req, res)
      .catch(() => {
        res.destroy()
      })
      .finally(() => inFlight.delete(p))
    inFlight.add(p)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host}:${port}`,
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      let grace: NodeJS.Timeout | undefined
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))])
      clearTimeout(grace)
      server.closeAllConnections()
      await closed
      await pool.destroy()
    },
  }
}
