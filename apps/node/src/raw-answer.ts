import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

/**
 * Writes a Response straight onto a socket as HTTP/1.1 and closes it. For the answers Node's
 * http server would otherwise give itself below the application (clientError: a bare
 * `400 Bad Request` with no body; CONNECT: a silent close), so they are problem+json with a
 * code and a request id like every other answer (issue 12).
 */
export async function writeRawAnswer(socket: Duplex, res: Response): Promise<void> {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const body = Buffer.from(await res.arrayBuffer())
  const lines = [`HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? ''}`]
  res.headers.set('content-length', String(body.byteLength))
  res.headers.set('connection', 'close')
  for (const [k, v] of res.headers) lines.push(`${k}: ${v}`)
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]))
}
