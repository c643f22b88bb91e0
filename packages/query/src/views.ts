import type { DuckDBConnection } from '@duckdb/node-api'
import type { Catalog, DatasetManifest } from '@lakehouse/catalog'
import { quoteIdentifier, quoteLiteral } from '@lakehouse/duckdb'
import type { Logger } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { safeMessage } from './scrub-paths.ts'
import type { QueryStats, ViewError } from './types.ts'

/**
 * One view per catalog dataset, named after it, over its live Parquet object:
 * `CREATE OR REPLACE VIEW "<name>" AS SELECT * FROM read_parquet('<localPath(object_key)>')`.
 *
 * All DDL runs on its own connection, one statement at a time (a promise chain), so it never
 * races itself. Queries on the other connections are not blocked: DuckDB's catalog is
 * transactional (MVCC), so a query that bound the old view keeps reading it while the new one
 * is committed. New queries wait for `settled()` first, so a dataset registered just before a
 * query (ingest → query) is visible to it.
 *
 * A manifest whose view cannot be built (object missing, not Parquet, outside
 * allowed_directories) records an error in `stats()` and drops any older view of that name, so
 * a query never reads an object the catalog no longer points to; the other views are unaffected.
 */
export interface Views {
  /** Subscribes to the catalog, drops views of datasets that are gone, builds one per manifest. */
  start(): Promise<void>
  /** Resolves when every view change queued so far has been applied. */
  settled(): Promise<void>
  stats(): QueryStats
  close(): Promise<void>
}

// read_parquet treats these as glob syntax; a path holding them could read other objects.
const GLOB_CHARACTERS = /[*?[\]{}]/

export function createViews(ddl: DuckDBConnection, catalog: Catalog, store: ObjectStore, logger: Logger): Views {
  const live = new Set<string>()
  const errors = new Map<string, string>()
  let tail: Promise<void> = Promise.resolve()
  let unsubscribe: (() => void) | undefined

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const next = tail.then(work)
    // One failed step must not stall the chain; each step records its own failures.
    tail = next.catch((err: unknown) => logger.error('view refresh failed', { err }))
    return next
  }

  const drop = async (name: string) => {
    await ddl.run(`DROP VIEW IF EXISTS ${quoteIdentifier(name)}`)
    live.delete(name)
  }

  const build = async (manifest: DatasetManifest) => {
    const { name } = manifest
    try {
      const path = await store.localPath(manifest.object_key)
      if (path === undefined) throw new Error(`object ${manifest.object_key} is not in storage`)
      if (GLOB_CHARACTERS.test(path)) throw new Error(`the local path of ${manifest.object_key} holds glob characters`)
      await ddl.run(`CREATE OR REPLACE VIEW ${quoteIdentifier(name)} AS SELECT * FROM read_parquet(${quoteLiteral(path)})`)
      live.add(name)
      errors.delete(name)
      logger.debug('view ready', { view: name, object_key: manifest.object_key })
    } catch (err) {
      const error = safeMessage(err instanceof Error ? err.message : String(err))
      errors.set(name, error)
      await drop(name).catch(() => undefined)
      logger.warn('view not built', { view: name, object_key: manifest.object_key, error })
    }
  }

  const sync = async () => {
    const manifests = catalog.list()
    const wanted = new Set(manifests.map((m) => m.name))
    const existing = await ddl.runAndReadAll("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'")
    for (const [name] of existing.getRows()) {
      if (typeof name === 'string' && !wanted.has(name)) await drop(name)
    }
    for (const name of errors.keys()) if (!wanted.has(name)) errors.delete(name)
    for (const manifest of manifests) await build(manifest)
  }

  return {
    start() {
      // Subscribe before listing so a dataset registered meanwhile is not missed (at worst built twice).
      unsubscribe = catalog.onChange((event) => {
        if (event.type === 'registered') enqueue(() => build(event.manifest)).catch(() => undefined)
      })
      return enqueue(sync)
    },
    settled: () => tail,
    stats() {
      const viewErrors: ViewError[] = [...errors].map(([name, error]) => ({ name, error })).sort((a, b) => (a.name < b.name ? -1 : 1))
      return { views: live.size, viewErrors }
    },
    async close() {
      unsubscribe?.()
      unsubscribe = undefined
      await tail
    },
  }
}
