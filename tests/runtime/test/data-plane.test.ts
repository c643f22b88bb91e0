import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateWorkerRows, writeWorkersCsv } from '@lakehouse/corpus'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runtime, startServer } from './servers.ts'

/**
 * The data plane's round trip on each runtime: upload → store → register → query; a
 * drifting upload refused with 409 while the live Parquet stays byte-identical; a restart
 * that keeps the dataset queryable; and the corpus checked against values computed from
 * the generator itself, not from the server.
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const ROWS = 2_000
const SEED = 'runtime-tests'
const work = mkdtempSync(join(tmpdir(), 'lakehouse-data-plane-'))
const csv = join(work, 'workers.csv')

const expected = { rows: ROWS, years: 0, idsMd5: '' }

beforeAll(async () => {
  await writeWorkersCsv({ rows: ROWS, seed: SEED, out: csv })
  const ids: string[] = []
  for (const w of generateWorkerRows({ rows: ROWS, seed: SEED })) {
    expected.years += w.years_experience
    ids.push(w.worker_id)
  }
  expected.idsMd5 = createHash('md5').update(ids.sort().join(',')).digest('hex')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function sql(base: string, query: string): Promise<unknown[][]> {
  const res = await fetch(`${base}/v1/query/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql: query }),
  })
  const body = (await res.json()) as { rows: unknown[][] }
  expect(res.status, JSON.stringify(body)).toBe(200)
  return body.rows
}

const CHECK = "SELECT count(*) AS n, sum(years_experience) AS years, md5(string_agg(worker_id, ',' ORDER BY worker_id)) AS ids FROM workers"

describe.each(RUNTIMES)('%s data plane', (runtime) => {
  it('round-trips the corpus, refuses drift without touching live data, and survives a restart', async () => {
    const dataDir = join(work, `state-${runtime}`)
    const first = await startServer(runtime, { dataDir })
    let objectKey = ''
    let liveSha = ''
    try {
      const up = await fetch(`${first.url}/v1/ingest/workers`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: readFileSync(csv),
      })
      const dataset = (await up.json()) as { row_count: number; object_key: string; dataset_id: string }
      expect(up.status).toBe(201)
      expect(dataset.row_count).toBe(ROWS)
      objectKey = dataset.object_key

      expect(await sql(first.url, CHECK)).toEqual([[expected.rows, expected.years, expected.idsMd5]])

      const live = async () =>
        createHash('sha256')
          .update(new Uint8Array(await (await fetch(`${first.url}/v1/storage/objects/${objectKey}`)).arrayBuffer()))
          .digest('hex')
      liveSha = await live()
      const drift = await fetch(`${first.url}/v1/ingest/workers`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'worker_id,name\nW-1,x\n',
      })
      expect(drift.status).toBe(409)
      expect(await drift.json()).toMatchObject({
        code: 'CATALOG_SCHEMA_CONFLICT',
        existing_fingerprint: expect.any(String),
        attempted_fingerprint: expect.any(String),
      })
      expect(await live()).toBe(liveSha)

      const again = await fetch(`${first.url}/v1/ingest/workers`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: readFileSync(csv),
      })
      expect(again.status).toBe(200)
      expect(((await again.json()) as { dataset_id: string }).dataset_id).toBe(dataset.dataset_id)
    } finally {
      expect(await first.stop()).toEqual({ code: 0, signal: null })
    }

    const second = await startServer(runtime, { dataDir })
    try {
      expect(await sql(second.url, CHECK)).toEqual([[expected.rows, expected.years, expected.idsMd5]])
      const res = await fetch(`${second.url}/v1/storage/objects/${objectKey}`)
      expect(
        createHash('sha256')
          .update(new Uint8Array(await res.arrayBuffer()))
          .digest('hex'),
      ).toBe(liveSha)
      const fill = await fetch(`${second.url}/v1/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'fill', payload: { headcount: 2, candidate_ids: ['W-001999', 'W-002001'] } }),
      })
      expect(fill.status).toBe(422)
      const problem = (await fill.json()) as { errors: { field: string; reason: string }[] }
      expect(problem.errors.map((e) => [e.field, e.reason])).toEqual([['$.candidate_ids[1]', 'unknown_candidate']])
    } finally {
      await second.stop()
    }
  })
})
