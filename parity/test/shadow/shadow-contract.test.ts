/** `pnpm parity shadow --contract`: live answers of the primary and the candidate checked against a document. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractChecker } from '../../src/contract/contract-check.ts'
import { parseContract } from '../../src/contract/load-contract.ts'
import { startShadowSession } from '../../src/shadow/shadow-session.ts'
import { type Fixture, shadowOptions, startFixture } from './fixture-servers.ts'

const DOC = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'items', version: '1' },
  paths: {
    '/items/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'an item',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'name'],
                  properties: { id: { type: 'integer' }, name: { type: 'string' }, seed: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
})

let primary: Fixture
let candidate: Fixture
let out: string

beforeAll(async () => {
  ;[primary, candidate] = await Promise.all([startFixture('primary'), startFixture('candidate')])
  out = mkdtempSync(join(tmpdir(), 'parity-shadow-contract-'))
})
afterAll(async () => {
  await Promise.all([primary, candidate].map((f) => f?.close()))
  rmSync(out, { recursive: true, force: true })
})

describe('shadow mode with --contract', () => {
  it('reports the candidate answering against the document, one target, besides the pair divergence', async () => {
    const session = await startShadowSession(
      shadowOptions({ primary: primary.url, candidate: candidate.url }, out, {
        queue: 64,
        concurrency: 1,
        contract: contractChecker(parseContract(DOC, 'items.json'), 'items.json'),
      }),
    )
    for (let i = 1; i <= 4; i++) {
      const res = await request(`${session.url}/items/${i}`)
      await res.body.arrayBuffer()
    }
    const { report } = await session.stop()
    const contract = report.findings.filter((f) => f.class === 'contract')
    expect(contract.map((f) => [f.pair.join('>'), f.path, f.occurrences])).toEqual([['candidate>candidate', '$.id', 4]])
    expect(report.findings.some((f) => f.class === 'type' && f.path === '$.id' && f.pair.join('>') === 'primary>candidate')).toBe(true)
    expect(report.settings.contract).toBe('items.json')
  })
})
