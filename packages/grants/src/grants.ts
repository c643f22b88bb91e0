import { randomBytes } from 'node:crypto'
import type { Journal } from '@lakehouse/journal'
import { type Logger, quoteCallerText, SILENT_LOGGER } from '@lakehouse/kit'
import { scopeSatisfies } from './contract.ts'
import { grantErrors } from './errors.ts'
import { createGrantStore, type RecordState } from './grant-store.ts'
import { checkScope } from './scope.ts'
import { authenticateGrant, GRANT_ID_PATTERN, GRANT_KEY_BYTES, type GrantPayload, signGrant } from './token.ts'
import { checkTtlMs } from './ttl.ts'
import type { GrantAuthority, GrantInfo, GrantListing, MintedGrant } from './types.ts'

/** Journal record kinds of the audit trail. Their data never holds the token or its MAC. */

/** The journal store (`<dataDir>/journal/<store>`) grant consumption is audited in; the CLI's mint writes there too. */
export const GRANTS_JOURNAL_STORE = 'grants'

export const GRANT_JOURNAL_KINDS = Object.freeze({
  minted: 'grant.minted',
  consumed: 'grant.consumed',
  revoked: 'grant.revoked',
} as const)

export interface GrantAuthorityOptions {
  /** The grants directory, `<data dir>/grants` (`dataLayout(dataDir).grants`, provision); state subdirectories are created on demand. */
  readonly dir: string
  /** The 32-byte HMAC key (see `loadGrantKey`); copied, so the caller may wipe its buffer. */
  readonly key: Buffer
  /** Audit trail; when given, an operation whose record cannot be appended is refused or reported as failed. */
  readonly journal?: Journal
  /** Milliseconds since the epoch, injectable for tests. */
  readonly now?: () => number
  readonly logger?: Logger
}

const iso = (ms: number) => new Date(ms).toISOString()

function infoOf(p: GrantPayload): GrantInfo {
  return { id: p.id, scope: p.scope, issued_at: iso(p.iat), expires_at: iso(p.exp) }
}

/** The refusal for a grant that is not (or no longer) in `live/`. */
function notLive(id: string, state: RecordState | undefined): never {
  switch (state) {
    case 'consumed':
      throw grantErrors.problem('GRANT_REUSED', { detail: `grant ${id} was already consumed; a grant works once`, extensions: { id } })
    case 'revoked':
      throw grantErrors.problem('GRANT_REVOKED', { detail: `grant ${id} was revoked`, extensions: { id } })
    default:
      // Also reached if a record is still live after losing a rename, which only a hand-made copy can cause.
      throw grantErrors.problem('GRANT_UNKNOWN', {
        detail: `grant ${id} has a valid signature but no record in this data directory (minted against another one?)`,
        extensions: { id },
      })
  }
}

/**
 * The grant authority of one data directory. Checks run in a fixed order, so a token has one
 * answer: required scope (GRANT_INVALID_SCOPE) → token shape (GRANT_MALFORMED) → MAC
 * (GRANT_TAMPERED) → payload (GRANT_MALFORMED) → scope (GRANT_SCOPE_MISMATCH) → record
 * (GRANT_REUSED, GRANT_REVOKED, GRANT_UNKNOWN) → expiry (GRANT_EXPIRED) → for consume, the
 * rename. Records are looked up before expiry so that a used or revoked grant keeps saying so
 * after it would have expired.
 */
