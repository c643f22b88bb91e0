import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { describe, expect, it } from 'vitest'
import { createGrantAuthority, GRANT_JOURNAL_KINDS, MAX_GRANT_TTL_MS, parseGrantTtl } from '../src/index.ts'
import { authority, codeOf, createClock, KEY, rejectionOf, splitToken, T0, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const WORKERS = 'dataset.replace:workers'

describe('createGrantAuthority', () => {
  it('mints, verifies without consuming, consumes once, then refuses reuse', async () => {
    const dir = await tempDir()
    const auth = authority(dir)
    const minted = await auth.mint(WORKERS, 10 * 60_000)
    expect(Object.keys(minted)).toEqual(['token', 'id', 'scope', 'issued_at', 'expires_at'])
    expect(minted).toMatchObject({
      scope: WORKERS,
      issued_at: new Date(T0).toISOString(),
      expires_at: new Date(T0 + 600_000).toISOString(),
    })
    const info = { id: minted.id, scope: WORKERS, issued_at: minted.issued_at, expires_at: minted.expires_at }
    expect(await auth.verify(minted.token, WORKERS)).toEqual(info)
    expect(await auth.verify(minted.token, WORKERS)).toEqual(info)
    expect(await auth.consume(minted.token, WORKERS)).toEqual(info)
    const reused = await rejectionOf(auth.consume(minted.token, WORKERS))
    expect([reused.code, reused.status, reused.extensions]).toEqual(['GRANT_REUSED', 409, { id: minted.id }])
    expect(await codeOf(auth.verify(minted.token, WORKERS))).toBe('GRANT_REUSED')
  })

  it('keeps the state on disk: live/<id>.json at mint (0600, no token), renamed to consumed/ on use', async () => {
    const dir = await tempDir()
    const auth = authority(dir)
    const { token, id } = await auth.mint('sql.write', 1000)
    const live = join(dir, 'live', `${id}.json`)
    const text = await readFile(live, 'utf8')
    expect(JSON.parse(text)).toEqual({ id, scope: 'sql.write', iat: T0, exp: T0 + 1000 })
    expect(text).not.toContain(splitToken(token).macPart)
    expect((await stat(live)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'live'))).mode & 0o777).toBe(0o700)
    const before = await stat(live)
    await auth.consume(token, 'sql.write')
    expect(await readdir(join(dir, 'live'))).toEqual([])
    const consumed = await stat(join(dir, 'consumed', `${id}.json`))
    // Same inode: consumption is the rename, not a copy.
    expect(consumed.ino).toBe(before.ino)
    expect((await stat(join(dir, 'consumed'))).mode & 0o777).toBe(0o700)
  })

  it('creates its directory tree on demand, even when the grants directory itself is missing', async () => {
    const dir = join(await tempDir(), 'not', 'yet', 'grants')
    const auth = authority(dir)
    const { token } = await auth.mint('sql.write', 1000)
    await auth.consume(token, 'sql.write')
    expect((await readdir(dir)).sort()).toEqual(['consumed', 'live'])
  })

  it('answers GRANT_EXPIRED at and after exp, and leaves the expired grant unconsumed', async () => {
    const dir = await tempDir()
    const clock = createClock()
    const auth = authority(dir, { clock })
    const { token, id } = await auth.mint(WORKERS, 1000)
    clock.t = T0 + 999
    expect((await auth.verify(token, WORKERS)).id).toBe(id)
    clock.t = T0 + 1000
    const expired = await rejectionOf(auth.consume(token, WORKERS))
    expect([expired.code, expired.status]).toEqual(['GRANT_EXPIRED', 403])
    expect(expired.extensions).toEqual({ id, expires_at: new Date(T0 + 1000).toISOString() })
    expect(await codeOf(auth.verify(token, WORKERS))).toBe('GRANT_EXPIRED')
    // Still where it was: not consumed, listed as expired.
    expect(await readdir(join(dir, 'live'))).toEqual([`${id}.json`])
    expect(await readdir(dir)).toEqual(['live'])
    expect((await auth.list()).map((g) => g.status)).toEqual(['expired'])
    // Proof it was never spent: with the clock turned back it can still be consumed, once.
    clock.t = T0
    expect((await auth.consume(token, WORKERS)).id).toBe(id)
    expect(await codeOf(auth.consume(token, WORKERS))).toBe('GRANT_REUSED')
  })

  it('refuses a grant for another scope with GRANT_SCOPE_MISMATCH and does not consume it', async () => {
    const auth = authority(await tempDir())
    const { token, id } = await auth.mint(WORKERS, 60_000)
    const mismatch = await rejectionOf(auth.consume(token, 'dataset.replace:people'))
    expect([mismatch.code, mismatch.status]).toEqual(['GRANT_SCOPE_MISMATCH', 403])
    expect(mismatch.extensions).toEqual({ id, granted_scope: WORKERS, required_scope: 'dataset.replace:people' })
    expect(await codeOf(auth.consume(token, 'sql.write'))).toBe('GRANT_SCOPE_MISMATCH')
    // A specific grant does not satisfy a wildcard requirement.
    expect(await codeOf(auth.verify(token, 'dataset.replace:*'))).toBe('GRANT_SCOPE_MISMATCH')
    expect((await auth.consume(token, WORKERS)).id).toBe(id)
  })

  it('lets dataset.replace:* satisfy any dataset.replace:<name>, but not sql.write', async () => {
    const auth = authority(await tempDir())
    const { token } = await auth.mint('dataset.replace:*', 60_000)
    expect(await codeOf(auth.verify(token, 'sql.write'))).toBe('GRANT_SCOPE_MISMATCH')
    expect((await auth.verify(token, 'dataset.replace:people')).scope).toBe('dataset.replace:*')
    expect((await auth.verify(token, 'dataset.replace:*')).scope).toBe('dataset.replace:*')
    expect((await auth.consume(token, WORKERS)).scope).toBe('dataset.replace:*')
    // Still one shot: the wildcard was spent on workers.
    expect(await codeOf(auth.consume(token, 'dataset.replace:people'))).toBe('GRANT_REUSED')
  })

  it('refuses an invalid scope at mint and as a requirement with GRANT_INVALID_SCOPE', async () => {
    const auth = authority(await tempDir())
    const bad = ['', 'sql', 'sql.read', 'SQL.WRITE', 'dataset.replace', 'dataset.replace:', 'dataset.replace:Workers', 'dataset.replace:1a']
    bad.push('dataset.replace:a-b', 'dataset.replace:**', `dataset.replace:a${'b'.repeat(63)}`, ' sql.write', 'dataset.replace:workers\n')
    for (const scope of bad) {
      const p = await rejectionOf(auth.mint(scope, 1000))
      expect([scope, p.code, p.status]).toEqual([scope, 'GRANT_INVALID_SCOPE', 400])
    }
    expect((await auth.mint(`dataset.replace:a${'b'.repeat(62)}`, 1000)).scope).toHaveLength(16 + 63)
    const { token } = await auth.mint('sql.write', 1000)
    expect(await codeOf(auth.verify(token, 'everything'))).toBe('GRANT_INVALID_SCOPE')
    expect(await codeOf(auth.consume(token, 'dataset.replace:'))).toBe('GRANT_INVALID_SCOPE')
  })

  it('refuses a ttl outside 1 ms … 7 days with GRANT_INVALID_TTL', async () => {
    const auth = authority(await tempDir())
    for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_GRANT_TTL_MS + 1]) {
      const p = await rejectionOf(auth.mint('sql.write', ttl))
      expect([ttl, p.code, p.status]).toEqual([ttl, 'GRANT_INVALID_TTL', 400])
    }
    expect((await auth.mint('sql.write', 1)).expires_at).toBe(new Date(T0 + 1).toISOString())
    expect((await auth.mint('sql.write', MAX_GRANT_TTL_MS)).expires_at).toBe(new Date(T0 + 7 * 86_400_000).toISOString())
  })

  it('parses ttl durations and milliseconds with parseGrantTtl', () => {
    expect(parseGrantTtl('10m')).toBe(600_000)
    expect(parseGrantTtl('500ms')).toBe(500)
    expect(parseGrantTtl('1h')).toBe(3_600_000)
    expect(parseGrantTtl('7d')).toBe(MAX_GRANT_TTL_MS)
    expect(parseGrantTtl('250')).toBe(250)
    expect(parseGrantTtl(1500)).toBe(1500)
    for (const bad of ['', '10x', '-5m', '0s', '8d', '0.1ms', '1e3', 'ten minutes', true, null, {}, 0, 2.5]) {
      let code: string | undefined
      try {
        parseGrantTtl(bad)
      } catch (err) {
        code = (err as { code?: string }).code
      }
      expect([bad, code]).toEqual([bad, 'GRANT_INVALID_TTL'])
    }
  })

  it('revokes a live grant (GRANT_REVOKED afterwards), idempotently; revoke of a consumed grant is GRANT_REUSED', async () => {
    const dir = await tempDir()
    const auth = authority(dir)
    const a = await auth.mint(WORKERS, 60_000)
    const revoked = await auth.revoke(a.id)
    expect(revoked).toEqual({ id: a.id, scope: WORKERS, issued_at: a.issued_at, expires_at: a.expires_at, status: 'revoked' })
    expect(await readdir(join(dir, 'revoked'))).toEqual([`${a.id}.json`])
    const refused = await rejectionOf(auth.consume(a.token, WORKERS))
    expect([refused.code, refused.status]).toEqual(['GRANT_REVOKED', 403])
    expect(await codeOf(auth.verify(a.token, WORKERS))).toBe('GRANT_REVOKED')
    expect(await auth.revoke(a.id)).toEqual(revoked)

    const b = await auth.mint(WORKERS, 60_000)
    await auth.consume(b.token, WORKERS)
    const late = await rejectionOf(auth.revoke(b.id))
    expect([late.code, late.status]).toEqual(['GRANT_REUSED', 409])
  })

  it('revokes an expired grant too', async () => {
    const clock = createClock()
    const auth = authority(await tempDir(), { clock })
    const { id } = await auth.mint(WORKERS, 10)
    clock.t += 60_000
    expect((await auth.revoke(id)).status).toBe('revoked')
  })

  it('answers GRANT_NOT_FOUND for revoking an unknown or impossible id', async () => {
    const auth = authority(await tempDir())
    for (const id of ['0'.repeat(32), '../../etc/passwd', 'A'.repeat(32), '', 'x']) {
      const p = await rejectionOf(auth.revoke(id))
      expect([id, p.code, p.status]).toEqual([id, 'GRANT_NOT_FOUND', 404])
    }
  })

  it('answers GRANT_UNKNOWN for a genuine token this directory has no record of', async () => {
    const here = await tempDir()
    const there = await tempDir()
    // Same key, other data directory (say a copied key file): the MAC is fine, the record is not here.
    const { token } = await authority(there).mint(WORKERS, 60_000)
    const unknown = await rejectionOf(authority(here).consume(token, WORKERS))
    expect([unknown.code, unknown.status]).toEqual(['GRANT_UNKNOWN', 403])
    expect(await codeOf(authority(here).verify(token, WORKERS))).toBe('GRANT_UNKNOWN')
    // A record removed by hand is unknown too, never silently valid.
    const auth = authority(here)
    const own = await auth.mint(WORKERS, 60_000)
    await rm(join(here, 'live', `${own.id}.json`))
    expect(await codeOf(auth.consume(own.token, WORKERS))).toBe('GRANT_UNKNOWN')
  })

  it('lists every grant with its status, oldest first, without tokens', async () => {
    const dir = await tempDir()
    const clock = createClock()
    const auth = authority(dir, { clock })
    const live = await auth.mint('sql.write', 60_000)
    clock.t += 1
    const consumed = await auth.mint(WORKERS, 60_000)
    clock.t += 1
    const revoked = await auth.mint('dataset.replace:*', 60_000)
    clock.t += 1
    const expired = await auth.mint('dataset.replace:people', 10)
    await auth.consume(consumed.token, WORKERS)
    await auth.revoke(revoked.id)
    clock.t += 100
    const list = await auth.list()
    expect(list.map((g) => [g.id, g.status])).toEqual([
      [live.id, 'live'],
      [consumed.id, 'consumed'],
      [revoked.id, 'revoked'],
      [expired.id, 'expired'],
    ])
    expect(Object.keys(list[0] ?? {})).toEqual(['id', 'scope', 'issued_at', 'expires_at', 'status'])
    expect(JSON.stringify(list)).not.toContain('lhg1.')
    expect(await authority(await tempDir()).list()).toEqual([])
  })

  it('skips files in its directories that are not grant records', async () => {
    const dir = await tempDir()
    const auth = authority(dir)
    const { id } = await auth.mint('sql.write', 1000)
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(dir, 'live', `${'b'.repeat(32)}.json`), '{not json')
    await writeFile(join(dir, 'live', '.leftover.tmp'), 'x')
    await writeFile(join(dir, 'live', 'README'), 'x')
    expect((await auth.list()).map((g) => g.id)).toEqual([id])
  })

  it('writes an audit trail to the journal: minted, consumed, revoked — never the token or MAC', async () => {
    const journal = createMemoryJournal()
    const auth = authority(await tempDir(), { journal })
    const a = await auth.mint(WORKERS, 60_000)
    const b = await auth.mint('sql.write', 60_000)
    await auth.consume(a.token, 'dataset.replace:workers')
    await auth.revoke(b.id)
    await rejectionOf(auth.consume(a.token, WORKERS))
    const records = journal.records()
    expect(records.map((r) => r.kind)).toEqual([
      GRANT_JOURNAL_KINDS.minted,
      GRANT_JOURNAL_KINDS.minted,
      GRANT_JOURNAL_KINDS.consumed,
      GRANT_JOURNAL_KINDS.revoked,
    ])
    expect(records.map((r) => r.kind)).toEqual(['grant.minted', 'grant.minted', 'grant.consumed', 'grant.revoked'])
    expect(records[0]?.data).toEqual({ id: a.id, scope: WORKERS, issued_at: a.issued_at, expires_at: a.expires_at })
    expect(records[2]?.data).toEqual({
      id: a.id,
      scope: WORKERS,
      issued_at: a.issued_at,
      expires_at: a.expires_at,
      required_scope: WORKERS,
    })
    const all = JSON.stringify(records)
    for (const { token } of [a, b]) {
      expect(all).not.toContain(token)
      expect(all).not.toContain(splitToken(token).macPart)
      expect(all).not.toContain(splitToken(token).payloadPart)
    }
  })

  it('mints nothing when the audit record cannot be written, and fails closed on consume', async () => {
    const dir = await tempDir()
    const journal = createMemoryJournal()
    const auth = authority(dir, { journal })
    const held = await auth.mint(WORKERS, 60_000)
    await journal.close()
    expect(await codeOf(auth.mint(WORKERS, 60_000))).toBe('JOURNAL_CLOSED')
    expect(await readdir(join(dir, 'live'))).toEqual([`${held.id}.json`])
    // The grant is spent (the rename happened) but the caller is refused, so the unaudited operation does not run.
    expect(await codeOf(auth.consume(held.token, WORKERS))).toBe('JOURNAL_CLOSED')
    expect(await codeOf(authority(dir).consume(held.token, WORKERS))).toBe('GRANT_REUSED')
  })

  it('refuses a key that is not 32 bytes with GRANT_KEY_UNAVAILABLE', async () => {
    const dir = await tempDir()
    for (const key of [Buffer.alloc(31), Buffer.alloc(33), Buffer.alloc(0)]) {
      let code: string | undefined
      try {
        createGrantAuthority({ dir, key })
      } catch (err) {
        code = (err as { code?: string }).code
      }
      expect(code).toBe('GRANT_KEY_UNAVAILABLE')
    }
  })

  it('copies the key, so wiping the caller’s buffer does not change what it signs with', async () => {
    const dir = await tempDir()
    const key = Buffer.from(KEY)
    const auth = createGrantAuthority({ dir, key, now: () => T0 })
    key.fill(0)
    const { token } = await auth.mint('sql.write', 1000)
    expect((await authority(dir).verify(token, 'sql.write')).scope).toBe('sql.write')
  })
})
