import { journalErrors } from '@lakehouse/journal'
import { createMemoryJournal } from '@lakehouse/journal/testing'
import { documentedAnswers, jsonRequest } from '@lakehouse/kit/testing'
import { describe, expect, it } from 'vitest'
import { createGrantsService, GRANTS_MOUNT, type GrantsConfig, grantErrors } from '../src/index.ts'
import { authority, createClock, flipChar, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const WORKERS = 'dataset.replace:workers'
const VERIFY = `${GRANTS_MOUNT}/verify`

async function setup(config: Partial<GrantsConfig> = {}) {
  const clock = createClock()
  const journal = createMemoryJournal()
  const auth = authority(await tempDir(), { clock, journal })
  const svc = createGrantsService(config, { authority: auth })
  const check = documentedAnswers(svc.handler, [grantErrors, journalErrors])
  /** Sends each request in order, checks each answer against the docs, returns [status, code] of each. */
  const replay = async (requests: readonly Request[]) => {
    const seen: [number, string | undefined][] = []
    for (const req of requests) {
      const res = await svc.handler(req)
      expect(await check(req, res)).toEqual([])
      seen.push([res.status, ((await res.json()) as { code?: string }).code])
    }
    return seen
  }
  return { svc, auth, clock, journal, replay }
}

const call = (method: string, path: string, body?: unknown) => jsonRequest(method, path, body)

describe('grants route docs', () => {
  it('documents the answers with HTTP minting off', async () => {
    const { auth, replay } = await setup()
    const { id, token } = await auth.mint(WORKERS, 600_000)
    expect(
      await replay([
        call('GET', GRANTS_MOUNT),
        call('POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '10m' }),
        call('DELETE', `${GRANTS_MOUNT}/${id}`),
        call('POST', VERIFY, { token, scope: WORKERS }),
      ]),
    ).toEqual([
      [200, undefined],
      [403, 'GRANT_MINT_DISABLED'],
      [403, 'GRANT_MINT_DISABLED'],
      [200, undefined],
    ])
  })

  it('documents minting, verifying, listing and revoking, with every refusal', async () => {
    const { auth, clock, journal, replay } = await setup({ httpMint: true })
    const minted = await auth.mint(WORKERS, 600_000)
    const short = await auth.mint(WORKERS, 1000)
    const spent = await auth.mint(WORKERS, 600_000)
    await auth.consume(spent.token, WORKERS)
    const elsewhere = await authority(await tempDir()).mint(WORKERS, 600_000)
    const { token } = minted
    const [prefix = '', payload = '', mac = ''] = token.split('.')
    clock.t += 2000
    expect(
      await replay([
        call('POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '10m' }),
        call('POST', GRANTS_MOUNT, { scope: 'dataset.drop:workers', ttl: '10m' }),
        call('POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '9y' }),
        call('POST', GRANTS_MOUNT, { scope: WORKERS }),
        call('POST', VERIFY, { token, scope: WORKERS }),
        call('POST', VERIFY, { token, scope: 'nonsense' }),
        call('POST', VERIFY, { token: 'lhg1.x', scope: WORKERS }),
        call('POST', VERIFY, { token: `${prefix}.${payload}.${flipChar(mac, 3)}`, scope: WORKERS }),
        call('POST', VERIFY, { token, scope: 'dataset.replace:other' }),
        call('POST', VERIFY, { token: short.token, scope: WORKERS }),
        call('POST', VERIFY, { token: spent.token, scope: WORKERS }),
        call('POST', VERIFY, { token: elsewhere.token, scope: WORKERS }),
        call('POST', VERIFY, { token }),
        call('DELETE', `${GRANTS_MOUNT}/${minted.id}`),
        call('DELETE', `${GRANTS_MOUNT}/${minted.id}`),
        call('POST', VERIFY, { token, scope: WORKERS }),
        call('DELETE', `${GRANTS_MOUNT}/${spent.id}`),
        call('DELETE', `${GRANTS_MOUNT}/${'0'.repeat(32)}`),
        call('DELETE', `${GRANTS_MOUNT}/not-an-id`),
        call('GET', GRANTS_MOUNT),
      ]),
    ).toEqual([
      [201, undefined],
      [400, 'GRANT_INVALID_SCOPE'],
      [400, 'GRANT_INVALID_TTL'],
      [400, 'HTTP_INVALID_REQUEST'],
      [200, undefined],
      [400, 'GRANT_INVALID_SCOPE'],
      [400, 'GRANT_MALFORMED'],
      [403, 'GRANT_TAMPERED'],
      [403, 'GRANT_SCOPE_MISMATCH'],
      [403, 'GRANT_EXPIRED'],
      [409, 'GRANT_REUSED'],
      [403, 'GRANT_UNKNOWN'],
      [400, 'HTTP_INVALID_REQUEST'],
      [200, undefined],
      [200, undefined],
      [403, 'GRANT_REVOKED'],
      [409, 'GRANT_REUSED'],
      [404, 'GRANT_NOT_FOUND'],
      [404, 'GRANT_NOT_FOUND'],
      [200, undefined],
    ])
    await journal.close()
    expect(await replay([call('POST', GRANTS_MOUNT, { scope: WORKERS, ttl: '10m' })])).toEqual([[503, 'JOURNAL_CLOSED']])
  })
})
