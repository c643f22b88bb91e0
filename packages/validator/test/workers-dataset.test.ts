import { Problem } from '@lakehouse/kit'
import { describe, expect, it } from 'vitest'
import {
  allWorkerIdsSql,
  createQueryWorkerLookup,
  existingWorkerIdsSql,
  WORKERS_DATASET,
  type WorkersQuery,
  workerByIdSql,
} from '../src/index.ts'

/** A query service that records its statements and answers from `ids`; `views` are the datasets that exist. */
function fakeQuery(ids: readonly string[], options: { views?: readonly string[]; fail?: Error } = {}) {
  const calls: { sql: string; params: unknown }[] = []
  const views = options.views ?? [WORKERS_DATASET]
  const query: WorkersQuery = {
    async select(sql, params) {
      calls.push({ sql, params })
      if (sql.includes('information_schema'))
        return { columns: [{ name: 'n' }], rows: [[BigInt(views.includes(String(params.name)) ? 1 : 0)]] }
      if (options.fail !== undefined) throw options.fail
      const wanted = new Set(params.ids as readonly string[])
      return { columns: [{ name: 'id' }], rows: ids.filter((id) => wanted.has(id)).map((id) => [id]) }
    },
  }
  return { query, calls }
}

const invalid = () => new Problem('QUERY_INVALID', { status: 400, title: 'Invalid Query' })

describe('the workers dataset SQL', () => {
  it('names the workers dataset as a quoted identifier and compares ids as text', () => {
    expect(WORKERS_DATASET).toBe('workers')
    expect(workerByIdSql(['worker_id', 'name'])).toBe(
      'SELECT worker_id, name FROM "workers" WHERE CAST(worker_id AS VARCHAR) = $id LIMIT 1',
    )
    expect(existingWorkerIdsSql()).toBe(
      'SELECT DISTINCT CAST(worker_id AS VARCHAR) AS id FROM "workers" WHERE CAST(worker_id AS VARCHAR) IN (SELECT unnest($ids))',
    )
    expect(allWorkerIdsSql()).toBe('SELECT list(CAST(worker_id AS VARCHAR)) AS ids FROM "workers"')
  })

  it('quotes any other dataset name', () => {
    for (const sql of [workerByIdSql(['worker_id'], 'we"ird'), existingWorkerIdsSql('we"ird'), allWorkerIdsSql('we"ird')])
      expect(sql).toContain('FROM "we""ird"')
  })
})

describe('createQueryWorkerLookup', () => {
  it('answers the existing subset with one parameterised query', async () => {
    const { query, calls } = fakeQuery(['W-1', 'W-2'])
    const found = await createQueryWorkerLookup(query).existing(['W-2', 'W-9', "' OR 1=1 --"])
    expect([...found]).toEqual(['W-2'])
    expect(calls).toEqual([{ sql: existingWorkerIdsSql(), params: { ids: ['W-2', 'W-9', "' OR 1=1 --"] } }])
  })

  it('asks nothing for no ids', async () => {
    const { query, calls } = fakeQuery(['W-1'])
    expect((await createQueryWorkerLookup(query).existing([])).size).toBe(0)
    expect(calls).toEqual([])
  })

  it('finds no one in a dataset that has not been ingested yet', async () => {
    const { query, calls } = fakeQuery([], { views: [], fail: invalid() })
    expect((await createQueryWorkerLookup(query).existing(['W-1'])).size).toBe(0)
    expect(calls.map((c) => c.params)).toEqual([{ ids: ['W-1'] }, { name: 'workers' }])
  })

  it('rethrows QUERY_INVALID when the dataset exists (e.g. no worker_id column)', async () => {
    const { query } = fakeQuery([], { fail: invalid() })
    await expect(createQueryWorkerLookup(query).existing(['W-1'])).rejects.toMatchObject({ code: 'QUERY_INVALID' })
  })

  it('rethrows anything else without a second query', async () => {
    const { query, calls } = fakeQuery([], { views: [], fail: new Problem('QUERY_TIMEOUT', { status: 504, title: 'Timeout' }) })
    await expect(createQueryWorkerLookup(query).existing(['W-1'])).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' })
    expect(calls).toHaveLength(1)
  })
})
