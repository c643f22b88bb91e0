import { connect } from 'node:net'

/**
 * One HTTP/1.1 exchange over a bare TCP socket, for what no HTTP client will send: bad request
 * lines, NUL bytes in the target, duplicate Content-Length, lying chunk sizes. It parses the
 * first answer just far enough to judge it (status line, headers, a Content-Length or chunked
 * body) and tells a silent close and a hang apart from an answer.
 */
export type RawOutcome =
  /** A complete response was read. */
  | 'answered'
  /** The server closed (or reset) the connection without sending a byte. */
  | 'closed'
  /** Some bytes came, then the connection closed before a complete response. */
  | 'cut'
  /** Nothing complete within the time limit. */
  | 'hang'

export interface RawAnswer {
  readonly outcome: RawOutcome
  readonly status: number | undefined
  /** Lower-cased header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** The first bytes received, for reports. */
  readonly head: string
  readonly ms: number
}

export interface RawExchange {
  /** Written in order; a `number` pauses that many milliseconds (to split a request across packets). */
  readonly writes: readonly (Uint8Array | string | number)[]
  /** After the writes: keep the socket open for the answer (default), or half-close it (`end`). */
  readonly after?: 'wait' | 'end'
  readonly timeoutMs?: number
  /** The (first) request is a HEAD: its answer has no body whatever its Content-Length says. */
  readonly head?: boolean
}

interface Parsed {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: Buffer
  /** Bytes of `buf` this response took (for parsing a second one after it). */
  readonly length: number
}

/** Parses one complete response from `buf`, or returns undefined while it is incomplete. */
export function parseResponse(buf: Buffer, closed: boolean, toHead = false): Parsed | undefined {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')
  if (m?.[1] === undefined) return undefined
  const status = Number(m[1])
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  const rest = buf.subarray(end + 4)
  // Answers to HEAD, 1xx, 204 and 304 have no body (RFC 9112 §6.3).
  if (toHead || status < 200 || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0), length: end + 4 }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const chunks: Buffer[] = []
    let at = 0
    for (;;) {
      const nl = rest.indexOf('\r\n', at)
      if (nl < 0) return closed ? { status, headers, body: Buffer.concat(chunks), length: buf.length } : undefined
      const size = Number.parseInt(rest.subarray(at, nl).toString('latin1'), 16)
      if (!Number.isFinite(size)) return { status, headers, body: Buffer.concat(chunks), length: buf.length }
      if (size === 0) {
        const trailerEnd = rest.indexOf('\r\n', nl + 2)
        return { status, headers, body: Buffer.concat(chunks), length: end + 4 + (trailerEnd < 0 ? rest.length : trailerEnd + 2) }
      }
      if (rest.length < nl + 2 + size + 2) return closed ? { status, headers, body: Buffer.concat(chunks), length: buf.length } : undefined
      chunks.push(rest.subarray(nl + 2, nl + 2 + size))
      at = nl + 2 + size + 2
    }
  }
  const length = headers['content-length']
  if (length !== undefined) {
    const n = Number(length)
    if (rest.length >= n) return { status, headers, body: rest.subarray(0, n), length: end + 4 + n }
    return closed ? { status, headers, body: rest, length: buf.length } : undefined
  }
  // No length: the body runs to the close.
  return closed ? { status, headers, body: rest, length: buf.length } : undefined
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/**
 * Sends the writes to 127.0.0.1:port and resolves with the first `answers` answers (default 1;
 * interim 1xx answers are skipped); an answer that never came is a `closed`, `cut` or `hang`.
 */
export function rawExchange(port: number, exchange: RawExchange, answers = 1): Promise<RawAnswer[]> {
  const timeoutMs = exchange.timeoutMs ?? 5_000
  const started = performance.now()
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const received: Buffer[] = []
    const got: RawAnswer[] = []
    let offset = 0
    let settled = false
    const finish = (closed: boolean, timedOut: boolean) => {
      if (settled) return
      const buf = Buffer.concat(received)
      const ms = () => Math.round(performance.now() - started)
      for (;;) {
        if (got.length >= answers) break
        const rest = buf.subarray(offset)
        // The answer to a HEAD request has headers only.
        const parsed = parseResponse(rest, closed, got.length === 0 && exchange.head === true)
        if (parsed === undefined) break
        offset += parsed.length
        if (parsed.status < 200) continue
        got.push({
          outcome: 'answered',
          status: parsed.status,
          headers: parsed.headers,
          body: parsed.body.toString('utf8'),
          head: rest.subarray(0, 300).toString('latin1'),
          ms: ms(),
        })
        if (parsed.length === 0) break
      }
      if (got.length < answers && !closed && !timedOut) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const rest = buf.subarray(offset)
      while (got.length < answers) {
        const outcome: RawOutcome = timedOut ? 'hang' : rest.length === 0 ? 'closed' : 'cut'
        got.push({ outcome, status: undefined, headers: {}, body: '', head: rest.subarray(0, 300).toString('latin1'), ms: ms() })
      }
      resolve(got)
    }
    const timer = setTimeout(() => finish(false, true), timeoutMs)
    timer.unref()
    socket.on('data', (c: Buffer) => {
      received.push(c)
      finish(false, false)
    })
    socket.on('close', () => finish(true, false))
    // ECONNRESET and EPIPE end the exchange like a close; what was received still counts.
    socket.on('error', () => finish(true, false))
    socket.on('connect', async () => {
      for (const w of exchange.writes) {
        if (settled || socket.destroyed) return
        if (typeof w === 'number') await sleep(w)
        else socket.write(typeof w === 'string' ? Buffer.from(w, 'latin1') : w)
      }
      if (exchange.after === 'end' && !socket.destroyed) socket.end()
    })
  })
}
