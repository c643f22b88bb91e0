import { execFileSync } from 'node:child_process'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { type Runtime, runApp, startServer } from './servers.ts'

const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const PRIMARY = 'runtime-primary-token-0123456789abcdef'
const SECONDARY = 'runtime-secondary-token-0123456789abcdef'

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

/** node:http, not fetch: fetch may not set Host, and the rebinding test must. */
function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  const url = new URL(path, base)
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: 10_000 }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` })

function multipartCsv(): { body: Buffer; type: string } {
  const b = 'lakehouse-access-test'
  const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--${b}--\r\n`
  return { body: Buffer.from(body), type: `multipart/form-data; boundary=${b}` }
}

function canUnshareNetwork(): boolean {
  try {
    execFileSync('unshare', ['-rn', 'true'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe.each(RUNTIMES)('issue 11: %s network edge', (runtime) => {
  it('auth: 401 + WWW-Authenticate without or with a wrong token, primary and secondary accepted, /health exempt, tokens never logged', async () => {
    const s = await startServer(runtime, { env: { LAKEHOUSE_AUTH_TOKEN: PRIMARY, LAKEHOUSE_AUTH_TOKEN_SECONDARY: SECONDARY } })
    try {
      const none = await call(s.url, 'GET', '/v1/catalog/datasets')
      expect(none.status).toBe(401)
      expect(none.headers['www-authenticate']).toBe('Bearer realm="lakehouse"')
      expect(JSON.parse(none.body)).toMatchObject({ code: 'GATEWAY_TOKEN_MISSING', status: 401 })
      const wrong = await call(
        s.url,
        'POST',
        '/v1/query/sql',
        { ...bearer(`${PRIMARY}x`), 'content-type': 'application/json' },
        '{"sql":"SELECT 1"}',
      )
      expect(wrong.status).toBe(401)
      expect(JSON.parse(wrong.body).code).toBe('GATEWAY_TOKEN_INVALID')
      expect(wrong.body).not.toContain(PRIMARY)
      for (const token of [PRIMARY, SECONDARY]) {
        const ok = await call(
          s.url,
          'POST',
          '/v1/query/sql',
          { ...bearer(token), 'content-type': 'application/json' },
          '{"sql":"SELECT 1 AS one"}',
        )
        expect(ok.status, token).toBe(200)
      }
      expect((await call(s.url, 'GET', '/health')).status).toBe(200)
    } finally {
      await s.stop()
    }
    const logged = [...s.lines, ...s.stderr].join('\n')
    expect(logged).toContain('GATEWAY_TOKEN_MISSING')
    expect(logged).not.toContain(PRIMARY)
    expect(logged).not.toContain(SECONDARY)
  })

  it('rotation: the old token works as a secondary after the switch and stops working when it is dropped', async () => {
    const next = 'runtime-next-token-0123456789abcdef'
    const during = await startServer(runtime, { env: { LAKEHOUSE_AUTH_TOKEN: next, LAKEHOUSE_AUTH_TOKEN_SECONDARY: PRIMARY } })
    try {
      expect((await call(during.url, 'GET', '/v1/catalog/datasets', bearer(PRIMARY))).status).toBe(200)
      expect((await call(during.url, 'GET', '/v1/catalog/datasets', bearer(next))).status).toBe(200)
    } finally {
      await during.stop()
    }
    const after = await startServer(runtime, { env: { LAKEHOUSE_AUTH_TOKEN: next, LAKEHOUSE_AUTH_TOKEN_SECONDARY: '' } })
    try {
      expect((await call(after.url, 'GET', '/v1/catalog/datasets', bearer(PRIMARY))).status).toBe(401)
      expect((await call(after.url, 'GET', '/v1/catalog/datasets', bearer(next))).status).toBe(200)
    } finally {
      await after.stop()
    }
  })

  it('IP allowlist: 403 GATEWAY_ADDRESS_DENIED outside the ranges, served inside (IPv4 and IPv6 peers)', async () => {
    const denied = await startServer(runtime, { args: ['--allow-ip', '10.0.0.0/8,fd00::/8'] })
    try {
      const r = await call(denied.url, 'GET', '/v1/catalog/datasets')
      expect(r.status).toBe(403)
      expect(JSON.parse(r.body)).toMatchObject({ code: 'GATEWAY_ADDRESS_DENIED' })
      expect((await call(denied.url, 'GET', '/health')).status).toBe(200)
    } finally {
      await denied.stop()
    }
    const allowed = await startServer(runtime, { args: ['--allow-ip', '127.0.0.0/8,::1'] })
    try {
      expect((await call(allowed.url, 'GET', '/v1/catalog/datasets')).status).toBe(200)
    } finally {
      await allowed.stop()
    }
    const v6 = await startServer(runtime, { args: ['--host', '::1', '--allow-ip', '::1/128'] })
    try {
      expect(v6.url).toContain('[::1]')
      expect((await call(v6.url, 'GET', '/v1/catalog/datasets', { host: `[::1]:${new URL(v6.url).port}` })).status).toBe(200)
    } finally {
      await v6.stop()
    }
  })

  it('DNS rebinding (reproduction): Host: rebind.attacker.example → 421, loopback names served', async () => {
    const s = await startServer(runtime)
    try {
      const r = await call(s.url, 'GET', '/v1/catalog/datasets', { host: 'rebind.attacker.example' })
      expect(r.status).toBe(421)
      expect(JSON.parse(r.body)).toMatchObject({ code: 'GATEWAY_HOST_NOT_ALLOWED' })
      expect((await call(s.url, 'GET', '/v1/catalog/datasets', { host: `localhost:${new URL(s.url).port}` })).status).toBe(200)
    } finally {
      await s.stop()
    }
  })

  it('cross-origin ingest (reproduction): a multipart POST with Origin: https://evil.example → 403, no dataset created, no CORS headers', async () => {
    const s = await startServer(runtime)
    try {
      const mp = multipartCsv()
      const r = await call(s.url, 'POST', '/v1/ingest/x', { origin: 'https://evil.example', 'content-type': mp.type }, mp.body)
      expect(r.status).toBe(403)
      expect(JSON.parse(r.body)).toMatchObject({ code: 'GATEWAY_CROSS_ORIGIN' })
      expect(r.headers['access-control-allow-origin']).toBeUndefined()
      expect((await call(s.url, 'GET', '/v1/catalog/datasets/x')).status).toBe(404)
      // The same upload without an Origin (curl, the CLI) is served.
      expect((await call(s.url, 'POST', '/v1/ingest/x', { 'content-type': mp.type }, mp.body)).status).toBe(201)
    } finally {
      await s.stop()
    }
  })

  it('a configured origin gets a preflight and CORS headers', async () => {
    const s = await startServer(runtime, { args: ['--allow-origin', 'https://app.example'] })
    try {
      const pre = await call(s.url, 'OPTIONS', '/v1/query/sql', { origin: 'https://app.example', 'access-control-request-method': 'POST' })
      expect(pre.status).toBe(204)
      expect(pre.headers['access-control-allow-origin']).toBe('https://app.example')
      const post = await call(
        s.url,
        'POST',
        '/v1/query/sql',
        { origin: 'https://app.example', 'content-type': 'application/json' },
        '{"sql":"SELECT 1"}',
      )
      expect(post.status).toBe(200)
      expect(post.headers['access-control-allow-origin']).toBe('https://app.example')
    } finally {
      await s.stop()
    }
  })

  it('a non-loopback bind without a token exits 2 naming the fix; the token value is never printed', async () => {
    const open = await runApp(runtime, ['--host', '0.0.0.0', '--port', '0'], 20_000, { env: { LAKEHOUSE_AUTH_TOKEN: '' } })
    expect(open.exit.code).toBe(2)
    expect(open.stderr).toContain('LAKEHOUSE_AUTH_TOKEN')
    expect(open.stderr).toContain('bind 127.0.0.1')
    const weak = await runApp(runtime, ['--port', '0'], 20_000, { env: { LAKEHOUSE_AUTH_TOKEN: 'weak-secret' } })
    expect(weak.exit.code).toBe(2)
    expect(weak.stderr).not.toContain('weak-secret')
  })

  // Binding 0.0.0.0 for real happens inside a private network namespace (unshare -rn), where the
  // only interface is a down loopback: nothing outside the test can reach the server.
  it.skipIf(!canUnshareNetwork())('a non-loopback bind with a token starts (in a private network namespace)', async () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim()
    const r = await runApp(runtime, ['--host', '0.0.0.0', '--port', '0', '--data-dir', dir], 30_000, {
      env: { LAKEHOUSE_AUTH_TOKEN: PRIMARY },
      prefix: ['unshare', '-rn'],
      stopOn: '"listening"',
    })
    execFileSync('rm', ['-rf', dir])
    expect(r.stdout).toMatch(/"msg":"listening".*"url":"http:\/\/0\.0\.0\.0:\d+"/)
    expect(r.exit.code).toBe(0)
    expect(r.stdout).toContain('"auth":"bearer (1 token)"')
    expect(r.stdout + r.stderr).not.toContain(PRIMARY)
  })
})
