import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { Host } from '@lakehouse/host'
import { kitErrors } from '@lakehouse/kit'
import { writeRawAnswer } from './raw-answer.ts'

/**
 * Node's http server with the gateway behind @hono/node-server's listener, and the limits of
 * docs/limits.md: headers within the header timeout (checked every second rather than Node's
 * default 30 s), idle keep-alive closed as on Bun, no whole-request deadline (a long upload at a
 * real rate is fine; a trickling body is ended by the gateway's progress guard), 16 KiB of
 * headers. Requests Node cannot turn into a Request are answered as problems too.
 */
export function createNodeServer(host: Host): Server {
  const { limits } = host.settings
  const listener = getRequestListener(
    // The peer address feeds the IP allowlist and the access log; Node reports an IPv4 peer of
    // a dual-stack socket as ::ffff:a.b.c.d, which the allowlist matches against IPv4 ranges.
    (req, env) =>
      // llhttp accepts a request line without a version (HTTP/0.9) and `HTTP/2.0`; Bun answers 505.
      env.incoming.httpVersionMajor !== 1
        ? host.gateway.answerUnparsed(
            kitErrors.problem('HTTP_VERSION_NOT_SUPPORTED', { detail: 'only HTTP/1.0 and HTTP/1.1 are served' }),
            {
              address: env.incoming.socket.remoteAddress,
            },
          )
        : host.gateway.serve(
            req,
            { address: env.incoming.socket.remoteAddress },
            {
              headerFields: env.incoming.rawHeaders.length / 2,
              setResponseHeader: (name, value) => env.outgoing.setHeader(name, value),
            },
          ),
    {
      hostname: host.settings.host,
      // A malformed Host (`[::1`) fails while the adapter builds the URL; Bun gets to the gateway,
      // which answers the same problem.
      errorHandler: () =>
        host.gateway.answerUnparsed(
          kitErrors.problem('HTTP_BAD_REQUEST', { detail: 'the request target or the Host header is malformed' }),
          {
            address: undefined,
          },
        ),
    },
  )
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: 0,
      keepAliveTimeout: limits.idleTimeoutMs,
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: limits.maxHeaderBytes,
    },
    listener,
  )
  // Unparseable requests (request line, method, target, framing, oversized headers, header
  // timeout): Node would answer a bare `400 Bad Request` with no body.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    // The HTTP/2 preface (`PRI * HTTP/2.0`) is a bad request to an HTTP/1 server, as Bun says.
    const preface = (err as { rawPacket?: Buffer }).rawPacket?.toString('latin1').startsWith('PRI * HTTP/2') === true
    const problem =
      err.code === 'HPE_INVALID_VERSION' && !preface
        ? kitErrors.problem('HTTP_VERSION_NOT_SUPPORTED', { detail: 'only HTTP/1.0 and HTTP/1.1 are served' })
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? kitErrors.problem('HTTP_HEADERS_TOO_LARGE', { detail: `the request line and headers exceed ${limits.maxHeaderBytes} bytes` })
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? kitErrors.problem('HTTP_REQUEST_TIMEOUT', {
                detail: `the request headers did not arrive within ${limits.headersTimeoutMs / 1000} s`,
              })
            : kitErrors.problem('HTTP_BAD_REQUEST', { detail: `the request could not be parsed (${err.code ?? 'parse error'})` })
    void writeRawAnswer(socket, host.gateway.answerUnparsed(problem, { address: socket.remoteAddress }))
  })
  // CONNECT never reaches the request listener; without this Node closes the socket silently.
  server.on('connect', (_req: unknown, socket: Socket) => {
    const problem = kitErrors.problem('HTTP_METHOD_NOT_ALLOWED', {
      detail: 'CONNECT is not served here; Lakehouse is not a proxy',
      headers: { allow: 'GET, HEAD, POST, PUT, DELETE' },
    })
    void writeRawAnswer(socket, host.gateway.answerUnparsed(problem, { address: socket.remoteAddress }))
  })
  return server
}
