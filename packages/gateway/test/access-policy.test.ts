import { readJson } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { type AccessConfig, accessDefaults, createAccessPolicy } from '../src/index.ts'

const PRIMARY = 'primary-token-0123456789abcdef'
const SECONDARY = 'secondary-token-0123456789abcdef'
const LOCAL = { address: '127.0.0.1' }

function policy(config: Partial<AccessConfig> = {}) {
  return createAccessPolicy({ ...accessDefaults, ...config })
}

function req(method: string, path: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://127.0.0.1:8080${path}`, { method, headers: { host: '127.0.0.1:8080', ...headers } })
}

async function refusal(res: Response | undefined): Promise<{ status: number; code: unknown; detail: unknown; res: Response }> {
  if (res === undefined) throw new Error('expected a refusal, the request was admitted')
  const body = await readJson(res.clone())
  return { status: res.status, code: body.code, detail: body.detail, res }
}

describe('issue 11: bearer auth', () => {
  const p = policy({ tokens: [PRIMARY, SECONDARY] })

  it('answers 401 GATEWAY_TOKEN_MISSING with WWW-Authenticate: Bearer when no token is sent', async () => {
    const r = await refusal(p.admit(req('GET', '/v1/catalog/datasets'), '/v1/catalog/datasets', LOCAL))
    expect(r).toMatchObject({ status: 401, code: 'GATEWAY_TOKEN_MISSING' })
    expect(r.res.headers.get('www-authenticate')).toBe('Bearer realm="lakehouse"')
    expect(r.res.headers.get('content-type')).toBe('application/problem+json')
  })

  it('answers 401 GATEWAY_TOKEN_INVALID for a wrong token, another scheme or an empty one, never echoing it', async () => {
    for (const authorization of ['Bearer wrong-token-0123456789abcdef', `Basic ${btoa(`u:${PRIMARY}`)}`, 'Bearer', `Bearer ${PRIMARY}x`]) {
      const r = await refusal(p.admit(req('GET', '/v1/catalog/datasets', { authorization }), '/x', LOCAL))
      expect(r, authorization).toMatchObject({ status: 401, code: 'GATEWAY_TOKEN_INVALID' })
      expect(r.res.headers.get('www-authenticate')).toContain('error="invalid_token"')
      expect(await r.res.text()).not.toContain('wrong-token')
    }
  })

  it('accepts the primary and, during a rotation, every secondary token; the scheme is case-insensitive', () => {
    for (const authorization of [`Bearer ${PRIMARY}`, `bearer ${SECONDARY}`, `BEARER ${PRIMARY}`]) {
      expect(p.admit(req('POST', '/v1/query/sql', { authorization }), '/v1/query/sql', LOCAL), authorization).toBeUndefined()
    }
  })

  it('accepts a secondary token when the primary was just removed (only secondaries configured)', () => {
    const only = policy({ tokens: [SECONDARY] })
    expect(only.admit(req('GET', '/v1/x', { authorization: `Bearer ${SECONDARY}` }), '/v1/x', LOCAL)).toBeUndefined()
  })

  it('exempts /health', () => {
    expect(p.admit(req('GET', '/health'), '/health', LOCAL)).toBeUndefined()
  })

  it('checks nothing when no token is configured (loopback development)', () => {
    expect(policy().admit(req('POST', '/v1/query/sql'), '/v1/query/sql', LOCAL)).toBeUndefined()
  })

  it('never puts a token in what it describes for the config log', () => {
    expect(JSON.stringify(p.describe())).not.toContain('token-0123')
    expect(p.describe().auth).toBe('bearer (2 tokens)')
  })
})

describe('issue 11: IP allowlist', () => {
  const p = policy({ allowIps: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8'] })

  it('admits addresses inside a range, IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const address of ['10.1.2.3', '192.168.1.7', 'fd12::1', '::ffff:10.9.9.9']) {
      expect(p.admit(req('GET', '/v1/x'), '/v1/x', { address }), address).toBeUndefined()
    }
  })

  it('answers 403 GATEWAY_ADDRESS_DENIED outside every range and for an unknown peer, but not on /health', async () => {
    for (const address of ['11.0.0.1', '192.168.1.8', 'fe80::1', '::ffff:11.0.0.1', undefined]) {
      const r = await refusal(p.admit(req('GET', '/v1/x'), '/v1/x', { address }))
      expect(r, String(address)).toMatchObject({ status: 403, code: 'GATEWAY_ADDRESS_DENIED' })
    }
    expect(p.admit(req('GET', '/health'), '/health', { address: '11.0.0.1' })).toBeUndefined()
  })

  it('refuses a malformed range at creation with CONFIG_INVALID naming the setting', () => {
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'not-an-ip', '10.0.0.0/x', '10.0.0/8']) {
      expect(() => policy({ allowIps: [bad] }), bad).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', detail: expect.stringContaining('allow-ip') }),
      )
    }
  })
})

