/**
 * Fixture services for shadow mode: the primary and its secondary (same code, each with a
 * per-process random `seed` — noise), a candidate that deliberately returns `id` as a string,
 * and a candidate that never answers. Each records what it received.
 */

import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ShadowOptions } from '../../src/shadow/shadow-session.ts'

export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export interface Fixture {
  readonly url: string
  readonly received: Received[]
  close(): Promise<void>
}

export type Flavour = 'primary' | 'candidate' | 'hang'

/** 64 KiB of text, streamed in pieces: the proxy must pass it on unchanged. */
export const BIG = Array.from({ length: 1024 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(54)}\n`).join('')

export async function startFixture(flavour: Flavour): Promise<Fixture> {
  const seed = randomBytes(6).toString('hex')
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() })
      if (flavour === 'hang' && req.url !== '/') return // never answers (closed by close())
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        for (let i = 0; i < BIG.length; i += 8192) res.write(BIG.slice(i, i + 8192))
        res.end()
        return
      }
      const m = /^\/items\/(\d+)$/.exec(url.pathname)
      if (m !== null) {
        const id = Number(m[1])
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'x-served-by': 'fixture' })
        const body = { id: flavour === 'candidate' ? String(id) : id, name: `item ${id}`, seed }
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body))
        return
      }
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":"not found"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Runs `total` requests through `send`, `parallel` at a time; results in request order. */
export async function inBatches<T>(total: number, parallel: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let start = 0; start < total; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, total - start) }, (_, k) => send(start + k))
    out.push(...(await Promise.all(batch)))
  }
  return out
}

/**
 * Shadow options for tests: the given targets and report directory, loopback on a free port,
 * no per-target headers, writes not mirrored, reports written only at start and stop (the
 * timer never fires within a test); `overrides` say what a test is about.
 */
export function shadowOptions(
  targets: { readonly primary: string; readonly candidate: string; readonly secondary?: string },
  outDir: string,
  overrides: Partial<ShadowOptions> = {},
): ShadowOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    ...targets,
    headers: { primary: {}, candidate: {}, secondary: {} },
    mirrorWrites: false,
    queue: 256,
    concurrency: 4,
    timeoutMs: 10_000,
    copyLimit: 1024 * 1024,
    fullCases: 500,
    slimCases: 2_000,
    reportEveryMs: 600_000,
    outDir,
    failOn: 'any',
    ...overrides,
  }
}
