import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { datasetIdFor, datasetObjectKey, fingerprintSchema } from '@lakehouse/catalog'
import { isProblem } from '@lakehouse/kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INGEST_MOUNT } from '../src/index.ts'
import { csvRequest, type Harness, harness, multipartRequest, objectBytes, queryParquet, send } from './helpers.ts'

const PEOPLE = 'id,name,score,active,joined\n1,Ada,9.5,true,2024-01-02\n2,Bob,7,FALSE,2023-12-31\n3,,8.25,true,\n'

let h: Harness
/** Caller-owned CSV files for ingestFile, outside the service's tmpDir. */
let files: string
beforeAll(async () => {
  h = await harness()
  files = await mkdtemp(join(tmpdir(), 'ingest-files-'))
})
afterAll(async () => {
  await h.close()
  await rm(files, { recursive: true, force: true })
})

describe('POST /v1/ingest/{name}', () => {
  it('ingests a text/csv body: 201 with the manifest fields and a Parquet object under the fingerprint key', async () => {
    const r = await send(h.svc, csvRequest('people', PEOPLE))
    expect(r.status).toBe(201)
    const schema = [
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'active', type: 'BOOLEAN' },
      { name: 'joined', type: 'DATE' },
    ]
    const fingerprint = fingerprintSchema(schema)
    const contentHash = createHash('sha256').update(objectBytes(h, r.body.object_key)).digest('hex')
    expect(r.body).toEqual({
      dataset_id: datasetIdFor('people'),
      name: 'people',
      fingerprint,
      schema,
      object_key: `datasets/people/${fingerprint}/${contentHash}.parquet`,
      row_count: 3,
      status: 'created',
      version: 1,
      content_hash: contentHash,
      stale_indexes: [],
    })
    expect(r.body.object_key).toBe(datasetObjectKey('people', fingerprint, contentHash))
    const rows = await queryParquet(objectBytes(h, r.body.object_key), 'SELECT id, name, score, active, joined::VARCHAR FROM t ORDER BY id')
    expect(rows).toEqual([
      ['1', 'Ada', 9.5, true, '2024-01-02'],
      ['2', 'Bob', 7, false, '2023-12-31'],
      ['3', null, 8.25, true, null],
    ])
    expect(h.catalog.get('people')?.object_key).toBe(r.body.object_key)
    expect(await h.leftovers()).toEqual([])
  })

  it('re-ingesting the same CSV is idempotent: 200, same dataset_id and fingerprint', async () => {
    const first = await send(h.svc, csvRequest('again', PEOPLE))
    const second = await send(h.svc, csvRequest('again', PEOPLE, { 'content-type': 'application/csv; charset=utf-8' }))
    expect([first.status, second.status]).toEqual([201, 200])
    expect(second.body).toEqual({ ...first.body, status: 'existing' })
  })

  it('accepts the CSV as the multipart field "file", ignoring other fields', async () => {
    const r = await send(h.svc, multipartRequest('people_form', PEOPLE))
    expect(r.status).toBe(201)
    expect(r.body.row_count).toBe(3)
    expect(r.body.fingerprint).toBe((await send(h.svc, csvRequest('people_csv', PEOPLE))).body.fingerprint)
  })

  it('returns 409 CATALOG_SCHEMA_CONFLICT on drift and leaves the live object byte-identical and unwritten', async () => {
    const live = await send(h.svc, csvRequest('drift', 'id,city\n1,Austin\n2,Boston\n'))
    expect(live.status).toBe(201)
    const before = objectBytes(h, live.body.object_key)
    const putsBefore = h.store.puts.length
    const registersBefore = h.catalog.registers.length

    // Same header, but `id` is no longer an integer: a different fingerprint.
    const drift = await send(h.svc, csvRequest('drift', 'id,city\nA-1,Austin\n'))
    expect([drift.status, drift.body.code]).toEqual([409, 'CATALOG_SCHEMA_CONFLICT'])
    expect(drift.body.existing_fingerprint).toBe(live.body.fingerprint)
    expect(drift.body.attempted_fingerprint).not.toBe(live.body.fingerprint)
    expect(drift.body.dataset_id).toBe(live.body.dataset_id)

    expect(objectBytes(h, live.body.object_key)).toEqual(before)
    expect(h.store.puts.length).toBe(putsBefore)
    expect(h.catalog.registers.length).toBe(registersBefore)
    expect(h.catalog.get('drift')?.fingerprint).toBe(live.body.fingerprint)
    // A column added or renamed is drift too.
    expect((await send(h.svc, csvRequest('drift', 'id,city,zip\n1,Austin,73301\n'))).status).toBe(409)
    expect((await send(h.svc, csvRequest('drift', 'ID,city\n1,Austin\n'))).status).toBe(409)
    expect(objectBytes(h, live.body.object_key)).toEqual(before)
    expect(await h.leftovers()).toEqual([])
  })

  it('removes its own object when another writer registered the name between the check and the register', async () => {
    const raced = await harness()
    try {
      const realGet = raced.catalog.get
      // The pre-check sees nothing; by the time of register the name exists with another schema.
      raced.catalog.get = () => undefined
      const schema = [{ name: 'x', type: 'VARCHAR' }]
      const fingerprint = fingerprintSchema(schema)
      await raced.catalog.register({ name: 'race', fingerprint, schema, object_key: datasetObjectKey('race', fingerprint), row_count: 1 })
      const r = await send(raced.svc, csvRequest('race', 'a\n1\n'))
      expect([r.status, r.body.code]).toEqual([409, 'CATALOG_SCHEMA_CONFLICT'])
      expect(raced.store.puts).toHaveLength(1)
      expect(raced.store.bytes(raced.store.puts[0] ?? '')).toBeUndefined()
      raced.catalog.get = realGet
    } finally {
      await raced.close()
    }
  })

  it('serialises ingests of one name and runs different names side by side', async () => {
    const many = await Promise.all([h.svc.handler(csvRequest('serial', 'a,b\n1,x\n')), h.svc.handler(csvRequest('serial', 'a,b\n2,y\n'))])
    expect(many.map((r) => r.status).sort()).toEqual([200, 201])
  })

  it('answers 404 off the route and 405 with Allow for other methods', async () => {
    const wrong = await send(h.svc, new Request(`http://x${INGEST_MOUNT}/people`, { method: 'GET' }))
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST'])
    expect((await send(h.svc, new Request(`http://x${INGEST_MOUNT}`, { method: 'POST' }))).status).toBe(404)
  })
})

describe('ingestFile', () => {
  it('ingests a file on disk with the same result as the route and leaves the file in place', async () => {
    const path = join(files, 'people[1].csv')
    await writeFile(path, PEOPLE)
    const viaFile = await h.svc.ingestFile('people_file', path)
    const viaRoute = (await send(h.svc, csvRequest('people_file', PEOPLE))).body
    expect(viaFile).toEqual({ ...viaRoute, status: 'created' })
    expect(viaRoute.status).toBe('existing')
    expect(await h.leftovers()).toEqual([])
  })

  it('throws coded problems: invalid name, malformed CSV, too large', async () => {
    const path = join(files, 'bad.csv')
    await writeFile(path, 'a,b\n1,2\n3\n')
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (isProblem(e) ? e.code : String(e)),
      )
    expect(await codeOf(h.svc.ingestFile('Bad Name', path))).toBe('INGEST_INVALID_NAME')
    expect(await codeOf(h.svc.ingestFile('bad_rows', path))).toBe('INGEST_MALFORMED_CSV')
    const small = await harness({ maxBytes: 4 })
    try {
      expect(await codeOf(small.svc.ingestFile('big', path))).toBe('INGEST_TOO_LARGE')
    } finally {
      await small.close()
    }
  })
})
