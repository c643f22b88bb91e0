import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KNOWN_WORKERS, RUNTIME_CASES, type RuntimeCase } from './cases.ts'
import { type RunningServer, type Runtime, startServer } from './servers.ts'

interface Answer {
  readonly status: number
  readonly contentType: string | null
  readonly requestId: string | null
  readonly body: unknown
  readonly text: string
}

async function send(base: string, c: RuntimeCase, requestId: string): Promise<Answer> {
  const body = typeof c.body === 'function' ? c.body() : c.body
  const res = await fetch(base + c.path, {
    method: c.method,
    headers: { ...c.headers, 'x-request-id': requestId },
    body: body ?? null,
    signal: AbortSignal.timeout(15_000),
    ...(typeof c.body === 'function' ? { duplex: 'half' } : {}),
  } as RequestInit)
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    // non-JSON bodies are compared as text
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    requestId: res.headers.get('x-request-id'),
    body: parsed,
    text,
  }
}

/** /health is the one body allowed to differ: `runtime` by design, `uptime_s` by clock. */
function comparable(c: RuntimeCase, body: unknown): unknown {
  if (c.path !== '/health' || body === null || typeof body !== 'object') return body
  const { runtime: _r, uptime_s: _u, ...rest } = body as Record<string, unknown>
  return rest
}

const servers = new Map<Runtime, RunningServer>()
const answers = new Map<string, Record<Runtime, Answer>>()

beforeAll(async () => {
  const workerFile = join(tmpdir(), `lakehouse-workers-${process.pid}.txt`)
  writeFileSync(workerFile, `# known workers\n${KNOWN_WORKERS.join('\n')}\n`)
  const [node, bun] = await Promise.all([
    startServer('node', { args: ['--worker-ids', workerFile] }),
    startServer('bun', { args: ['--worker-ids', workerFile] }),
  ])
  servers.set('node', node)
  servers.set('bun', bun)
  // Sequential, identical bytes to each runtime; every case gets its own request id.
  for (const [i, c] of RUNTIME_CASES.entries()) {
    const id = `case-${i}`
    answers.set(c.name, { node: await send(node.url, c, id), bun: await send(bun.url, c, id) })
  }
})

afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()))
})

describe('node and bun answer identically', () => {
  it.each(RUNTIME_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const a = answers.get(c.name)
    expect(a).toBeDefined()
    if (a === undefined) return
    expect({ status: a.node.status, code: (a.node.body as { code?: string } | null)?.code }).toEqual({ status: c.status, code: c.code })
    expect(a.bun.status).toBe(a.node.status)
    expect(a.bun.contentType).toBe(a.node.contentType)
    expect(comparable(c, a.bun.body)).toEqual(comparable(c, a.node.body))
    if (c.path === '/health' && c.method === 'GET') {
      expect(a.node.body).toMatchObject({ status: 'ok', runtime: 'node', version: '0.1.0' })
      expect(a.bun.body).toMatchObject({ status: 'ok', runtime: 'bun', version: '0.1.0' })
      expect(Number.isInteger((a.bun.body as { uptime_s: number }).uptime_s)).toBe(true)
    }
    if (c.status >= 400 && c.method !== 'HEAD') {
      expect(a.node.contentType).toBe('application/problem+json')
      // fetch normalises the path (`/v1/%2e%2e/x` → `/x`) before sending; instance is what the server saw.
      const instance = new URL(c.path, 'http://x').pathname
      expect(a.node.body).toMatchObject({ type: `urn:lakehouse:problem:${c.code}`, status: c.status, instance })
    }
  })

  it('never answers 5xx to any case', () => {
    for (const [name, a] of answers) {
      expect([name, a.node.status < 500, a.bun.status < 500]).toEqual([name, true, true])
    }
  })

  it('echoes the caller request id and mints one when absent or unusable', async () => {
    for (const a of answers.values()) {
      expect(a.node.requestId).toMatch(/^case-\d+$/)
      expect(a.bun.requestId).toBe(a.node.requestId)
    }
    for (const s of servers.values()) {
      const res = await fetch(`${s.url}/health`, { headers: { 'x-request-id': 'has space' } })
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('writes a JSON access-log line per request with the request id, status and code', () => {
    for (const s of servers.values()) {
      const access = s.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === 'request')
      const malformed = access.find((r) => r.status === 400 && r.code === 'HTTP_MALFORMED_JSON')
      expect(malformed).toMatchObject({ level: 'info', runtime: s.runtime, method: 'POST', path: '/v1/validate', component: 'validator' })
      expect(typeof malformed?.reqId).toBe('string')
      expect(typeof malformed?.durMs).toBe('number')
    }
  })

  it('keeps serving after every bad input', async () => {
    for (const s of servers.values()) {
      const res = await fetch(`${s.url}/health`)
      expect(res.status).toBe(200)
    }
  })
})