describe('issue 11: DNS rebinding (Host allowlist)', () => {
  const p = policy()

  it('answers 421 GATEWAY_HOST_NOT_ALLOWED to Host: rebind.attacker.example (reproduction)', async () => {
    const r = await refusal(p.admit(req('GET', '/v1/catalog/datasets', { host: 'rebind.attacker.example' }), '/v1/catalog/datasets', LOCAL))
    expect(r).toMatchObject({ status: 421, code: 'GATEWAY_HOST_NOT_ALLOWED' })
  })

  it('admits loopback names with or without a port, any 127/8 address, and [::1]', () => {
    for (const host of ['localhost', 'LOCALHOST:8080', '127.0.0.1:8080', '127.3.4.5', '[::1]:8080', '[::1]']) {
      expect(p.admit(req('GET', '/v1/x', { host }), '/v1/x', LOCAL), host).toBeUndefined()
    }
  })

  it('admits configured names, and anything with *', () => {
    const named = policy({ allowedHosts: [...accessDefaults.allowedHosts, 'lakehouse.internal'] })
    expect(named.admit(req('GET', '/v1/x', { host: 'lakehouse.internal:443' }), '/v1/x', LOCAL)).toBeUndefined()
    expect(policy({ allowedHosts: ['*'] }).admit(req('GET', '/v1/x', { host: 'a.example' }), '/v1/x', LOCAL)).toBeUndefined()
  })
})

describe('issue 11: cross-origin writes (Origin, Sec-Fetch-Site, CORS)', () => {
  const p = policy()

  it('answers 403 GATEWAY_CROSS_ORIGIN to a multipart POST from https://evil.example (reproduction)', async () => {
    const r = await refusal(
      p.admit(
        req('POST', '/v1/ingest/x', { origin: 'https://evil.example', 'content-type': 'multipart/form-data; boundary=b' }),
        '/v1/ingest/x',
        LOCAL,
      ),
    )
    expect(r).toMatchObject({ status: 403, code: 'GATEWAY_CROSS_ORIGIN' })
    expect(r.res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses Origin: null and Sec-Fetch-Site cross-site/same-site on every unsafe method', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const variants: Record<string, string>[] = [
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { origin: 'http://localhost:3000' },
      ]
      for (const headers of variants) {
        const r = await refusal(p.admit(req(method, '/v1/storage/objects/a', headers), '/x', LOCAL))
        expect(r.code, `${method} ${JSON.stringify(headers)}`).toBe('GATEWAY_CROSS_ORIGIN')
      }
    }
  })

  it('lets safe methods, same-origin pages and clients that are not browsers through', () => {
    expect(p.admit(req('GET', '/v1/x', { origin: 'https://evil.example' }), '/v1/x', LOCAL)).toBeUndefined()
    expect(p.admit(req('POST', '/v1/x', { origin: 'http://127.0.0.1:8080' }), '/v1/x', LOCAL)).toBeUndefined()
    expect(p.admit(req('POST', '/v1/x', { 'sec-fetch-site': 'same-origin' }), '/v1/x', LOCAL)).toBeUndefined()
    expect(p.admit(req('POST', '/v1/x', { 'sec-fetch-site': 'none' }), '/v1/x', LOCAL)).toBeUndefined()
    expect(p.admit(req('POST', '/v1/x'), '/v1/x', LOCAL)).toBeUndefined()
  })

  it('sends no CORS headers unless an origin is configured', () => {
    const res = new Response('{}')
    p.decorate(req('GET', '/v1/x', { origin: 'https://evil.example' }), res)
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([])
  })

  it('answers a configured origin: preflight 204 before auth, writes admitted, CORS headers on the answer', async () => {
    const app = 'https://app.example'
    const cors = policy({ allowedOrigins: [`${app}:443`], tokens: [PRIMARY] })
    const pre = cors.admit(
      req('OPTIONS', '/v1/query/sql', { origin: app, 'access-control-request-method': 'POST' }),
      '/v1/query/sql',
      LOCAL,
    )
    expect(pre?.status).toBe(204)
    expect(pre?.headers.get('access-control-allow-origin')).toBe(app)
    expect(pre?.headers.get('access-control-allow-headers')).toContain('authorization')
    const write = req('POST', '/v1/query/sql', { origin: app, authorization: `Bearer ${PRIMARY}` })
    expect(cors.admit(write, '/v1/query/sql', LOCAL)).toBeUndefined()
    const res = new Response('{}')
    cors.decorate(write, res)
    expect(res.headers.get('access-control-allow-origin')).toBe(app)
    expect(res.headers.get('access-control-expose-headers')).toContain('x-request-id')
    const evilPre = await refusal(
      cors.admit(req('OPTIONS', '/v1/query/sql', { origin: 'https://evil.example', 'access-control-request-method': 'POST' }), '/x', LOCAL),
    )
    expect(evilPre).toMatchObject({ status: 403, code: 'GATEWAY_CROSS_ORIGIN' })
  })

  it('refuses an origin with a path or a non-URL at creation', () => {
    for (const bad of ['https://app.example/path', 'app.example', 'null']) {
      expect(() => policy({ allowedOrigins: [bad] }), bad).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    }
  })
})
