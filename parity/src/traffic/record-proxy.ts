/**
 * The recording reverse proxy behind `pnpm parity record`: a node:http server on loopback
 * that forwards every request to one target (an undici Pool) and hands each completed
 * exchange to `onExchange`. Bodies stream through in both directions — a client sees the
 * first byte of a slow or large answer as soon as the target sends it — while a bounded copy
 * of each body (`maxBodyBytes`) is kept for the record.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline as pipelineCallback, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Pool } from 'undici'
import type { ObservedBody } from '../model.ts'
import { httpUrl } from '../targets/http-url.ts'
import type { LoggedExchange } from './exchange-log.ts'
import { classifyBody, decodeContentEncoding } from './observed-body.ts'

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** The one host the proxy binds: it sees credentials and bodies before redaction. */
export const RECORD_LISTEN_HOST = '127.0.0.1'

/** A proxy that cannot start: bad listen address, port taken, target not an http(s) URL. */
export class RecordProxyError extends Error {
  override readonly name = 'RecordProxyError'
}

export interface RecordProxyOptions {
  readonly host: string
  /** 0 picks a free port; `RecordProxy.port` says which. */
  readonly port: number
  /** Base URL of the recorded service; a path prefix is prepended to every request path. */
  readonly target: string
  readonly maxBodyBytes?: number
  /** Requests forwarded before the proxy refuses more (503) and calls `onLimit` once. */
  readonly maxExchanges?: number
  readonly timeouts?: { readonly connectMs: number; readonly headersMs: number; readonly bodyMs: number }
  readonly onExchange?: (entry: LoggedExchange) => void
  readonly onTargetError?: (method: string, target: string, message: string) => void
  readonly onLimit?: () => void
  /** `onExchange` threw (the log could not be written): the exchange is lost, the proxy goes on. */
  readonly onRecordError?: (error: unknown) => void
}

export interface RecordProxyStats {
  /** Exchanges handed to `onExchange`, truncated ones included. */
  readonly recorded: number
  /** Of those, exchanges with a body over the cap. */
  readonly truncated: number
  /** Requests answered 502 (or cut off) because the target failed; never recorded. */
  readonly targetErrors: number
  /** Exchanges the client abandoned before the answer was complete; never recorded. */
  readonly aborted: number
  /** Requests refused without forwarding: after the stop or the limit, or not origin-form. */
  readonly refused: number
  readonly inFlight: number
}

export interface RecordProxy {
  readonly url: string
  readonly port: number
  stats(): RecordProxyStats
  /** Closes the listener; requests still arriving on open connections get 503. */
  stopAccepting(): void
  /** Resolves with 0 once nothing is in flight, or after `timeoutMs` with the number left. */
  drain(timeoutMs: number): Promise<number>
  /** Cuts every connection and the pool; call after `drain`. */
  close(): Promise<void>
}

