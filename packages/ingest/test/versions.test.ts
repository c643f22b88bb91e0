import { createHash } from 'node:crypto'
import { createCatalogService } from '@lakehouse/catalog'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryStore } from './fakes.ts'
import { csvRequest, type Harness, harness, send } from './helpers.ts'

const rows = (n: number, offset = 0) =>
  `worker_id,name\n${Array.from({ length: n }, (_, i) => `W-${String(i + offset).padStart(4, '0')},Name ${i + offset}`).join('\n')}\n`

let h: Harness
afterEach(() => h?.close())

describe('ingest versions (issue 13: a same-schema re-ingest never overwrites the live object in place)', () => {
  it('answers replaced with rows before and after and a new key; the old object stays until the switch', async () => {
    h = await harness()
    const first = await send(h.svc, csvRequest('workers', rows(20)))
    expect([first.status, first.body.status, first.body.version, first.body.row_count]).toEqual([201, 'created', 1, 20])
    const second = await send(h.svc, csvRequest('workers', rows(5, 100)))
    expect([second.status, second.body.status, second.body.version, second.body.row_count]).toEqual([200, 'replaced', 2, 5])
    expect(second.body.previous).toEqual({
      version: 1,
      content_hash: first.body.content_hash,
      fingerprint: first.body.fingerprint,
      row_count: 20,
    })
    expect(second.body.replaced_fingerprint).toBeUndefined()
    expect(second.body.object_key).not.toBe(first.body.object_key)
    expect(h.store.bytes(first.body.object_key)).toBeDefined()
    // The content hash is the SHA-256 of the stored Parquet bytes.
    const stored = h.store.bytes(second.body.object_key) as Uint8Array
    expect(second.body.content_hash).toBe(createHash('sha256').update(stored).digest('hex'))
    expect(h.catalog.writing).toEqual([])
  })

  it('answers existing for identical content without writing the object again', async () => {
    h = await harness()
    const first = await send(h.svc, csvRequest('workers', rows(3)))
    const puts = h.store.puts.length
    const again = await send(h.svc, csvRequest('workers', rows(3)))
    expect([again.status, again.body.status, again.body.version]).toEqual([200, 'existing', 1])
    expect(again.body.content_hash).toBe(first.body.content_hash)
    expect(h.store.puts.length).toBe(puts)
  })

  it('marks the name as being written for the whole ingest, so a restore cannot race it', async () => {
    const store = createMemoryStore()
    const catalog = await createCatalogService({}, { store, inspectObject: async () => ({ status: 'missing' }) })
    let began: () => void = () => undefined
    const writing = new Promise<void>((resolve) => {
      began = resolve
    })
    const watched = {
      ...catalog,
      register: catalog.register,
      beginWrite: (name: string) => {
        const end = catalog.beginWrite(name)
        began()
        return end
      },
    }
    h = await harness({}, { store, catalog: { ...catalog, beginWrite: catalog.beginWrite } })
    await send(h.svc, csvRequest('workers', rows(4)))
    await h.close()
    h = await harness({}, { store, catalog: watched })
    const done = send(h.svc, csvRequest('workers', rows(6, 50)))
    // While the second ingest runs, a restore of version 1 is refused.
    await writing
    const busy = await catalog.restore('workers', 1).then(
      () => 200,
      (err: { status: number }) => err.status,
    )
    const replaced = await done
    expect(replaced.body.status).toBe('replaced')
    expect(busy).toBe(409)
    expect((await catalog.restore('workers', 1)).status).toBe('restored')
    // Identical content to the restored version is existing again.
    expect((await send(h.svc, csvRequest('workers', rows(4)))).body.status).toBe('existing')
  })
})
