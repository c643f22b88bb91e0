import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { openDuckDb } from '@lakehouse/duckdb'

export interface EngineOptions {
  readonly threads: number
  readonly memoryLimit: string
  /** Parent of the spill directory; the engine owns and removes `<tmpDir>/duckdb-spill-<id>`. */
  readonly tmpDir: string
}

export interface Engine {
  /** Runs `fn` on a fresh connection that is closed afterwards, whatever happens. */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * True for DuckDB's "Out of Memory Error": memory_limit reached (the message names the
 * limit). The error carries no code, so its type prefix is the only mark (DuckDB 1.5).
 */
export function isOutOfMemory(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('Out of Memory Error:')
}

/**
 * One in-memory DuckDB per service, created at start. `memory_limit` plus a spill directory
 * under tmpDir make a big file page out to disk instead of growing the process. Nothing is
 * kept in the database between ingests: each one reads its CSV with `read_csv` and writes
 * Parquet with COPY, so the instance is stateless and never needs to be durable.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const spillDir = join(options.tmpDir, `duckdb-spill-${crypto.randomUUID()}`)
  await mkdir(spillDir, { recursive: true })
  let instance: DuckDBInstance
  try {
    // The shared settings (@lakehouse/duckdb): no extension is autoloaded or installed, which
    // ingest never needed (parquet, and icu for TimeZone, are linked in), and the background
    // allocator threads the query engine relies on, which are process-wide in DuckDB 1.5.
    instance = await openDuckDb({ threads: options.threads, memoryLimit: options.memoryLimit, tempDirectory: spillDir })
  } catch (err) {
    await rm(spillDir, { recursive: true, force: true })
    throw err
  }
  let closed = false
  return {
    async withConnection(fn) {
      const conn = await instance.connect()
      try {
        // TimeZone is per connection and defaults to the host's zone (TZ): pin it, or the same
        // CSV would give different TIMESTAMP values on differently configured machines.
        await conn.run("SET TimeZone = 'UTC'")
        return await fn(conn)
      } finally {
        conn.closeSync()
      }
    },
    async close() {
      if (closed) return
      closed = true
      instance.closeSync()
      await rm(spillDir, { recursive: true, force: true })
    },
  }
}