/** RFC 9110 §7.6.1 connection-specific fields, plus those a `Connection` header names. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // undici refuses it, and node:http has already answered 100-continue to the client.
  'expect',
])

export async function startRecordProxy(options: RecordProxyOptions): Promise<RecordProxy> {
  if (options.host !== RECORD_LISTEN_HOST) {
    throw new RecordProxyError(
      `--listen host must be ${RECORD_LISTEN_HOST}, got ${options.host}: the proxy sees credentials and bodies before redaction`,
    )
  }
  const targetUrl = httpUrl('--target', options.target, (m) => new RecordProxyError(m))
  const prefix = targetUrl.pathname.replace(/\/$/, '')
  const cap = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const timeouts = options.timeouts ?? { connectMs: 5_000, headersMs: 60_000, bodyMs: 60_000 }
  const pool = new Pool(targetUrl.origin, {
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  })

  const counts = { recorded: 0, truncated: 0, targetErrors: 0, aborted: 0, refused: 0, inFlight: 0 }
  let admitted = 0
  let stopping = false
  const drainWaiters = new Set<() => void>()

  const forward = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const startedAt = new Date().toISOString()
    const t0 = performance.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const headers = requestHeaders(req.rawHeaders, targetUrl.host)
    const abort = new AbortController()
    // Which side failed first: a failing target also ends the client's response, and a client
    // hanging up also fails the target's body (the abort) — the first one is the cause.
    let firstFailure: 'client' | 'target' | undefined
    res.on('close', () => {
      if (res.writableFinished) return
      firstFailure ??= 'client'
      abort.abort()
    })

    const reqTap = new BodyTap(cap)
    let body: Transform | null = null
    if (hasRequestBody(req)) {
      body = tapStream(reqTap)
      // The callback form destroys the tap when the client aborts, so undici's upload fails too.
      pipelineCallback(req, body, () => {})
    }
    const targetError = (e: unknown) => {
      counts.targetErrors++
      const code = (e as { code?: string }).code
      const message = `${method} ${targetUrl.origin}${prefix}${path} failed: ${code ?? ''} ${e instanceof Error ? e.message : String(e)}`
        .replace(/\s+/g, ' ')
        .trim()
      options.onTargetError?.(method, path, message)
      // An upload the target never read is still arriving: end the connection after the 502.
      sendProblem(res, 502, 'Bad Gateway', message, !req.complete)
    }

    let upstream: Awaited<ReturnType<Pool['request']>>
    try {
      upstream = await pool.request({
        method: method as 'GET',
        path: prefix + path,
        headers: headers.forward,
        body,
        signal: abort.signal,
      })
    } catch (e) {
      if (firstFailure === 'client' || req.socket.destroyed) counts.aborted++
      else targetError(e)
      return
    }

    const responseHeaders = flattenHeaders(upstream.headers)
    res.writeHead(upstream.statusCode, forwardable(upstream.headers))
    // Headers go out now, not with the first body chunk: a slow or streaming answer starts at once.
    res.flushHeaders()
    const resTap = new BodyTap(cap)
    upstream.body.once('error', () => {
      firstFailure ??= 'target'
    })
    try {
      await pipeline(upstream.body, tapStream(resTap), res)
    } catch (e) {
      if (firstFailure === 'client') counts.aborted++
      else targetError(e)
      return
    }

    const entry = buildEntry({
      startedAt,
      method,
      path,
      requestHeaders: headers.recorded,
      reqTap,
      status: upstream.statusCode,
      responseHeaders,
      resTap,
      durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
      cap,
    })
    counts.recorded++
    if (entry.truncated !== undefined) counts.truncated++
    try {
      options.onExchange?.(entry)
    } catch (e) {
      options.onRecordError?.(e)
    }
  }

  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    if (stopping || (options.maxExchanges !== undefined && admitted >= options.maxExchanges)) {
      counts.refused++
      sendProblem(res, 503, 'Service Unavailable', 'the recording has stopped', true)
      return
    }
    if (!path.startsWith('/')) {
      // Absolute-form or `*`: a client using this as a forward proxy, which it is not.
      counts.refused++
      sendProblem(res, 400, 'Bad Request', `a reverse proxy for ${options.target}: send origin-form paths, got ${path}`, true)
      return
    }
    admitted++
    if (admitted === options.maxExchanges) options.onLimit?.()
    counts.inFlight++
    forward(req, res, path)
      .catch((e) => {
        counts.targetErrors++
        options.onTargetError?.(req.method ?? 'GET', path, e instanceof Error ? e.message : String(e))
        res.destroy()
      })
      .finally(() => {
        counts.inFlight--
        if (counts.inFlight === 0) for (const wake of drainWaiters) wake()
      })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new RecordProxyError(`cannot listen on ${options.host}:${options.port}: ${e.code ?? e.message}`)),
    )
    server.listen(options.port, options.host, () => resolve())
  }).catch(async (e) => {
    await pool.destroy()
    throw e
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://${options.host}:${port}`,
    port,
    stats: () => ({ ...counts }),
    stopAccepting() {
      if (stopping) return
      stopping = true
      server.close()
      server.closeIdleConnections()
    },
    drain(timeoutMs) {
      if (counts.inFlight === 0) return Promise.resolve(0)
      return new Promise<number>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          drainWaiters.delete(done)
          resolve(counts.inFlight)
        }
        const timer = setTimeout(done, timeoutMs)
        drainWaiters.add(done)
      })
    },
    async close() {
      stopping = true
      server.close()
      server.closeAllConnections()
      await pool.destroy()
    },
  }
}

// ── bodies ──────────────────────────────────────────────────────────────────────────────

/** The first `cap` bytes of a body, or nothing once it is over the cap; always its total size. */
class BodyTap {
  private chunks: Buffer[] = []
  private kept = 0
  total = 0
  truncated = false
  constructor(private readonly cap: number) {}
  add(chunk: Buffer): void {
    this.total += chunk.byteLength
    if (this.truncated) return
    if (this.kept + chunk.byteLength > this.cap) {
      this.truncated = true
      this.chunks = []
      this.kept = 0
      return
    }
    this.chunks.push(chunk)
    this.kept += chunk.byteLength
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept)
  }
}

