import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { grantErrors } from '../src/index.ts'

describe('grantErrors', () => {
  it('pins every code and status (callers match on them)', () => {
    const pinned = Object.fromEntries(Object.entries(grantErrors.specs).map(([code, spec]) => [code, spec.status]))
    expect(pinned).toEqual({
      GRANT_MALFORMED: 400,
      GRANT_TAMPERED: 403,
      GRANT_EXPIRED: 403,
      GRANT_SCOPE_MISMATCH: 403,
      GRANT_REUSED: 409,
      GRANT_REVOKED: 403,
      GRANT_UNKNOWN: 403,
      GRANT_INVALID_SCOPE: 400,
      GRANT_INVALID_TTL: 400,
      GRANT_NOT_FOUND: 404,
      GRANT_KEY_UNAVAILABLE: 503,
      GRANT_MINT_DISABLED: 403,
    })
    expect(grantErrors.component).toBe('grants')
  })

  it('documents every code in docs/grants.md', async () => {
    const doc = await readFile(new URL('../../../docs/grants.md', import.meta.url), 'utf8')
    for (const code of Object.keys(grantErrors.specs)) expect(doc).toContain(`\`${code}\``)
  })
})
