import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBInstance,
  DuckDBListType,
  type DuckDBListVector,
  DuckDBStructType,
  type DuckDBStructVector,
  INTEGER,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  isValid,
  listChild,
  listSize,
  rawColumn,
  rawData,
  rawValidity,
  setListSize,
  stringItemLength,
  stringLength,
  structChild,
  vectorOf,
} from '../src/engine-vectors.ts'

/**
 * Pins the @duckdb/node-api 1.5.6 behaviours the byte cap and the timeout are built on
 * (src/engine-vectors.ts, src/result-size.ts, src/query.ts), on whichever runtime runs the suite.
 */

let instance: DuckDBInstance
let connection: DuckDBConnection

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB', allocator_background_threads: 'true' })
  connection = await instance.connect()
})
afterAll(() => {
  connection.closeSync()
  instance.closeSync()
})

async function firstChunk(sql: string): Promise<DuckDBDataChunk> {
  const result = await (await connection.prepare(sql)).stream()
  const chunk = await result.fetchChunk()
  if (chunk === null) throw new Error('no chunk')
  return chunk
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

describe('@duckdb/node-api 1.5.6 result vectors', () => {
  it('gives a string’s byte length in the first 4 bytes of its 16-byte header, inline or not, constant or filtered', async () => {
    for (const sql of [
      "SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('é', i) END AS s FROM range(40) t(i)",
      "SELECT 'constant-and-longer-than-twelve' AS s FROM range(3000)",
      "SELECT s FROM (SELECT 'abcdefghijklmnop' || (i % 3) AS s FROM range(5000) t(i)) WHERE s LIKE '%1'",
    ]) {
      const chunk = await firstChunk(sql)
      const raw = rawColumn(chunk, 0)
      const headers = view(rawData(raw, chunk.rowCount * 16))
      const mask = rawValidity(raw, chunk.rowCount)
      const strings = chunk.getColumnValues(0) as (string | null)[]
      strings.forEach((s, i) => {
        expect(isValid(mask, i), sql).toBe(s !== null)
        if (s !== null) expect(stringLength(headers, i), sql).toBe(Buffer.byteLength(s))
      })
    }
  })

  it('lays list rows out as {offset, length} uint64 pairs over one child, in row order', async () => {
    const chunk = await firstChunk('SELECT CASE WHEN i = 1 THEN NULL ELSE range(i) END AS l FROM range(5) t(i)')
    const raw = rawColumn(chunk, 0)
    const entries = new BigUint64Array(rawData(raw, chunk.rowCount * 16).slice().buffer)
    expect(isValid(rawValidity(raw, 5), 1)).toBe(false)
    expect([0, 2, 3, 4].map((i) => [Number(entries[i * 2]), Number(entries[i * 2 + 1])])).toEqual([
      [0, 0],
      [0, 2],
      [2, 3],
      [5, 4],
    ])
    expect(listSize(raw)).toBe(9)
  })

  it('copies a list column’s whole child on getColumnVector, and only the trimmed part after set_size', async () => {
    const chunk = await firstChunk('SELECT CASE WHEN i = 0 THEN [1, 2] ELSE range(100000) END AS l FROM range(2) t(i)')
    const raw = rawColumn(chunk, 0)
    expect(listSize(raw)).toBe(100_002)
    expect((chunk.getColumnVector(0) as DuckDBListVector).childVector.itemCount).toBe(100_002)
    chunk.rowCount = 1
    setListSize(raw, 2)
    const trimmed = chunk.getColumnVector(0) as DuckDBListVector
    expect([trimmed.itemCount, trimmed.childVector.itemCount]).toEqual([1, 2])
    expect(chunk.getRowValues(0)[0]?.toString()).toBe('[1, 2]')
  })

  it('compacts a slice of a large list into its own child', async () => {
    const chunk = await firstChunk('SELECT list_slice(range(1000000), 999990, 1000000) AS l')
    expect(listSize(rawColumn(chunk, 0))).toBe(11)
  })

  it('reads a MAP as LIST(STRUCT(key, value)) and a UNION as STRUCT(tag, members…)', async () => {
    const map = await firstChunk("SELECT MAP {'k': 1, 'j': NULL} AS m")
    const entries = vectorOf(rawColumn(map, 0), 1, new DuckDBListType(new DuckDBStructType(['key', 'value'], [VARCHAR, INTEGER])))
    const items = (entries as DuckDBListVector).getItemVector(0) as DuckDBStructVector
    expect([0, 1].map((k) => [items.entryVectorAt(0).getItem(k), items.entryVectorAt(1).getItem(k)])).toEqual([
      ['k', 1],
      ['j', null],
    ])
    const union = await firstChunk("SELECT union_value(num := 2)::UNION(str VARCHAR, num INTEGER) AS u UNION ALL SELECT 'x'")
    const tags = vectorOf(structChild(rawColumn(union, 0), 0), 2, UTINYINT)
    expect([tags.getItem(0), tags.getItem(1)]).toEqual([1, 0])
  })

  it('keeps string headers and the NULL mask in node-api’s vector (and its slices), so a string is measured before getItem', async () => {
    const chunk = await firstChunk(
      "SELECT [NULL, repeat('ü', 20), 'ab']::VARCHAR[] AS l, 'x' || repeat('y', 99) AS s, '\\x00\\xFF'::BLOB AS b",
    )
    const items = (chunk.getColumnVector(0) as DuckDBListVector).getItemVector(0)
    if (items === null) throw new Error('no items')
    expect([0, 1, 2].map((k) => stringItemLength(items, k))).toEqual([0, 40, 2])
    expect(stringItemLength(chunk.getColumnVector(1), 0)).toBe(100)
    expect(stringItemLength(chunk.getColumnVector(2), 0)).toBe(2)
    expect(stringItemLength(chunk.getColumnVector(1).slice(0, 1), 0)).toBe(100)
  })

  it('hands list children over by list_vector_get_child', async () => {
    const chunk = await firstChunk("SELECT ['ab', NULL, 'cdefghijklmnopq'] AS l")
    const child = listChild(rawColumn(chunk, 0))
    const headers = view(rawData(child, 3 * 16))
    expect([stringLength(headers, 0), isValid(rawValidity(child, 3), 1), stringLength(headers, 2)]).toEqual([2, false, 15])
  })
})

describe('@duckdb/node-api 1.5.6 interrupts', () => {
  it('loses an interrupt that arrives before a statement starts (DuckDB clears the flag at the start)', async () => {
    connection.interrupt()
    expect((await connection.runAndReadAll('SELECT 42')).getRows()).toEqual([[42]])
  })

  it('stops a running stream() when interrupted repeatedly', async () => {
    const prepared = await connection.prepare('SELECT * FROM range(100000000000) t(x), range(1000000) u(y) ORDER BY random()')
    const started = Date.now()
    const repeat = setInterval(() => connection.interrupt(), 100)
    await expect(prepared.stream()).rejects.toThrow(/INTERRUPT Error/)
    clearInterval(repeat)
    expect(Date.now() - started).toBeLessThan(5000)
    expect((await connection.runAndReadAll('SELECT 1')).getRows()).toEqual([[1]])
  })

  it('runs a filtered scan inside stream() until its first chunk is buffered, so stream() needs the interrupts too', async () => {
    const prepared = await connection.prepare('SELECT range FROM range(1000000000000) WHERE range % 1000000007 = 1')
    const started = Date.now()
    const repeat = setInterval(() => connection.interrupt(), 100)
    await expect(prepared.stream()).rejects.toThrow(/INTERRUPT Error/)
    clearInterval(repeat)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('accepts allocator_background_threads (memory a query freed goes back to the system)', async () => {
    expect((await connection.runAndReadAll("SELECT current_setting('allocator_background_threads')")).getRows()).toEqual([[true]])
  })
})
