import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CatalogService, createCatalogService } from '@lakehouse/catalog'
import { generateWorkerRows, writeWorkersCsv } from '@lakehouse/corpus'
import { createFsObjectStore, type ObjectStore } from '@lakehouse/storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRequest, type Harness, harness, queryParquet, send } from './helpers.ts'

/** The live object's bytes, read through the store. */
async function objectOf(store: ObjectStore, key: string): Promise<Uint8Array> {
  const object = await store.get(key)
  if (object === undefined) throw new Error(`no object ${key}`)
  return new Uint8Array(await new Response(object.body).arrayBuffer())
}

describe('ingest with the real filesystem store and catalog', () => {
  let h: Harness
  let store: ObjectStore
  let catalog: CatalogService
  let work: string
  let storeRoot: string

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ingest-integration-'))
    storeRoot = join(work, 'store')
    store = createFsObjectStore({ root: storeRoot })
    // The catalog inspects objects with ingest's DuckDB, as the gateway wires it; bound once ingest exists.
    catalog = await createCatalogService(undefined, { store, inspectObject: (key) => h.svc.inspectObject(key) })
    h = await harness({}, { store, catalog })
  })
  afterAll(async () => {
    await h.close()
    await catalog.close()
    await store.close()
    await rm(work, { recursive: true, force: true })
  })

  it('ingests 5,000 corpus rows: row count and column checksums match values computed from the generator', async () => {
    const csvPath = join(work, 'workers.csv')
    try {
      const written = await writeWorkersCsv({ out: csvPath, rows: 5000, seed: 'ingest-test' })
      const result = await h.svc.ingestFile('workers', csvPath)
      expect(result.status).toBe('created')
      expect(result.row_count).toBe(5000)
      expect(result.schema.map((c) => `${c.name}:${c.type}`)).toEqual([
        'worker_id:VARCHAR',
        'name:VARCHAR',
        'email:VARCHAR',
        'phone:VARCHAR',
        'role:VARCHAR',
        'city:VARCHAR',
        'state:VARCHAR',
        'skills:VARCHAR',
        'certifications:VARCHAR',
        'years_experience:BIGINT',
        'reliability_score:DOUBLE',
        'resume_text:VARCHAR',
      ])

      // Independent of DuckDB's CSV reader: the generator's own rows.
      const rows = [...generateWorkerRows({ rows: 5000, seed: 'ingest-test' })]
      const years = rows.reduce((sum, r) => sum + r.years_experience, 0)
      const ids = rows.map((r) => r.worker_id).sort()
      const idsMd5 = createHash('md5').update(ids.join(',')).digest('hex')
      const resumes = createHash('md5')
        .update(rows.map((r) => r.resume_text).join('\u001e'))
        .digest('hex')
      const bytes = await objectOf(store, result.object_key)
      const [check] = await queryParquet(
        bytes,
        "SELECT count(*), sum(years_experience), md5(string_agg(worker_id, ',' ORDER BY worker_id)), md5(string_agg(resume_text, chr(30) ORDER BY worker_id)) FROM t",
      )
      expect(check).toEqual(['5000', String(years), idsMd5, resumes])
      expect(written.rows).toBe(5000)

      // The same file again: 200-equivalent, same id, the registry untouched.
      const again = await h.svc.ingestFile('workers', csvPath)
      expect(again).toEqual({ ...result, status: 'existing' })
      expect(catalog.get('workers')?.dataset_id).toBe(result.dataset_id)
    } finally {
      await rm(csvPath, { force: true })
    }
  })

  it('keeps the live object byte-identical when a drifting CSV is refused with the catalog 409', async () => {
    const live = await send(h.svc, csvRequest('drifty', 'id,score\n1,2.5\n2,3\n'))
    expect(live.status).toBe(201)
    const before = await objectOf(store, live.body.object_key)
    const onDisk = await readFile(join(storeRoot, live.body.object_key))
    expect(new Uint8Array(onDisk)).toEqual(before)

    const drift = await send(h.svc, csvRequest('drifty', 'id,score\n1,high\n'))
    expect([drift.status, drift.body.code]).toEqual([409, 'CATALOG_SCHEMA_CONFLICT'])
    expect(drift.body.existing_fingerprint).toBe(live.body.fingerprint)

    expect(await objectOf(store, live.body.object_key)).toEqual(before)
    const listed = await store.list('datasets/drifty/', 100)
    expect(listed.items.map((i) => i.key)).toEqual([live.body.object_key])
    expect(catalog.get('drifty')?.fingerprint).toBe(live.body.fingerprint)
  })

  it('re-ingests over HTTP idempotently against the real catalog: 201 then 200 with the same id', async () => {
    const csv = 'k,v\n1,a\n2,b\n'
    const first = await send(h.svc, csvRequest('twice', csv))
    const second = await send(h.svc, csvRequest('twice', csv))
    expect([first.status, second.status]).toEqual([201, 200])
    expect(second.body.dataset_id).toBe(first.body.dataset_id)
    expect(catalog.get('twice')?.row_count).toBe(2)
  })
})
