import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MAC_CONTEXT } from '../src/index.ts'
import { authority, codeOf, flipChar, KEY, OTHER_KEY, splitToken, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const SCOPE = 'dataset.replace:workers'

/** A token whose MAC is genuine (made with KEY) over whatever payload text the test wants. */
function signed(payloadText: string, prefix = 'lhg1'): string {
  const payloadPart = Buffer.from(payloadText, 'utf8').toString('base64url')
  const mac = createHmac('sha256', KEY)
    .update(MAC_CONTEXT + payloadPart)
    .digest('base64url')
  return `${prefix}.${payloadPart}.${mac}`
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * The same bytes spelled differently: a 32-byte MAC leaves the 2 low bits of its last
 * character unused (always 0 when canonical); setting one changes the text, not the bytes.
 */
function nonCanonical(part: string): string {
  const i = BASE64URL_ALPHABET.indexOf(part.at(-1) ?? 'A')
  const other = `${part.slice(0, -1)}${BASE64URL_ALPHABET[i ^ 1]}`
  expect(Buffer.from(other, 'base64url')).toEqual(Buffer.from(part, 'base64url'))
  return other
}

describe('grant token', () => {
  it('is lhg1.<base64url payload>.<base64url HMAC-SHA256 over the context and the payload part>', async () => {
    const auth = authority(await tempDir())
    const minted = await auth.mint(SCOPE, 60_000)
    const { prefix, payloadPart, macPart, payload } = splitToken(minted.token)
    expect(prefix).toBe('lhg1')
    expect(Object.keys(payload)).toEqual(['id', 'scope', 'iat', 'exp'])
    expect(payload).toEqual({ id: minted.id, scope: SCOPE, iat: Date.parse(minted.issued_at), exp: Date.parse(minted.expires_at) })
    expect(payload.id).toMatch(/^[0-9a-f]{32}$/)
    expect(payload.exp - payload.iat).toBe(60_000)
    const expected = createHmac('sha256', KEY).update(`lakehouse-grant-v1.${payloadPart}`).digest('base64url')
    expect(macPart).toBe(expected)
    expect(minted.token).toMatch(/^lhg1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
  })

  it('gives every grant a fresh random id', async () => {
    const auth = authority(await tempDir())
    const ids = new Set<string>()
    for (let i = 0; i < 20; i++) ids.add((await auth.mint('sql.write', 1000)).id)
    expect(ids.size).toBe(20)
  })

  it('refuses a tampered payload with GRANT_TAMPERED, whatever it was changed to', async () => {
    const auth = authority(await tempDir())
    const { token } = await auth.mint('dataset.replace:workers', 60_000)
    const { prefix, macPart, payload } = splitToken(token)
    const forge = (p: unknown) => `${prefix}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${macPart}`
    // Widened scope, extended expiry: the classic forgeries.
    expect(await codeOf(auth.verify(forge({ ...payload, scope: 'dataset.replace:*' }), 'dataset.replace:people'))).toBe('GRANT_TAMPERED')
    expect(await codeOf(auth.consume(forge({ ...payload, exp: payload.exp + 1 }), SCOPE))).toBe('GRANT_TAMPERED')
    // A payload that is garbage but valid base64url is still judged by its MAC first.
    expect(await codeOf(auth.verify(`${prefix}.${Buffer.from('not json').toString('base64url')}.${macPart}`, SCOPE))).toBe('GRANT_TAMPERED')
    // The genuine grant is untouched by all that.
    expect((await auth.consume(token, SCOPE)).id).toBe(payload.id)
  })

  it('refuses a tampered MAC with GRANT_TAMPERED', async () => {
    const auth = authority(await tempDir())
    const { token } = await auth.mint(SCOPE, 60_000)
    const { prefix, payloadPart, macPart } = splitToken(token)
    for (const i of [0, 10, 21, 40]) {
      expect(await codeOf(auth.verify(`${prefix}.${payloadPart}.${flipChar(macPart, i)}`, SCOPE))).toBe('GRANT_TAMPERED')
    }
  })

  it('refuses a token signed with another key with GRANT_TAMPERED, even on the same directory', async () => {
    const dir = await tempDir()
    const { token } = await authority(dir, { key: OTHER_KEY }).mint(SCOPE, 60_000)
    expect(await codeOf(authority(dir).verify(token, SCOPE))).toBe('GRANT_TAMPERED')
    expect(await codeOf(authority(dir).consume(token, SCOPE))).toBe('GRANT_TAMPERED')
  })

  it('refuses malformed tokens with GRANT_MALFORMED before any signature check', async () => {
    const auth = authority(await tempDir())
    const { token } = await auth.mint(SCOPE, 60_000)
    const { payloadPart, macPart } = splitToken(token)
    const cases: Record<string, string> = {
      empty: '',
      'one part': 'lhg1',
      'two parts': `lhg1.${payloadPart}`,
      'four parts': `${token}.x`,
      'empty payload': `lhg1..${macPart}`,
      'empty MAC': `lhg1.${payloadPart}.`,
      'wrong prefix': `lhg2.${payloadPart}.${macPart}`,
      'no prefix': `.${payloadPart}.${macPart}`,
      'padded base64': `lhg1.${payloadPart}.${macPart}=`,
      'standard base64 alphabet': `lhg1.${payloadPart}.${macPart.slice(0, -2)}+/`,
      'spaces inside': `lhg1.${payloadPart}. ${macPart}`,
      'short MAC': `lhg1.${payloadPart}.${macPart.slice(0, 40)}`,
      'long MAC': `lhg1.${payloadPart}.${macPart}AAAA`,
      'non-canonical last character': `lhg1.${payloadPart}.${nonCanonical(macPart)}`,
      huge: `lhg1.${'A'.repeat(4000)}.${macPart}`,
    }
    for (const [name, bad] of Object.entries(cases)) {
      expect([name, await codeOf(auth.verify(bad, SCOPE))]).toEqual([name, 'GRANT_MALFORMED'])
      expect([name, await codeOf(auth.consume(bad, SCOPE))]).toEqual([name, 'GRANT_MALFORMED'])
    }
    expect(await codeOf(auth.verify(undefined as unknown as string, SCOPE))).toBe('GRANT_MALFORMED')
  })

  it('refuses a genuinely signed payload that is not a grant with GRANT_MALFORMED', async () => {
    const auth = authority(await tempDir())
    const id = 'a'.repeat(32)
    const cases: Record<string, string> = {
      'not JSON': 'not json',
      array: '[]',
      'missing exp': JSON.stringify({ id, scope: SCOPE, iat: 1 }),
      'extra member': JSON.stringify({ id, scope: SCOPE, iat: 1, exp: 2, admin: true }),
      'id not hex': JSON.stringify({ id: 'Z'.repeat(32), scope: SCOPE, iat: 1, exp: 2 }),
      'unknown scope': JSON.stringify({ id, scope: 'root', iat: 1, exp: 2 }),
      'exp before iat': JSON.stringify({ id, scope: SCOPE, iat: 5, exp: 2 }),
      'fractional time': JSON.stringify({ id, scope: SCOPE, iat: 1.5, exp: 2 }),
      'string time': JSON.stringify({ id, scope: SCOPE, iat: '1', exp: 2 }),
    }
    for (const [name, text] of Object.entries(cases)) {
      expect([name, await codeOf(auth.verify(signed(text), SCOPE))]).toEqual([name, 'GRANT_MALFORMED'])
    }
  })
})
