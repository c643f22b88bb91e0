import { join } from 'node:path'
import { buildRequest, findRepoRoot, loadCases, type ParityCase } from '@lakehouse/parity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, type Runtime, startServer } from './servers.ts'

/**
 * The parity corpus sent byte-for-byte to both apps, checked strictly: identical status,
 * content type and body text (only /health's runtime and uptime may differ), the corpus's
 * expected status, request ids and the access log. `pnpm parity` does the classified diff;
 * this is the blunt both-runtimes check that needs no differ.
 */
interface Answer {
  readonly status: number
  readonly contentType: string | null
  readonly requestId: string | null
  readonly text: string
}

const root = findRepoRoot()
// Gateway and validator cases plus the setup cases they rely on (loadCases keeps those);
// data-plane answers carry per-target timestamps, which only the differ's rules can ignore.
// fetch cannot set Host (a forbidden header it silently drops), so the rebinding case is left to
// `pnpm parity` (undici) and test/access.test.ts (node:http).
const cases: ParityCase[] = loadCases({ caseDir: join(root, 'parity/cases'), root, tags: ['gateway', 'validator'] }).filter(
  (c) => c.steps.length === 1 && !Object.keys(c.steps[0]?.headers ?? {}).some((h) => h.toLowerCase() === 'host'),
)
const servers = new Map<Runtime, RunningServer>()
const answers = new Map<string, Record<Runtime, Answer>>()

async function send(base: string, c: ParityCase, requestId: string): Promise<Answer> {
  const step = c.steps[0]
  if (step === undefined) throw new Error(`${c.id} has no step`)
  const req = buildRequest(step, new Map(), c.id)
  const headers = { ...req.headers }
  // A case that sets its own request id keeps it; the others get a per-case one to check the echo.
  if (!('x-request-id' in headers)) headers['x-request-id'] = requestId
  const res = await fetch(base + req.path, {
    method: req.method,
    headers,
    body: req.body === undefined ? null : new Blob([req.body as Uint8Array<ArrayBuffer>]),
    signal: AbortSignal.timeout(15_000),
  })
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    requestId: res.headers.get('x-request-id'),
    text: await res.text(),
  }
}

function comparable(c: ParityCase, text: string): string {
  if (!c.steps[0]?.path.startsWith('/health') || text === '') return text
  const { runtime: _r, uptime_s: _u, ...rest } = JSON.parse(text) as Record<string, unknown>
  return JSON.stringify(rest)
}

beforeAll(async () => {
  const args = ['--worker-ids', join(root, 'parity/fixtures/worker-ids.txt')]
  const [node, bun] = await Promise.all([startServer('node', { args }), startServer('bun', { args })])
  servers.set('node', node)
  servers.set('bun', bun)
  for (const [i, c] of cases.entries()) {
    const id = `case-${i}`
    answers.set(c.id, { node: await send(node.url, c, id), bun: await send(bun.url, c, id) })
  }
})

afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()))
})

describe('node and bun answer the corpus identically', () => {
  it('covers at least 40 single-request cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
  })

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const a = answers.get(c.id)
    if (a === undefined) throw new Error(`no answer for ${c.id}`)
    const expected = c.steps[0]?.expectStatus
    if (expected !== undefined) expect(a.node.status).toBe(expected)
    expect(a.bun.status).toBe(a.node.status)
    expect(a.bun.contentType).toBe(a.node.contentType)
    expect(comparable(c, a.bun.text)).toBe(comparable(c, a.node.text))
    if (a.node.status >= 400 && c.steps[0]?.method !== 'HEAD') {
      expect(a.node.contentType).toBe('application/problem+json')
      const problem = JSON.parse(a.node.text) as { type: string; code: string; status: number }
      expect(problem.type).toBe(`urn:lakehouse:problem:${problem.code}`)
      expect(problem.status).toBe(a.node.status)
    }
  })

  it('never answers 5xx', () => {
    for (const [id, a] of answers) expect([id, a.node.status < 500, a.bun.status < 500]).toEqual([id, true, true])
  })

  it('echoes the caller request id and mints one when it is unusable', () => {
    for (const [id, a] of answers) {
      if (id === 'gateway.request-id.replaced') {
        // Each runtime mints its own UUID for an unusable id.
        expect(a.node.requestId).toMatch(/^[0-9a-f-]{36}$/)
        expect(a.bun.requestId).toMatch(/^[0-9a-f-]{36}$/)
      } else {
        expect(a.bun.requestId, id).toBe(a.node.requestId)
        expect(a.node.requestId).toMatch(/^(case-\d+|parity-req-1)$/)
      }
    }
  })

  it('writes a JSON access-log line per request with the request id, status and code', () => {
    for (const s of servers.values()) {
      const access = s.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === 'request')
      expect(access.length).toBeGreaterThanOrEqual(cases.length)
      const malformed = access.find((r) => r.status === 400 && r.code === 'HTTP_MALFORMED_JSON')
      expect(malformed).toMatchObject({ level: 'info', runtime: s.runtime, method: 'POST', path: '/v1/validate', component: 'validator' })
      expect(typeof malformed?.reqId).toBe('string')
      expect(typeof malformed?.durMs).toBe('number')
    }
  })

  it('keeps serving after every bad input', async () => {
    for (const s of servers.values()) expect((await fetch(`${s.url}/health`)).status).toBe(200)
  })
})
