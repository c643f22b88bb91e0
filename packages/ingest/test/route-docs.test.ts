import { catalogErrors, createCatalogService } from '@lakehouse/catalog'
import { grantErrors } from '@lakehouse/grants'
import { documentedAnswers, TEST_ORIGIN } from '@lakehouse/kit/testing'
import { storageErrors } from '@lakehouse/storage'
import { afterEach, describe, expect, it } from 'vitest'
// Ingest does not depend on the journal; a consumed grant's audit failures pass through it, so
// its registry is read from source.
import { journalErrors } from '../../journal/src/errors.ts'
import { ingestErrors, type ReplaceAuthority } from '../src/index.ts'
import { createMemoryStore } from './fakes.ts'
import { csvRequest, type Harness, harness, multipartBytes, multipartRequest } from './helpers.ts'

const REGISTRIES = [ingestErrors, catalogErrors, grantErrors, storageErrors, journalErrors]

/** Grants that accept one token and refuse any other the way the grants component does. */
function grants(valid: string): ReplaceAuthority {
  const check = async (token: string) => {
    if (token !== valid) throw grantErrors.problem('GRANT_TAMPERED', { detail: 'not signed with this key' })
  }
  return { verify: check, consume: check }
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** The service over the real catalog, so every answer carries what the catalog really returns. */
async function setup(config: Parameters<typeof harness>[0] = {}) {
  const store = createMemoryStore()
  const catalog = await createCatalogService(
    {},
    {
      store,
      inspectObject: async () => ({ status: 'missing' }),
      indexSources: () => [{ index: 'people_idx', dataset: 'people', version: 1 }],
    },
  )
  h = await harness(config, { store, catalog, grants: grants('good') })
  const { svc } = h
  const check = documentedAnswers(svc.handler, REGISTRIES)
  /** Checks each answer against the docs; returns [status, code] of each, in order. */
  return async (requests: readonly Request[]) => {
    const seen: [number, string | undefined][] = []
    for (const req of requests) {
      const res = await svc.handler(req)
      expect(await check(req, res)).toEqual([])
      seen.push([res.status, ((await res.json()) as { code?: string }).code])
    }
    return seen
  }
}

const raw = (name: string, body: BodyInit | null, contentType: string) =>
  new Request(`${TEST_ORIGIN}/v1/ingest/${name}`, { method: 'POST', headers: { 'content-type': contentType }, body })

describe('ingest route docs', () => {
  it('documents created, existing and replaced versions, schema drift and grant refusals', async () => {
    const replay = await setup()
    expect(
      await replay([
        csvRequest('people', 'id,name\n1,Ada\n2,Bo\n'),
        csvRequest('people', 'id,name\n1,Ada\n2,Bo\n'),
        csvRequest('people', 'id,name\n1,Ada\n2,Bo\n3,Cy\n'),
        csvRequest('people', 'id,city\nA-1,Austin\n'),
        csvRequest('people', 'id,city\nA-1,Austin\n', { 'lakehouse-grant': 'forged' }),
        csvRequest('people', 'id,city\nA-1,Austin\n', { 'lakehouse-grant': 'good' }),
        multipartRequest('other', 'a,b\n1,2\n'),
      ]),
    ).toEqual([
      [201, undefined],
      [200, undefined],
      [200, undefined],
      [409, 'CATALOG_SCHEMA_CONFLICT'],
      [403, 'GRANT_TAMPERED'],
      [200, undefined],
      [201, undefined],
    ])
  })

  it('documents every refusal of the upload and the CSV', async () => {
    const replay = await setup({ maxBytes: 256 })
    expect(
      await replay([
        csvRequest('Bad-Name', 'a\n1\n'),
        raw('people', 'a\n1\n', 'application/json'),
        csvRequest('people', `a\n${'1\n'.repeat(200)}`),
        raw(
          'people',
          new Blob([multipartBytes('xyz', [{ name: 'note', content: 'a\n1\n' }]).slice()]),
          'multipart/form-data; boundary=xyz',
        ),
        raw('people', 'a\n1\n', 'multipart/form-data'),
        csvRequest('people', ''),
        csvRequest('people', 'a,b\n'),
        csvRequest('people', 'a,A\n1,2\n'),
        csvRequest('people', 'a,b\n1,"x\n'),
      ]),
    ).toEqual([
      [400, 'INGEST_INVALID_NAME'],
      [415, 'INGEST_UNSUPPORTED_MEDIA_TYPE'],
      [413, 'INGEST_TOO_LARGE'],
      [400, 'INGEST_MISSING_FILE'],
      [400, 'INGEST_MALFORMED_MULTIPART'],
      [400, 'INGEST_EMPTY'],
      [400, 'INGEST_NO_ROWS'],
      [400, 'INGEST_BAD_HEADER'],
      [400, 'INGEST_MALFORMED_CSV'],
    ])
  })

  it('documents a refusal when every slot is taken', async () => {
    const replay = await setup({ slots: 1 })
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let sent = false
    const held = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent) {
          await gate
          controller.close()
          return
        }
        sent = true
        controller.enqueue(new TextEncoder().encode('a\n1\n'))
      },
    })
    const init = { method: 'POST', headers: { 'content-type': 'text/csv' }, body: held, duplex: 'half' } as RequestInit
    const first = h?.svc.handler(new Request(`${TEST_ORIGIN}/v1/ingest/slow`, init))
    expect(await replay([csvRequest('people', 'a\n1\n')])).toEqual([[503, 'INGEST_BUSY']])
    release()
    expect((await first)?.status).toBe(201)
  })
})
