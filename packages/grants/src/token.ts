import { createHmac, timingSafeEqual } from 'node:crypto'
import { isGrantScope } from './contract.ts'
import { grantErrors } from './errors.ts'

/** Version tag of the token format; a future format gets a new tag rather than a reinterpretation. */
export const TOKEN_PREFIX = 'lhg1'
/** Domain separation: should the key ever sign anything else, a grant MAC can never pass for that (or the reverse). */
export const MAC_CONTEXT = 'lakehouse-grant-v1.'
export const GRANT_KEY_BYTES = 32
const MAC_BYTES = 32
/** A real token is ~250 characters; refusing long input early bounds the work an attacker can cause. */
const MAX_TOKEN_CHARS = 2048
const BASE64URL = /^[A-Za-z0-9_-]+$/
export const GRANT_ID_PATTERN = /^[0-9a-f]{32}$/
const PAYLOAD_MEMBERS = ['id', 'scope', 'iat', 'exp']

/** What the token asserts; `iat` and `exp` are milliseconds since the epoch, valid while now < exp. */
export interface GrantPayload {
  readonly id: string
  readonly scope: string
  readonly iat: number
  readonly exp: number
}

function malformed(detail: string): never {
  throw grantErrors.problem('GRANT_MALFORMED', { detail })
}

function mac(key: Buffer, payloadPart: string): Buffer {
  return createHmac('sha256', key)
    .update(MAC_CONTEXT + payloadPart)
    .digest()
}

/**
 * Strict base64url: the alphabet only, no padding, and canonical (re-encoding gives the same
 * text). Without the last check two tokens differing in the unused low bits of the final
 * character would decode to the same bytes, and "one token" would have several spellings.
 */
function decodePart(part: string, what: string): Buffer {
  if (!BASE64URL.test(part)) malformed(`the ${what} is not base64url`)
  const bytes = Buffer.from(part, 'base64url')
  if (bytes.toString('base64url') !== part) malformed(`the ${what} is not canonical base64url`)
  return bytes
}

export function signGrant(key: Buffer, payload: GrantPayload): string {
  // Member order is fixed so the same grant always serialises to the same payload part.
  const json = JSON.stringify({ id: payload.id, scope: payload.scope, iat: payload.iat, exp: payload.exp })
  const payloadPart = Buffer.from(json, 'utf8').toString('base64url')
  return `${TOKEN_PREFIX}.${payloadPart}.${mac(key, payloadPart).toString('base64url')}`
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

function parsePayload(bytes: Buffer): GrantPayload {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return malformed('the payload is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed('the payload is not a JSON object')
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
  if (keys.length !== PAYLOAD_MEMBERS.length || !PAYLOAD_MEMBERS.every((k) => keys.includes(k))) {
    return malformed(`the payload must have exactly the members ${PAYLOAD_MEMBERS.join(', ')}`)
  }
  const { id, scope, iat, exp } = obj
  if (typeof id !== 'string' || !GRANT_ID_PATTERN.test(id)) return malformed('the payload id is not 32 lowercase hex characters')
  if (!isGrantScope(scope)) return malformed('the payload scope is not a known scope')
  if (!isTime(iat) || !isTime(exp) || exp <= iat) return malformed('the payload iat/exp are not millisecond times with exp after iat')
  return { id, scope, iat, exp }
}

/**
 * Checks the shape, then the MAC (constant-time), and only then reads the payload: nothing an
 * attacker wrote is interpreted before the signature has vouched for it.
 */
export function authenticateGrant(key: Buffer, token: unknown): GrantPayload {
  if (typeof token !== 'string' || token === '') return malformed('the token is empty')
  if (token.length > MAX_TOKEN_CHARS) return malformed(`the token is longer than ${MAX_TOKEN_CHARS} characters`)
  const parts = token.split('.')
  if (parts.length !== 3) return malformed(`a token has 3 dot-separated parts, this one has ${parts.length}`)
  const [prefix = '', payloadPart = '', macPart = ''] = parts
  if (prefix !== TOKEN_PREFIX) return malformed(`the token does not start with ${TOKEN_PREFIX}.`)
  const payloadBytes = decodePart(payloadPart, 'payload')
  const given = decodePart(macPart, 'MAC')
  if (given.length !== MAC_BYTES) return malformed(`the MAC is ${given.length} bytes, expected ${MAC_BYTES}`)
  if (!timingSafeEqual(given, mac(key, payloadPart))) {
    throw grantErrors.problem('GRANT_TAMPERED', {
      detail: 'the token signature does not match: it was altered or signed with another key',
    })
  }
  return parsePayload(payloadBytes)
}
