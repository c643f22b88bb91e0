import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testFileLock } from '@lakehouse/journal/testing'
import { createLogger } from '@lakehouse/kit'
import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { provision } from '@lakehouse/provision'
import { createInMemoryWorkerLookup } from '@lakehouse/validator'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway } from '../src/index.ts'

const opened: { close(): Promise<void>; dir: string }[] = []
afterEach(async () => {
  for (const g of opened.splice(0)) {
    await g.close()
    rmSync(g.dir, { recursive: true, force: true })
  }
})

async function setup(now = () => 1_000_000) {
  const lines: Record<string, unknown>[] = []
  const logger = createLogger({ level: 'info', sink: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) })
  const dataDir = mkdtempSync(join(tmpdir(), 'lakehouse-gateway-'))
  await provision(dataDir)
  const gateway = await createGateway(
    { gateway: { runtime: 'test', maxBodyBytes: 4096 } },
    { dataDir, logger, now, workers: createInMemoryWorkerLookup(['W-1']), lock: await testFileLock() },
  )
  opened.push({ close: () => gateway.close(), dir: dataDir })
  return { gateway, lines }
}

describe('createGateway', () => {
  it('serves /health with runtime, version and whole-second uptime', async () => {
    let t = 1_000_000
    const { gateway } = await setup(() => t)
    t += 2_750
    const res = await gateway.handler(new Request(`${TEST_ORIGIN}/health`))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({ status: 'ok', runtime: 'test', version: '0.1.0', uptime_s: 2 })
  })

  it('answers 405 with Allow for POST /health and 404 for unknown routes', async () => {
    const { gateway } = await setup()
    const post = await gateway.handler(new Request(`${TEST_ORIGIN}/health`, { method: 'POST' }))
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    for (const path of ['/', '/v1', '/v1/', '/v1/unknown', '/healthz']) {
      const res = await gateway.handler(new Request(TEST_ORIGIN + path))
      expect([path, res.status, (await res.json()).code]).toEqual([path, 404, 'HTTP_NOT_FOUND'])
    }
  })

  it('routes /v1/validate to the validator', async () => {
    const { gateway } = await setup()
    const res = await gateway.handler(
      jsonRequest('POST', '/v1/validate', { kind: 'fill', payload: { headcount: 1, candidate_ids: ['W-1'] } }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ valid: true, kind: 'fill' })
  })

  it('refuses a declared body over the gateway ceiling with 413 before the component reads it', async () => {
    const { gateway } = await setup()
    const req = new Request(`${TEST_ORIGIN}/v1/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '5000' },
      body: 'x'.repeat(5000),
    })
    const res = await gateway.handler(req)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ code: 'HTTP_BODY_TOO_LARGE', limit_bytes: 4096 })
  })

  it('honours or mints X-Request-Id and logs one access line per request', async () => {
    const { gateway, lines } = await setup()
    const a = await gateway.handler(new Request(`${TEST_ORIGIN}/health`, { headers: { 'x-request-id': 'req-42' } }))
    expect(a.headers.get('x-request-id')).toBe('req-42')
    const b = await gateway.handler(jsonRequest('POST', '/v1/validate', '{oops'))
    expect(b.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const access = lines.filter((l) => l.msg === 'request')
    expect(access).toHaveLength(2)
    expect(access[0]).toMatchObject({ reqId: 'req-42', method: 'GET', path: '/health', status: 200, component: 'health' })
    expect(access[1]).toMatchObject({ status: 400, code: 'HTTP_MALFORMED_JSON', component: 'validator' })
  })
})
