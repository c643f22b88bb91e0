import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'

/**
 * The service a recording test proxies: JSON, echo, binary, a large body, gzip, a slow
 * chunked answer held between its chunks until the test says the client has the first.
 */
export interface RecordFixture {
  readonly url: string
  /** Bytes of GET /large. */
  readonly largeSize: number
  /** Resolve it once the client holds the first chunk of GET /slow; then the last is sent. */
  releaseSlow(): void
  /** Set when GET /slow sent its last chunk. */
  slowFinished(): boolean
  close(): Promise<void>
}

export const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
export const GZIP_JSON = '{"compressed":true,"n":[1,2,3]}'

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startRecordFixture(largeSize = 200_000): Promise<RecordFixture> {
  let release: () => void = () => {}
  let slowGate = new Promise<void>((r) => {
    release = r
  })
  let slowDone = false
  const large = Buffer.alloc(largeSize, 'abcdefghij')
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/json') {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/'])
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' })
      res.end(req.method === 'HEAD' ? undefined : '{"id":1,"title":"first post"}')
    } else if (path === '/echo') {
      res.writeHead(201, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'x-query': req.url ?? '' })
      res.end(body)
    } else if (path === '/binary') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(BINARY)
    } else if (path === '/large') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(large)
    } else if (path === '/gzip') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(gzipSync(GZIP_JSON))
    } else if (path === '/headers') {
      const text = JSON.stringify(req.headers)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    } else if (path === '/cut') {
      // Promises 100 bytes, sends 10, hangs up: a target failing mid-answer.
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' })
      res.write('0123456789', () => res.socket?.destroy())
    } else if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('first;')
      await slowGate
      slowDone = true
      res.end('last')
    } else {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"code":"NOT_FOUND"}')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    largeSize,
    releaseSlow() {
      release()
      slowGate = new Promise<void>((r) => {
        release = r
      })
    },
    slowFinished: () => slowDone,
    async close() {
      release()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A URL nothing listens on: a server's port, after that server closed. */
export async function deadUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
