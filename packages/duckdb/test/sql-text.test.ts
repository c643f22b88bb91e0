import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDb, quoteIdentifier, quoteLiteral } from '../src/index.ts'
import * as sqlOnly from '../src/sql-text.ts'

describe('quoteIdentifier', () => {
  it.each([
    ['workers', '"workers"'],
    ['we"ird', '"we""ird"'],
    ['""', '""""""'],
    ['a b; DROP VIEW x --', '"a b; DROP VIEW x --"'],
    ["it's", `"it's"`],
    ['', '""'],
  ])('%j → %s', (name, quoted) => {
    expect(quoteIdentifier(name)).toBe(quoted)
  })
})

describe('quoteLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['say "hi"', `'say "hi"'`],
    ['C:\\path\\', "'C:\\path\\'"],
    ['', "''"],
  ])('%j → %s', (text, quoted) => {
    expect(quoteLiteral(text)).toBe(quoted)
  })
})

it('the ./sql entry is the same functions, with nothing else', () => {
  expect(Object.keys(sqlOnly).sort()).toEqual(['quoteIdentifier', 'quoteLiteral'])
  expect(sqlOnly.quoteIdentifier).toBe(quoteIdentifier)
})

describe('against DuckDB', () => {
  let instance: DuckDBInstance
  let conn: DuckDBConnection
  beforeAll(async () => {
    instance = await openDuckDb({ threads: 1 })
    conn = await instance.connect()
  })
  afterAll(() => {
    conn.closeSync()
    instance.closeSync()
  })

  const NAMES = ['workers', 'we"ird', '"', 'Mixed Case', "it's", 'a b; DROP VIEW x --', 'ünïcødé', '\\']

  it('an identifier names exactly what it says, whatever it holds', async () => {
    for (const [i, name] of NAMES.entries()) await conn.run(`CREATE TABLE ${quoteIdentifier(name)} AS SELECT ${i} AS n`)
    for (const [i, name] of NAMES.entries()) {
      const rows = (await conn.runAndReadAll(`SELECT n FROM ${quoteIdentifier(name)}`)).getRows()
      expect(rows, name).toEqual([[i]])
    }
    const tables = (await conn.runAndReadAll('SELECT table_name FROM duckdb_tables() ORDER BY table_name')).getRows().map(([t]) => t)
    expect(tables.sort()).toEqual([...NAMES].sort())
  })

  it('a literal reads back as the same text', async () => {
    for (const text of ["it's", "''", '"', '\\n', 'line\nbreak', '', '--', 'ünïcødé']) {
      const rows = (await conn.runAndReadAll(`SELECT ${quoteLiteral(text)}`)).getRows()
      expect(rows, JSON.stringify(text)).toEqual([[text]])
    }
  })

  it('the empty identifier is refused by DuckDB, not quoted into something else', async () => {
    await expect(conn.run(`SELECT 1 AS ${quoteIdentifier('')}`)).rejects.toThrow(/zero-length/i)
  })
})
