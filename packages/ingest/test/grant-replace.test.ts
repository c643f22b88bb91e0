import { Problem } from '@lakehouse/kit'
import { afterEach, describe, expect, it } from 'vitest'
import type { ReplaceAuthority } from '../src/index.ts'
import { csvRequest, type Harness, harness, send } from './helpers.ts'

/** Grants as ingest sees them: a token valid for one scope, consumed once (packages/grants tests the real one). */
function fakeGrants(valid: Record<string, string>): ReplaceAuthority & { consumed: string[] } {
  const consumed: string[] = []
  const check = (token: string, scope: string) => {
    if (consumed.includes(token)) throw new Problem('GRANT_REUSED', { status: 409, title: 'Grant Reused' })
    if (valid[token] === undefined) throw new Problem('GRANT_TAMPERED', { status: 403, title: 'Grant Tampered' })
    if (valid[token] !== scope) throw new Problem('GRANT_SCOPE_MISMATCH', { status: 403, title: 'Grant Scope Mismatch' })
  }
  return {
    consumed,
    verify: async (token, scope) => check(token, scope),
    consume: async (token, scope) => {
      check(token, scope)
      consumed.push(token)
    },
  }
}

let h: Harness
afterEach(async () => h?.close())

describe('ingest with an escape grant', () => {
  it('replaces a drifted schema with a dataset.replace grant, once; the grant is then spent', async () => {
    const grants = fakeGrants({ g1: 'dataset.replace:drift', g2: 'dataset.replace:other' })
    h = await harness({}, { grants })
    const live = await send(h.svc, csvRequest('drift', 'id,city\n1,Austin\n2,Boston\n'))
    expect(live.status).toBe(201)

    const refused = await send(h.svc, csvRequest('drift', 'id,city\nA-1,Austin\n'))
    expect([refused.status, refused.body.code]).toEqual([409, 'CATALOG_SCHEMA_CONFLICT'])
    expect(refused.body.detail).toContain('dataset.replace:drift')

    const wrongScope = await send(h.svc, csvRequest('drift', 'id,city\nA-1,Austin\n', { 'lakehouse-grant': 'g2' }))
    expect([wrongScope.status, wrongScope.body.code]).toEqual([403, 'GRANT_SCOPE_MISMATCH'])
    expect(h.catalog.get('drift')?.fingerprint).toBe(live.body.fingerprint)

    const replaced = await send(h.svc, csvRequest('drift', 'id,city\nA-1,Austin\n', { 'lakehouse-grant': 'g1' }))
    expect(replaced.status).toBe(200)
    expect(replaced.body.status).toBe('replaced')
    expect(replaced.body.replaced_fingerprint).toBe(live.body.fingerprint)
    expect(replaced.body.dataset_id).toBe(live.body.dataset_id)
    expect(h.catalog.get('drift')?.fingerprint).toBe(replaced.body.fingerprint)
    expect(grants.consumed).toEqual(['g1'])

    const reused = await send(h.svc, csvRequest('drift', 'id,city\n1,Austin\n', { 'lakehouse-grant': 'g1' }))
    expect([reused.status, reused.body.code]).toEqual([409, 'GRANT_REUSED'])
    expect(h.catalog.get('drift')?.fingerprint).toBe(replaced.body.fingerprint)
    expect(await h.leftovers()).toEqual([])
  })

  it('does not consume a grant when the schema has not drifted', async () => {
    const grants = fakeGrants({ g1: 'dataset.replace:same' })
    h = await harness({}, { grants })
    await send(h.svc, csvRequest('same', 'id\n1\n'))
    const again = await send(h.svc, csvRequest('same', 'id\n2\n', { 'lakehouse-grant': 'g1' }))
    expect([again.status, again.body.status, again.body.replaced_fingerprint]).toEqual([200, 'replaced', undefined])
    expect(grants.consumed).toEqual([])
  })

  it('removes the new object when the consume race is lost, leaving the live dataset as it was', async () => {
    const grants = fakeGrants({ g1: 'dataset.replace:race' })
    const lose: ReplaceAuthority = {
      verify: grants.verify,
      consume: async () => {
        throw new Problem('GRANT_REUSED', { status: 409, title: 'Grant Reused' })
      },
    }
    h = await harness({}, { grants: lose })
    const live = await send(h.svc, csvRequest('race', 'id\n1\n'))
    const keysBefore = [...(await h.store.list('datasets/', 100)).items.map((i) => i.key)]
    const lost = await send(h.svc, csvRequest('race', 'id\nX\n', { 'lakehouse-grant': 'g1' }))
    expect([lost.status, lost.body.code]).toEqual([409, 'GRANT_REUSED'])
    expect((await h.store.list('datasets/', 100)).items.map((i) => i.key)).toEqual(keysBefore)
    expect(h.catalog.get('race')?.fingerprint).toBe(live.body.fingerprint)
  })
})