export function createGrantAuthority(options: GrantAuthorityOptions): GrantAuthority {
  if (!Buffer.isBuffer(options.key) || options.key.length !== GRANT_KEY_BYTES) {
    throw grantErrors.problem('GRANT_KEY_UNAVAILABLE', {
      detail: `the grant key must be ${GRANT_KEY_BYTES} bytes — fix: load it with loadGrantKey() after \`lakehouse provision\``,
    })
  }
  const key = Buffer.from(options.key)
  const { dir, journal } = options
  const now = options.now ?? Date.now
  const logger = (options.logger ?? SILENT_LOGGER).child({ component: 'grants' })
  const store = createGrantStore(dir)

  const check = async (token: string, scope: string): Promise<GrantPayload> => {
    const required = checkScope(scope)
    const payload = authenticateGrant(key, token)
    if (!scopeSatisfies(payload.scope, required)) {
      throw grantErrors.problem('GRANT_SCOPE_MISMATCH', {
        detail: `grant ${payload.id} is for ${payload.scope}, not ${required}`,
        extensions: { id: payload.id, granted_scope: payload.scope, required_scope: required },
      })
    }
    const state = await store.locate(payload.id)
    if (state !== 'live') notLive(payload.id, state)
    if (now() >= payload.exp) {
      throw grantErrors.problem('GRANT_EXPIRED', {
        detail: `grant ${payload.id} expired at ${iso(payload.exp)}`,
        extensions: { id: payload.id, expires_at: iso(payload.exp) },
      })
    }
    return payload
  }

  return {
    dir,

    async mint(scope, ttlMs) {
      const granted = checkScope(scope)
      const ttl = checkTtlMs(ttlMs)
      const iat = Math.floor(now())
      const payload: GrantPayload = { id: randomBytes(16).toString('hex'), scope: granted, iat, exp: iat + ttl }
      const info = infoOf(payload)
      // Audit first: if the journal refuses, nothing is live and no token exists. A crash
      // between the two leaves a minted record for a grant nobody holds, which is harmless.
      await journal?.append(GRANT_JOURNAL_KINDS.minted, info)
      await store.writeLive(payload)
      logger.info('grant minted', { id: payload.id, scope: granted, expires_at: info.expires_at })
      const minted: MintedGrant = { token: signGrant(key, payload), ...info }
      return minted
    },

    async verify(token, scope) {
      return infoOf(await check(token, scope))
    },

    async consume(token, scope) {
      const payload = await check(token, scope)
      if (!(await store.moveFromLive(payload.id, 'consumed'))) {
        // Lost the rename: whoever won decides what we say (consumed or revoked).
        notLive(payload.id, await store.locate(payload.id))
      }
      const info = infoOf(payload)
      // The grant is spent whatever happens next; if the audit record cannot be written the
      // caller is refused (fail closed) and must mint a new grant.
      await journal?.append(GRANT_JOURNAL_KINDS.consumed, { ...info, required_scope: scope })
      logger.info('grant consumed', { id: payload.id, scope: payload.scope, required_scope: scope })
      return info
    },

    async revoke(id) {
      if (typeof id !== 'string' || !GRANT_ID_PATTERN.test(id)) {
        const shown = typeof id === 'string' ? quoteCallerText(id) : typeof id
        throw grantErrors.problem('GRANT_NOT_FOUND', { detail: `no grant ${shown}: a grant id is 32 lowercase hex characters` })
      }
      // Two rounds at most: a rename lost to a concurrent consume or revoke is reported from the record's new place.
      for (let round = 0; round < 2; round++) {
        const record = await store.read(id, 'live')
        if (record !== undefined && (await store.moveFromLive(id, 'revoked'))) {
          const info = infoOf(record)
          await journal?.append(GRANT_JOURNAL_KINDS.revoked, info)
          logger.info('grant revoked', { id })
          return { ...info, status: 'revoked' }
        }
        if (record === undefined) break
      }
      const state = await store.locate(id)
      if (state === 'revoked') {
        // Idempotent: revoking twice answers what the first revoke did.
        const record = await store.read(id, 'revoked')
        if (record !== undefined) return { ...infoOf(record), status: 'revoked' }
      }
      if (state === 'consumed') {
        throw grantErrors.problem('GRANT_REUSED', { detail: `grant ${id} was already consumed; it cannot be revoked`, extensions: { id } })
      }
      throw grantErrors.problem('GRANT_NOT_FOUND', { detail: `no grant ${id} in this data directory`, extensions: { id } })
    },

    async list() {
      const at = now()
      const stored = await store.readAll((path) => logger.warn('unreadable grant record skipped', { path }))
      const listings: GrantListing[] = stored.map(({ record, state }) => ({
        ...infoOf(record),
        status: state === 'live' && at >= record.exp ? 'expired' : state,
      }))
      return listings.sort((a, b) => a.issued_at.localeCompare(b.issued_at) || a.id.localeCompare(b.id))
    },
  }
}
