import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testFileLock } from '@lakehouse/journal/testing'
import { createLogger } from '@lakehouse/kit'
import { provision } from '@lakehouse/provision'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessDefaults, createGateway, type Gateway } from '../src/index.ts'

const TOKEN = 'gateway-test-token-0123456789abcdef'
const ORIGIN = 'http://127.0.0.1:8080'

let gateway: Gateway
let dir: string
const lines: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lakehouse-access-'))
  await provision(dir)
  const logger = createLogger({ level: 'info', sink: (l) => lines.push(l) })
  gateway = await createGateway(
    { gateway: { runtime: 'test' }, access: { ...accessDefaults, tokens: [TOKEN] } },
    { dataDir: dir, logger, lock: await testFileLock() },
  )
})

afterAll(async () => {
  await gateway?.close()
  rmSync(dir, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`${ORIGIN}${path}`, { headers: { host: '127.0.0.1:8080', ...headers } })

describe('issue 11: the gateway network entry', () => {
  it('serve() refuses without a token, with a request id, problem+json and an access-log line naming the client', async () => {
    lines.length = 0
    const res = await gateway.serve(get('/v1/catalog/datasets', { 'x-request-id': 'auth-1' }), { address: '127.0.0.1' })
    expect(res.status).toBe(401)
    expect(res.headers.get('x-request-id')).toBe('auth-1')
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const log = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === 'auth-1')
    expect(log).toMatchObject({ status: 401, code: 'GATEWAY_TOKEN_MISSING', client: '127.0.0.1', component: 'gateway' })
  })

  it('serve() answers with the token; the token never appears in a log line or a response', async () => {
    lines.length = 0
    const ok = await gateway.serve(get('/v1/catalog/datasets', { authorization: `Bearer ${TOKEN}` }), { address: '127.0.0.1' })
    expect(ok.status).toBe(200)
    const wrong = await gateway.serve(get('/v1/catalog/datasets', { authorization: `Bearer ${TOKEN}-x` }), { address: '127.0.0.1' })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain(TOKEN)
    expect(lines.join('\n')).not.toContain(TOKEN)
    expect(JSON.stringify(gateway.describeAccess())).not.toContain(TOKEN)
  })

  it('serve() keeps /health open', async () => {
    const res = await gateway.serve(get('/health'), { address: '10.9.9.9' })
    expect(res.status).toBe(200)
  })

  it('handler (in-process: observer workflows, tests) is not subject to the network policy', async () => {
    const res = await gateway.handler(new Request(`${ORIGIN}/v1/catalog/datasets`))
    expect(res.status).toBe(200)
  })
})
