import { symlink } from 'node:fs/promises'
import type { InspectObject, ObjectInspection } from '@lakehouse/catalog'
import { quoteLiteral } from '@lakehouse/duckdb'
import type { ObjectStore } from '@lakehouse/storage'
import type { Engine } from './engine.ts'
import { removeQuietly, tempPath } from './temp-files.ts'

/**
 * The catalog's object check (security issue 11), on ingest's DuckDB: what a stored Parquet
 * object really holds, read from its metadata only (the footer: no row is decoded).
 *
 * Column types are DESCRIBE's `column_type`, the same DuckDB type names ingest records in the
 * manifests it registers (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, VARCHAR; pinned by
 * test/inspect-object.test.ts for every type ingest infers). The row count is the footer's
 * `num_rows`. The object is read through a plain-named link under tmpDir, because read_parquet
 * treats `*`, `?` and `[` in a path as a glob (the same sidestep as `ingestFile`).
 */
export function createObjectInspector(engine: Engine, store: ObjectStore, tmpDir: string): InspectObject {
  return async (key): Promise<ObjectInspection> => {
    // A storage failure rejects: the catalog answers a retryable 503, not a refusal.
    const path = await store.localPath(key)
    if (path === undefined) return { status: 'missing' }
    const link = tempPath(tmpDir, 'parquet')
    try {
      await symlink(path, link)
      const file = quoteLiteral(link)
      return await engine.withConnection(async (conn) => {
        try {
          const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${file})`)
          const counted = await conn.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${file})`)
          const schema = described.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }))
          const rows = counted.getRows()[0]?.[0]
          return { status: 'parquet', schema, row_count: Number(rows ?? 0) }
        } catch (err) {
          // Not Parquet, truncated, corrupt: an answer about the object, not a failure to look.
          return { status: 'unreadable', reason: err instanceof Error ? err.message : String(err) }
        }
      })
    } finally {
      await removeQuietly(link)
    }
  }
}
