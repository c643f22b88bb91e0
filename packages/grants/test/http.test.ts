import { jsonRequest, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createGrantsService, GRANT_HEADER, GRANTS_MOUNT, type GrantsConfig, type GrantsService, grantFromRequest } from '../src/index.ts'
import { authority, flipChar, type Json, splitToken, T0, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const WORKERS = 'dataset.replace:workers'

async function service(config: Partial<GrantsConfig> = {}): Promise<GrantsService> {
  return createGrantsService(config, { authority: authority(await tempDir()) })
}

interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: Json
}

async function send(svc: GrantsService, req: Request): Promise<Reply> {
  const res = await svc.handler(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }
}

const call = (svc: GrantsService, method: string, path: string, body?: unknown) => send(svc, jsonRequest(method, path, body))

describe('grants HTTP routes', () => {
  it('refuses minting and revoking with 403 GRANT_MINT_DISABLED by default, but lists and verifies', async () => {
    const svc = await service()
    expect(svc.config.httpMint).toBe(false)
    const mint = await call(svc, 'POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '10m' })
    expect([mint.status, mint.body.code, mint.headers.get('content-type')]).toEqual([
      403,
      'GRANT_MINT_DISABLED',
      'application/problem+json',
    ])
    // Refused before the body is read: a bad body gets the same answer.
    expect((await call(svc, 'POST', GRANTS_MOUNT, 'nonsense')).body.code).toBe('GRANT_MINT_DISABLED')
    const { id, token } = await svc.authority.mint(WORKERS, 600_000)
    const revoke = await call(svc, 'DELETE', `${GRANTS_MOUNT}/${id}`)
    expect([revoke.status, revoke.body.code]).toEqual([403, 'GRANT_MINT_DISABLED'])
    const list = await call(svc, 'GET', GRANTS_MOUNT)
    expect([list.status, list.body.grants.map((g: Json) => [g.id, g.status])]).toEqual([200, [[id, 'live']]])
    const verify = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token, scope: WORKERS })
    expect([verify.status, verify.body]).toEqual([
      200,
      {
        valid: true,
        grant: { id, scope: WORKERS, issued_at: new Date(T0).toISOString(), expires_at: new Date(T0 + 600_000).toISOString() },
      },
    ])
  })

  it('runs the whole flow when httpMint is on: mint 201, verify (no consumption), list, revoke, refusals', async () => {
    const svc = await service({ httpMint: true })
    const minted = await call(svc, 'POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '10m' })
    expect(minted.status).toBe(201)
    expect(Object.keys(minted.body)).toEqual(['token', 'id', 'scope', 'issued_at', 'expires_at'])
    expect(minted.body).toMatchObject({ scope: WORKERS, expires_at: new Date(T0 + 600_000).toISOString() })
    const { token, id } = minted.body
    const byNumber = await call(svc, 'POST', GRANTS_MOUNT, { scope: 'sql.write', ttl: 500 })
    expect([byNumber.status, byNumber.body.expires_at]).toEqual([201, new Date(T0 + 500).toISOString()])

    for (let i = 0; i < 2; i++) {
      const v = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token, scope: 'dataset.replace:workers' })
      expect([v.status, v.body.valid, v.body.grant.id]).toEqual([200, true, id])
    }
    const list = await call(svc, 'GET', GRANTS_MOUNT)
    expect(list.body.grants.map((g: Json) => g.status)).toEqual(['live', 'live'])
    expect(JSON.stringify(list.body)).not.toContain('lhg1.')

    const mismatch = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token, scope: 'sql.write' })
    expect([mismatch.status, mismatch.body.code]).toEqual([403, 'GRANT_SCOPE_MISMATCH'])
    const { prefix, payloadPart, macPart } = splitToken(token)
    const tampered = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, {
      token: `${prefix}.${payloadPart}.${flipChar(macPart, 5)}`,
      scope: WORKERS,
    })
    expect([tampered.status, tampered.body.code, tampered.body.instance]).toEqual([403, 'GRANT_TAMPERED', '/v1/grants/verify'])

    const revoked = await call(svc, 'DELETE', `${GRANTS_MOUNT}/${id}`)
    expect([revoked.status, revoked.body.status, revoked.body.id]).toEqual([200, 'revoked', id])
    const after = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token, scope: WORKERS })
    expect([after.status, after.body.code]).toEqual([403, 'GRANT_REVOKED'])
    const missing = await call(svc, 'DELETE', `${GRANTS_MOUNT}/${'0'.repeat(32)}`)
    expect([missing.status, missing.body.code]).toEqual([404, 'GRANT_NOT_FOUND'])
    const odd = await call(svc, 'DELETE', `${GRANTS_MOUNT}/..%2F..%2Fsecret.key`)
    expect(odd.status).toBe(404)
    await svc.close()
  })

  it('answers verify of a consumed grant with 409 GRANT_REUSED, and of malformed tokens with 400', async () => {
    const svc = await service()
    const { token } = await svc.authority.mint('sql.write', 60_000)
    await svc.authority.consume(token, 'sql.write')
    const reused = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token, scope: 'sql.write' })
    expect([reused.status, reused.body.code]).toEqual([409, 'GRANT_REUSED'])
    const malformed = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token: 'lhg1.x', scope: 'sql.write' })
    expect([malformed.status, malformed.body.code]).toEqual([400, 'GRANT_MALFORMED'])
  })

  it('answers bad bodies with 4xx, never 5xx', async () => {
    const svc = await service({ httpMint: true })
    const cases: [string, string, unknown, number, string][] = [
      ['POST', GRANTS_MOUNT, [], 400, 'HTTP_INVALID_REQUEST'],
      ['POST', GRANTS_MOUNT, {}, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS }, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS, ttl: true }, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', GRANTS_MOUNT, { scope: 7, ttl: '1m' }, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '1m', admin: true }, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '10x' }, 400, 'GRANT_INVALID_TTL'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '8d' }, 400, 'GRANT_INVALID_TTL'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS, ttl: 0 }, 400, 'GRANT_INVALID_TTL'],
      ['POST', GRANTS_MOUNT, { scope: WORKERS, ttl: 1e300 }, 400, 'GRANT_INVALID_TTL'],
      ['POST', GRANTS_MOUNT, { scope: 'root', ttl: '1m' }, 400, 'GRANT_INVALID_SCOPE'],
      ['POST', GRANTS_MOUNT, 'not json', 400, 'HTTP_MALFORMED_JSON'],
      ['POST', GRANTS_MOUNT, '', 400, 'HTTP_MALFORMED_JSON'],
      ['POST', GRANTS_MOUNT, '{"scope":[[[[[[[[[[]]]]]]]]]]}', 400, 'HTTP_JSON_TOO_DEEP'],
      ['POST', `${GRANTS_MOUNT}/verify`, null, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', `${GRANTS_MOUNT}/verify`, { token: 5, scope: WORKERS }, 400, 'HTTP_INVALID_REQUEST'],
      ['POST', `${GRANTS_MOUNT}/verify`, { token: '', scope: WORKERS }, 400, 'GRANT_MALFORMED'],
      ['POST', `${GRANTS_MOUNT}/verify`, { token: 'lhg1.a.b', scope: 'nope' }, 400, 'GRANT_INVALID_SCOPE'],
      ['POST', `${GRANTS_MOUNT}/verify`, { token: 'x'.repeat(10_000), scope: WORKERS }, 400, 'GRANT_MALFORMED'],
      ['PUT', GRANTS_MOUNT, { scope: WORKERS, ttl: '1m' }, 405, 'HTTP_METHOD_NOT_ALLOWED'],
      ['GET', `${GRANTS_MOUNT}/verify`, undefined, 405, 'HTTP_METHOD_NOT_ALLOWED'],
      ['GET', `${GRANTS_MOUNT}/nope/deeper`, undefined, 404, 'HTTP_NOT_FOUND'],
    ]
    for (const [method, path, body, status, code] of cases) {
      const r = await call(svc, method, path, body)
      expect([method, path, body, r.status, r.body.code]).toEqual([method, path, body, status, code])
    }
    const noType = await send(svc, new Request(TEST_ORIGIN + GRANTS_MOUNT, { method: 'POST', body: '{}' }))
    expect([noType.status, noType.body.code]).toEqual([415, 'HTTP_UNSUPPORTED_MEDIA_TYPE'])
    const big = await call(svc, 'POST', `${GRANTS_MOUNT}/verify`, { token: 'x'.repeat(20_000), scope: WORKERS })
    expect([big.status, big.body.code]).toEqual([413, 'HTTP_BODY_TOO_LARGE'])
  })

  it('checks each body against its schema: every problem listed, in the shared reason tokens', async () => {
    const svc = await service({ httpMint: true })
    const reasons = async (path: string, body: unknown) => {
      const r = await call(svc, 'POST', path, body)
      expect([r.status, r.body.code]).toEqual([400, 'HTTP_INVALID_REQUEST'])
      return r.body.errors.map((e: { field: string; reason: string }) => [e.field, e.reason])
    }
    expect(await reasons(GRANTS_MOUNT, { scope: 7, ttl: true, admin: true })).toEqual([
      ['$.admin', 'additional_property'],
      ['$.scope', 'type'],
      ['$.ttl', 'type'],
    ])
    expect(await reasons(GRANTS_MOUNT, { scope: WORKERS })).toEqual([['$.ttl', 'required']])
    expect(await reasons(GRANTS_MOUNT, [])).toEqual([['$', 'type']])
    expect(await reasons(`${GRANTS_MOUNT}/verify`, { token: 5, scopes: WORKERS })).toEqual([
      ['$.scope', 'required'],
      ['$.scopes', 'additional_property'],
      ['$.token', 'type'],
    ])
    // The semantic checks run after the schema, with their own codes.
    const ttl = await call(svc, 'POST', GRANTS_MOUNT, { scope: WORKERS, ttl: 1.5 })
    expect([ttl.status, ttl.body.code]).toEqual([400, 'GRANT_INVALID_TTL'])
  })

  it('refuses bad config at creation with CONFIG_INVALID', async () => {
    const auth = authority(await tempDir())
    for (const config of [{ httpMint: 'yes' as unknown as boolean }, { maxBodyBytes: 10 }, { maxJsonDepth: 0 }]) {
      let code: string | undefined
      try {
        createGrantsService(config, { authority: auth })
      } catch (err) {
        code = (err as { code?: string }).code
      }
      expect(code).toBe('CONFIG_INVALID')
    }
  })
})

describe('grantFromRequest', () => {
  it('reads the Lakehouse-Grant header, case-insensitively, ignoring blank values', () => {
    expect(GRANT_HEADER).toBe('lakehouse-grant')
    const req = (headers: Record<string, string>) => new Request(`${TEST_ORIGIN}/x`, { headers })
    expect(grantFromRequest(req({ 'Lakehouse-Grant': 'lhg1.a.b' }))).toBe('lhg1.a.b')
    expect(grantFromRequest(req({ 'LAKEHOUSE-GRANT': ' lhg1.a.b ' }))).toBe('lhg1.a.b')
    expect(grantFromRequest(req({ 'lakehouse-grant': '   ' }))).toBeUndefined()
    expect(grantFromRequest(req({}))).toBeUndefined()
  })
})