function tapStream(tap: BodyTap): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      tap.add(chunk)
      callback(null, chunk)
    },
  })
}

function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  if (length !== undefined) return length.trim() !== '0'
  return req.headers['transfer-encoding'] !== undefined
}

/**
 * One side's body and headers as recorded. A body with a `content-encoding` undici does not
 * undo is recorded decoded, and its `content-encoding` and `content-length` are dropped from
 * the record, so the record describes the body it holds. Over the cap: no body, `truncated`.
 */
function recordedSide(tap: BodyTap, headers: Record<string, string>, cap: number): { body: ObservedBody; headers: Record<string, string> } {
  if (tap.truncated) return { body: EMPTY, headers }
  const bytes = tap.bytes()
  const encoding = headers['content-encoding']
  const decoded = encoding === undefined || bytes.byteLength === 0 ? undefined : decodeContentEncoding(encoding, bytes, cap)
  if (decoded === undefined) return { body: classifyBody(headers['content-type'], bytes), headers }
  const { 'content-encoding': _encoding, 'content-length': _length, ...rest } = headers
  return { body: classifyBody(headers['content-type'], decoded), headers: rest }
}

interface EntryParts {
  readonly startedAt: string
  readonly method: string
  readonly path: string
  readonly requestHeaders: Record<string, string>
  readonly reqTap: BodyTap
  readonly status: number
  readonly responseHeaders: Record<string, string>
  readonly resTap: BodyTap
  readonly durationMs: number
  readonly cap: number
}

function buildEntry(p: EntryParts): LoggedExchange {
  const truncated: { request?: number; response?: number } = {}
  if (p.reqTap.truncated) truncated.request = p.reqTap.total
  if (p.resTap.truncated) truncated.response = p.resTap.total
  const request = recordedSide(p.reqTap, p.requestHeaders, p.cap)
  const response = recordedSide(p.resTap, p.responseHeaders, p.cap)
  return {
    startedAt: p.startedAt,
    method: p.method,
    target: p.path,
    requestHeaders: request.headers,
    requestBody: request.body,
    status: p.status,
    responseHeaders: response.headers,
    responseBody: response.body,
    durationMs: p.durationMs,
    ...(p.reqTap.truncated || p.resTap.truncated ? { truncated } : {}),
  }
}

const EMPTY: ObservedBody = Object.freeze({ kind: 'empty' })

// ── headers ─────────────────────────────────────────────────────────────────────────────

function connectionNamed(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((s) => s.trim().toLowerCase()))
}

/**
 * The client's headers as forwarded (hop-by-hop removed, `host` the target's; repeats kept
 * as repeats) and as recorded (lower-case, repeats joined with ", ", as `Observed` does).
 */
function requestHeaders(raw: readonly string[], targetHost: string) {
  const named = new Set<string>()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'connection') for (const n of connectionNamed(raw[i + 1])) named.add(n)
  }
  const lists: Record<string, string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase()
    if (name === 'host' || HOP_BY_HOP.has(name) || named.has(name)) continue
    const list = lists[name] ?? []
    list.push(raw[i + 1] ?? '')
    lists[name] = list
  }
  // undici takes a repeated header as an array, but `host` only as a string.
  const forward: Record<string, string | string[]> = { host: targetHost }
  const recorded: Record<string, string> = { host: targetHost }
  for (const [k, v] of Object.entries(lists)) {
    forward[k] = v.length === 1 ? (v[0] as string) : v
    recorded[k] = v.join(', ')
  }
  return { forward, recorded }
}

type UndiciHeaders = Record<string, string | string[] | undefined>

function forwardable(headers: UndiciHeaders): Record<string, string | string[]> {
  const named = connectionNamed(typeof headers.connection === 'string' ? headers.connection : undefined)
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase()
    if (v === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue
    out[name] = v
  }
  return out
}

function flattenHeaders(headers: UndiciHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(forwardable(headers))) out[k] = Array.isArray(v) ? v.join(', ') : v
  return out
}

function sendProblem(res: ServerResponse, status: number, title: string, detail: string, close: boolean): void {
  if (res.headersSent) {
    // The status line is gone already: cutting the connection is the only way to say "failed".
    res.destroy()
    return
  }
  const body = JSON.stringify({ type: 'about:blank', title, status, detail })
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  })
  res.end(body)
}
