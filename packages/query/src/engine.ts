import { isAbsolute, resolve, sep } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { type DuckDbOptions, openDuckDb, quoteLiteral } from '@lakehouse/duckdb'
import { configError } from '@lakehouse/kit'
import type { QueryConfig } from './config.ts'
import { SYSTEM_RELATIONS_SQL } from './reference-policy.ts'

/**
 * The one DuckDB instance and its lockdown. Read-only is enforced by the engine, in this order
 * (DuckDB "Securing DuckDB" guide; every setting checked on 1.5.6 under Node and Bun):
 *
 * 1. At open, `openDuckDb` (@lakehouse/duckdb) with the settings every instance of ours has:
 *    extension autoinstall, autoload and community extensions off (no extension arrives behind
 *    a query's back) and `allocator_background_threads`, so memory a query freed goes back to
 *    the system; plus `temp_directory` as configured ('' = no spill files), `threads` and
 *    `memory_limit` (issue 12: both have defaults of our own, config.ts; DuckDB's own are a
 *    thread per core and 80% of RAM).
 * 2. `SET allowed_directories = [...]`: the only places files may be read. It must be a SET:
 *    the C API's `duckdb_set_config` refuses this list-valued option ("Failed to set config").
 *    DuckDB treats entries as prefixes and appends the trailing "/" itself; we do too.
 * 3. `SET enable_external_access = false`: every file system access, COPY, ATTACH, INSTALL and
 *    LOAD outside those directories now fails with a Permission Error.
 * 4. `SET lock_configuration = true`: no SET/RESET/PRAGMA can undo 2–3 for the life of the
 *    instance (verified: `SET enable_external_access = true` → "the configuration has been locked").
 *
 * The settings are read back before the instance is used; a mismatch fails the boot. Last, the
 * names of the system catalog's relations are read for the statement guard (reference-policy.ts).
 */

export interface Engine {
  readonly instance: DuckDBInstance
  /** View DDL only; queries never run here. */
  readonly ddl: DuckDBConnection
  /** `connections` + 1: the query pool's, then `select()`'s own. */
  readonly queries: readonly DuckDBConnection[]
  /** `schema.name` (lower case) of every view and table in the `system` and `temp` catalogs. */
  readonly systemRelations: ReadonlySet<string>
  close(): void
}

/** Absolute, normalised, with a trailing separator so "/data/parquet" cannot also admit "/data/parquet2". */
export function normaliseAllowedDirectories(dirs: readonly string[]): string[] {
  if (dirs.length === 0) configError('query.allowedDirectories', 'needs at least one directory (the Parquet objects)')
  return dirs.map((dir) => {
    if (typeof dir !== 'string' || !isAbsolute(dir))
      configError('query.allowedDirectories', `must be absolute paths, got ${JSON.stringify(dir)}`)
    const full = resolve(dir)
    if (full === resolve('/')) configError('query.allowedDirectories', 'must not be the file system root')
    return full.endsWith(sep) ? full : `${full}${sep}`
  })
}

function openOptions(config: Readonly<QueryConfig>): DuckDbOptions {
  return {
    tempDirectory: config.tempDirectory,
    // null = DuckDB's own default.
    threads: config.threads ?? undefined,
    memoryLimit: config.memoryLimit ?? undefined,
  }
}

async function lockDown(ddl: DuckDBConnection, allowed: readonly string[]): Promise<void> {
  await ddl.run(`SET allowed_directories = [${allowed.map(quoteLiteral).join(', ')}]`)
  await ddl.run('SET enable_external_access = false')
  await ddl.run('SET lock_configuration = true')
  const reader = await ddl.runAndReadAll(
    `SELECT current_setting('enable_external_access')::VARCHAR, current_setting('lock_configuration')::VARCHAR,
            current_setting('autoload_known_extensions')::VARCHAR, current_setting('autoinstall_known_extensions')::VARCHAR,
            current_setting('allocator_background_threads')::VARCHAR`,
  )
  const got = reader.getRows()[0]?.join(',')
  if (got !== 'false,true,false,false,true') throw new Error(`DuckDB lockdown did not take effect (got ${got ?? 'nothing'})`)
}

async function readSystemRelations(ddl: DuckDBConnection): Promise<ReadonlySet<string>> {
  const names = (await ddl.runAndReadAll(SYSTEM_RELATIONS_SQL)).getRows().map(([name]) => String(name))
  // The guard refuses these by name; an empty list would mean it refuses nothing.
  if (!names.includes('pg_catalog.pg_settings')) throw new Error('DuckDB system catalog not readable (no pg_catalog.pg_settings)')
  return new Set(names)
}

export async function openEngine(config: Readonly<QueryConfig>, allowedDirectories: readonly string[]): Promise<Engine> {
  const allowed = normaliseAllowedDirectories(allowedDirectories)
  let instance: DuckDBInstance
  try {
    instance = await openDuckDb(openOptions(config))
  } catch (err) {
    // DuckDB names no option in "Failed to set config"; threads/memoryLimit/tempDirectory are the candidates.
    return configError('query', `DuckDB refused the engine settings (threads, memoryLimit, tempDirectory): ${String(err)}`)
  }
  const opened: DuckDBConnection[] = []
  const close = () => {
    for (const c of opened) c.closeSync()
    instance.closeSync()
  }
  try {
    const ddl = await instance.connect()
    opened.push(ddl)
    await lockDown(ddl, allowed)
    const systemRelations = await readSystemRelations(ddl)
    const queries: DuckDBConnection[] = []
    // One more than `connections`: the last is `select()`'s own (service.ts).
    for (let i = 0; i <= config.connections; i++) {
      const c = await instance.connect()
      opened.push(c)
      queries.push(c)
    }
    return { instance, ddl, queries, systemRelations, close }
  } catch (err) {
    close()
    throw err
  }
}
