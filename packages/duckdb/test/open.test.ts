import { describe, expect, it } from 'vitest'
import { type DuckDbOptions, duckDbSettings, openDuckDb, SHARED_SETTINGS } from '../src/index.ts'

const SETTINGS = Object.keys(SHARED_SETTINGS)

async function readBack(options: DuckDbOptions, names: readonly string[]): Promise<Record<string, string>> {
  const instance = await openDuckDb(options)
  const conn = await instance.connect()
  try {
    const select = names.map((n) => `current_setting('${n}')::VARCHAR`).join(', ')
    const [row] = (await conn.runAndReadAll(`SELECT ${select}`)).getRows()
    return Object.fromEntries(names.map((n, i) => [n, String(row?.[i])]))
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

describe('openDuckDb', () => {
  it('opens with the shared settings in force', async () => {
    expect(await readBack({}, SETTINGS)).toEqual(SHARED_SETTINGS)
    expect(SHARED_SETTINGS).toMatchObject({ autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' })
  })

  it('adds threads, memory_limit and temp_directory only when given', async () => {
    expect(duckDbSettings()).toEqual(SHARED_SETTINGS)
    expect(duckDbSettings({ threads: 2, memoryLimit: '256MB', tempDirectory: '' })).toEqual({
      ...SHARED_SETTINGS,
      threads: '2',
      memory_limit: '256MB',
      temp_directory: '',
    })
    const got = await readBack({ threads: 2, memoryLimit: '256MB' }, ['threads', 'memory_limit'])
    expect(got.threads).toBe('2')
    expect(got.memory_limit).toMatch(/^2\d\d\.\d MiB$/)
  })

  it('has what ingest and query use without loading an extension: parquet, json, icu (TimeZone)', async () => {
    const instance = await openDuckDb({ threads: 1 })
    const conn = await instance.connect()
    try {
      await conn.run("SET TimeZone = 'UTC'")
      const rows = (
        await conn.runAndReadAll("SELECT CAST(CAST('2024-01-01 10:00:00+02:00' AS TIMESTAMPTZ) AS TIMESTAMP)::VARCHAR, '{}'::JSON::VARCHAR")
      ).getRows()
      expect(rows).toEqual([['2024-01-01 08:00:00', '{}']])
      const loaded = (
        await conn.runAndReadAll(
          "SELECT extension_name FROM duckdb_extensions() WHERE loaded AND extension_name IN ('parquet', 'json', 'icu') ORDER BY 1",
        )
      ).getRows()
      expect(loaded.map(([n]) => n)).toEqual(['icu', 'json', 'parquet'])
    } finally {
      conn.closeSync()
      instance.closeSync()
    }
  })

  it('refuses to load an extension that is not linked in', async () => {
    const instance = await openDuckDb({ threads: 1 })
    const conn = await instance.connect()
    try {
      // httpfs would be autoloaded (and autoinstalled from the network) for an https:// path.
      await expect(conn.run("SELECT * FROM read_parquet('https://127.0.0.1:1/x.parquet')")).rejects.toThrow(/httpfs|extension/i)
    } finally {
      conn.closeSync()
      instance.closeSync()
    }
  })

  it('DuckDB refuses a bad limit', async () => {
    await expect(openDuckDb({ memoryLimit: 'lots' })).rejects.toThrow()
  })
})
