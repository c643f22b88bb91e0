import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isProblem } from '@lakehouse/kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseUpstream } from '../src/split/split-config.ts'
import { createUpstreamClient, forwardedRequest } from '../src/split/upstream-client.ts'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  bytes: number
}

// A stand-in upstream under a sub-path: it records what arrives and answers from it.
let server: Server
let origin = ''
const seen: Seen[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes })
      if (req.url?.startsWith('/api/internal/v1/catalog/snapshot')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":{"seq":3}}')
      } else if (req.url?.startsWith('/api/internal/v1/catalog/register')) {
        res
          .writeHead(409, { 'content-type': 'application/problem+json', 'retry-after': '7' })
          .end(
            '{"type":"urn:lakehouse:problem:CATALOG_SCHEMA_CONFLICT","title":"Schema Conflict","status":409,"detail":"d","instance":"/x","code":"CATALOG_SCHEMA_CONFLICT","existing_fingerprint":"f"}',
          )
      } else if (req.url?.startsWith('/api/v1/storage/big')) {
        // Streamed in chunks, no Content-Length.
        res.writeHead(200, { 'content-type': 'application/octet-stream', connection: 'keep-alive' })
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(16 * 1024, i))
        res.end()
      } else {
        res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end(JSON.stringify({ url: req.url, bytes }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const token = 'svc-0123456789abcdef'

describe('upstream client', () => {
  it('forwards under the sub-path with the query, encoded segments, body and service token', async () => {
    const client = createUpstreamClient(parseUpstream(`storage=${origin}/api/`), { serviceToken: token })
    try {
      const body = new Uint8Array(300_000).fill(7)
      const req = forwardedRequest(
        new Request('http://front.local/v1/storage/objects/a%20b/c%2Fd?x=1&y=%2F', {
          method: 'PUT',
          body,
          headers: { authorization: 'Bearer client-token-123456', connection: 'keep-alive', 'x-forwarded-for': '6.6.6.6' },
        }),
        'req-1',
        '10.0.0.9',
      )
      const res = await client.forward(req)
      expect(res.status).toBe(201)
      expect(res.headers.get('x-upstream')).toBe('yes')
      expect(await res.json()).toEqual({ url: '/api/v1/storage/objects/a%20b/c%2Fd?x=1&y=%2F', bytes: 300_000 })
      const last = seen.at(-1)
      expect(last?.headers.authorization).toBe(`Bearer ${token}`)
      expect(last?.headers['x-request-id']).toBe('req-1')
      expect(last?.headers['x-forwarded-for']).toBe('10.0.0.9')
      expect(last?.headers.host).toBe(new URL(origin).host)
    } finally {
      await client.close()
    }
  })

  it('streams a large answer back', async () => {
    const client = createUpstreamClient(parseUpstream(`storage=${origin}/api`), { serviceToken: token })
    try {
      const res = await client.forward(new Request('http://front.local/v1/storage/big'))
      expect(res.status).toBe(200)
      expect(res.headers.get('connection')).toBeNull()
      expect((await res.arrayBuffer()).byteLength).toBe(64 * 16 * 1024)
    } finally {
      await client.close()
    }
  })

  it('calls a seam and rethrows the upstream problem with its code, status, extensions and Retry-After', async () => {
    const client = createUpstreamClient(parseUpstream(`catalog=${origin}/api`), { serviceToken: token })
    try {
      expect(await client.call('catalog', 'snapshot', [])).toEqual({ seq: 3 })
      const err = await client.call('catalog', 'register', [{}]).catch((e: unknown) => e)
      expect(isProblem(err)).toBe(true)
      if (!isProblem(err)) return
      expect([err.code, err.status, err.extensions?.existing_fingerprint, err.headers?.['retry-after']]).toEqual([
        'CATALOG_SCHEMA_CONFLICT',
        409,
        'f',
        '7',
      ])
    } finally {
      await client.close()
    }
  })

  it('answers 502 for an upstream that is not there', async () => {
    const client = createUpstreamClient(parseUpstream('storage=http://127.0.0.1:1'), { serviceToken: token })
    try {
      const err = await client.forward(new Request('http://front.local/v1/storage/x')).catch((e: unknown) => e)
      expect(isProblem(err) && [err.code, err.status, err.headers?.['retry-after']]).toEqual(['GATEWAY_UPSTREAM_UNAVAILABLE', 502, '1'])
    } finally {
      await client.close()
    }
  })
})
