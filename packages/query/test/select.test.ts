import { Decimal } from '@lakehouse/kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueryService } from '../src/index.ts'
import { type Sandbox, sandbox } from './helpers.ts'

let box: Sandbox
let svc: QueryService

beforeAll(async () => {
  box = await sandbox()
  await box.addDataset('workers', "SELECT 'w-' || i AS worker_id, i::BIGINT AS n, (i / 4)::DECIMAL(6,2) AS score FROM range(10) t(i)")
  svc = await box.service({ maxRows: 50 })
})
afterAll(() => box.cleanup())

describe('select() for internal callers', () => {
  it('binds named list parameters (the gateway worker lookup)', async () => {
    const result = await svc.select(
      'SELECT DISTINCT CAST(worker_id AS VARCHAR) AS id FROM workers WHERE CAST(worker_id AS VARCHAR) IN (SELECT unnest($ids)) ORDER BY id',
      { ids: ['w-1', 'w-3', 'w-99'] },
    )
    expect(result.rows).toEqual([['w-1'], ['w-3']])
  })

  it('binds positional parameters and returns codec-ready values', async () => {
    const result = await svc.select('SELECT n, score, $2::VARCHAR AS tag FROM workers WHERE n >= $1 ORDER BY n', [8, 'x'])
    expect(result.rows).toEqual([
      [8n, new Decimal('2.00'), 'x'],
      [9n, new Decimal('2.25'), 'x'],
    ])
    expect(result.columns).toEqual([
      { name: 'n', type: 'BIGINT' },
      { name: 'score', type: 'DECIMAL(6,2)' },
      { name: 'tag', type: 'VARCHAR' },
    ])
  })

  it('caps rows at maxRows', async () => {
    const result = await svc.select('SELECT * FROM range(100)')
    expect([result.row_count, result.truncated]).toEqual([50, true])
  })

  it('keeps the read-only rules', async () => {
    await expect(svc.select('DROP VIEW workers')).rejects.toMatchObject({ code: 'QUERY_FORBIDDEN', status: 403 })
    await expect(svc.select('SELECT * FROM read_csv($1)', ['/etc/passwd'])).rejects.toMatchObject({ code: 'QUERY_FORBIDDEN' })
    await expect(svc.select('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'QUERY_MULTIPLE_STATEMENTS' })
    expect((await svc.select('SELECT count(*) FROM workers')).rows).toEqual([[10n]])
  })

  it('answers 400 QUERY_INVALID when parameters do not fit', async () => {
    await expect(svc.select('SELECT $1, $2', [1])).rejects.toMatchObject({ code: 'QUERY_INVALID' })
    await expect(svc.select('SELECT $x', { y: 1 })).rejects.toMatchObject({ code: 'QUERY_INVALID' })
    await expect(svc.select('SELECT 1', [1])).rejects.toMatchObject({ code: 'QUERY_INVALID' })
  })
})
