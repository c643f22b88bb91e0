import { Agent, request } from 'node:http'
import type { FuzzRequest } from './http-arbitraries.ts'

/** What one runtime answered (or failed to) to one request. */
export interface Seen {
  /** `answered`, or how the exchange failed: `hang` (timed out), `closed`, `cut`, `reset`, `refused`. */
  readonly outcome: string
  readonly status: number | undefined
  readonly contentType: string | undefined
  readonly requestId: string | undefined
  readonly body: string
  readonly error?: string
  /**
   * Set when the kept-alive connection was reset as this request was sent on it (the answer is
   * then from a retry on a fresh connection): the server had answered `after` without
   * `Connection: close` and dropped the connection anyway.
   */
  readonly resetAfter?: string
  /** The request sent before this one on the same kept-alive connection, if it was reused. */
  readonly after?: string
}

export interface HttpClient {
  /** Requests queue on one kept-alive connection and go out in call order. */
  send(req: FuzzRequest, requestId: string): Promise<Seen>
  close(): void
}

interface Attempt {
  readonly seen: Seen
  readonly reusedReset: boolean
  /** The request sent before this one on the same socket, if the socket was reused. */
  readonly after: string | undefined
}

/**
 * node:http over one keep-alive connection per runtime: requests to a runtime are sent one at
 * a time, in the order generated, so state-changing requests land in the same order on both.
 */
export function createHttpClient(baseUrl: string, timeoutMs = 10_000): HttpClient {
  const url = new URL(baseUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  // The last request each socket carried: node:http's `reusedSocket` is false for a request that
  // waited in the agent's queue and then got a kept-alive socket, so reuse is tracked here.
  const lastOnSocket = new WeakMap<object, string>()

  const attempt = (req: FuzzRequest, requestId: string, viaAgent: Agent | false): Promise<Attempt> =>
    new Promise((resolve) => {
      let settled = false
      let after: string | undefined
      const done = (seen: Seen, reusedReset = false) => {
        if (settled) return
        settled = true
        resolve({ seen, reusedReset, after })
      }
      const failed = (outcome: string, error: string, reusedReset = false) =>
        done({ outcome, status: undefined, contentType: undefined, requestId: undefined, body: '', error }, reusedReset)
      const headers: Record<string, string> = { 'x-request-id': requestId, ...req.headers }
      // Framing is set explicitly: node:http sends a GET, HEAD, DELETE or OPTIONS body with neither
      // Content-Length nor chunked framing unless told, and the server then reads the body as the
      // next request. Set up front, too: with `Expect: 100-continue` node:http sends headers at once.
      if (req.body !== undefined) {
        if (req.chunked) headers['transfer-encoding'] = 'chunked'
        else headers['content-length'] = String(req.body.byteLength)
      }
      let r: ReturnType<typeof request> | undefined
      try {
        r = request(
          { host: url.hostname, port: url.port, method: req.method, path: req.target, headers, agent: viaAgent, timeout: timeoutMs },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () =>
              done({
                outcome: 'answered',
                status: res.statusCode,
                contentType: res.headers['content-type'],
                requestId: res.headers['x-request-id'] as string | undefined,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            )
            res.on('error', (e) => failed('cut', e.message))
          },
        )
      } catch (e) {
        // node:http refused to frame the request: a generator bug, not a server finding.
        failed('refused', e instanceof Error ? e.message : String(e))
        return
      }
      const sent = r
      sent.on('socket', (socket) => {
        after = lastOnSocket.get(socket)
        lastOnSocket.set(socket, requestId)
      })
      sent.on('timeout', () => {
        failed('hang', `no answer within ${timeoutMs} ms`)
        sent.destroy()
      })
      sent.on('error', (e: NodeJS.ErrnoException) => {
        // A socket the server already reset can fail before its 'socket' event has run.
        if (after === undefined && sent.socket !== null) after = lastOnSocket.get(sent.socket)
        const reset = e.code === 'ECONNRESET' || e.code === 'EPIPE'
        failed(
          reset ? 'reset' : 'closed',
          `${e.code ?? ''} ${e.message}${sent.reusedSocket ? ' on a reused connection' : ''}`,
          reset && sent.reusedSocket,
        )
      })
      if (req.body === undefined) sent.end()
      else if (req.chunked) {
        sent.write(req.body)
        sent.end()
      } else sent.end(req.body)
    })

  return {
    async send(req, requestId) {
      const first = await attempt(req, requestId, agent)
      if (!first.reusedReset) return first.after === undefined ? first.seen : { ...first.seen, after: first.after }
      // The reset belongs to the previous exchange; judge this request on a fresh connection.
      const retry = await attempt(req, requestId, false)
      return { ...retry.seen, resetAfter: first.after }
    },
    close: () => agent.destroy(),
  }
}
