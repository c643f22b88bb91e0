import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRequest, type Harness, harness, objectBytes, queryParquet, send } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await harness()
})
afterAll(async () => {
  await h.close()
})

let seq = 0
/** Ingests one column of values (after the header `v`) and returns its inferred type. */
async function typeOf(values: readonly string[], harnessed: Harness = h): Promise<string> {
  const r = await send(harnessed.svc, csvRequest(`col_${seq++}`, `k,v\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`))
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.schema[1].type
}

describe('schema inference', () => {
  it.each([
    ['integers', 'BIGINT', ['1', '-2', '0', '9223372036854775807', '-9223372036854775808']],
    ['integers and decimals', 'DOUBLE', ['1', '2.5', '-3e2', '1E-3']],
    ['an integer beyond int64 (it would lose digits as DOUBLE)', 'VARCHAR', ['1', '9223372036854775808']],
    ['leading zeros (ZIP codes must keep them)', 'VARCHAR', ['02134', '10001']],
    ['integers with a plus sign or spaces', 'VARCHAR', ['+5', ' 6']],
    ['hex, underscores, NaN and Infinity', 'VARCHAR', ['0x10', '1_000', 'NaN', 'Infinity']],
    ['booleans in any case', 'BOOLEAN', ['true', 'FALSE', 'True']],
    ['yes/no (not booleans)', 'VARCHAR', ['yes', 'no']],
    ['valid dates', 'DATE', ['2024-02-29', '1999-12-31']],
    ['an impossible date', 'VARCHAR', ['2024-02-29', '2023-02-29']],
    ['dates not in YYYY-MM-DD', 'VARCHAR', ['2024-2-3']],
    ['ISO date-times', 'TIMESTAMP', ['2024-01-02T03:04:05Z', '2024-01-02 03:04', '2024-01-02T03:04:05.123456+02:00']],
    ['date-times with more than microsecond precision', 'VARCHAR', ['2024-01-02T03:04:05.1234567']],
    ['dates mixed with date-times', 'VARCHAR', ['2024-01-02', '2024-01-02T03:04:05']],
    ['free text', 'VARCHAR', ['hello', '1']],
  ])('infers %s → %s', async (_label, expected, values) => {
    expect(await typeOf(values)).toBe(expected)
  })

  it('lets empty values not vote, and types an all-empty column VARCHAR', async () => {
    expect(await typeOf(['', '5', '', '7'])).toBe('BIGINT')
    const r = await send(h.svc, csvRequest('all_empty', 'a,b\n1,\n2,""\n'))
    expect(r.body.schema).toEqual([
      { name: 'a', type: 'BIGINT' },
      { name: 'b', type: 'VARCHAR' },
    ])
  })

  it('stores TIMESTAMP values in UTC, applying any offset', async () => {
    const r = await send(h.svc, csvRequest('stamps', 'k,at\n1,2024-01-02T03:04:05+02:00\n2,2024-01-02 03:04\n3,2024-01-02T03:04:05.5Z\n'))
    const rows = await queryParquet(objectBytes(h, r.body.object_key), 'SELECT "at"::VARCHAR FROM t ORDER BY k')
    expect(rows.map(([v]) => v)).toEqual(['2024-01-02 01:04:05', '2024-01-02 03:04:00', '2024-01-02 03:04:05.5'])
  })

  it('demotes a column to VARCHAR when a value outside the sample does not fit, losing nothing', async () => {
    // 2,000 integer rows; row 1,500 holds a non-integer, far outside the 1,000-row sample.
    const values = Array.from({ length: 2000 }, (_, i) => (i === 1499 ? '12.5x' : String(i * 7)))
    const csv = `k,v,w\n${values.map((v, i) => `${i},${v},${i}`).join('\n')}\n`
    const r = await send(h.svc, csvRequest('misfit', csv))
    expect(r.status).toBe(201)
    expect(r.body.schema).toEqual([
      { name: 'k', type: 'BIGINT' },
      { name: 'v', type: 'VARCHAR' },
      { name: 'w', type: 'BIGINT' },
    ])
    expect(r.body.row_count).toBe(2000)
    const [summary] = await queryParquet(
      objectBytes(h, r.body.object_key),
      "SELECT count(v), count(*) FILTER (WHERE v = '12.5x'), (SELECT v FROM t WHERE k = 1499), sum(w) FROM t",
    )
    expect(summary).toEqual(['2000', '1', '12.5x', '1999000'])
  })

  it('demotes a column whose late value is numeric but not an integer (never rounds 12.5 to 13)', async () => {
    const small = await harness({ sampleRows: 10 })
    try {
      const values = [...Array.from({ length: 50 }, (_, i) => String(i)), '12.5']
      const r = await send(small.svc, csvRequest('late_decimal', `v\n${values.join('\n')}\n`))
      expect(r.body.schema).toEqual([{ name: 'v', type: 'VARCHAR' }])
      const rows = await queryParquet(objectBytes(small, r.body.object_key), "SELECT v FROM t WHERE v = '12.5'")
      expect(rows).toEqual([['12.5']])
    } finally {
      await small.close()
    }
  })

  it('infers from the first sampleRows rows only, then checks the rest', async () => {
    const small = await harness({ sampleRows: 2 })
    try {
      // The sample says BOOLEAN; the whole file agrees; a later empty value stays NULL.
      const r = await send(small.svc, csvRequest('late_null', 'b\ntrue\nfalse\n\nTRUE\n'))
      expect(r.body.schema).toEqual([{ name: 'b', type: 'BOOLEAN' }])
      expect(r.body.row_count).toBe(4)
    } finally {
      await small.close()
    }
  })
})
