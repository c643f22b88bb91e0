import {
  type Catalog,
  type ColumnSpec,
  datasetObjectKey,
  fingerprintSchema,
  type ReplaceAuthority,
  type StaleIndex,
  schemaConflictProblem,
  type VersionSummary,
} from '@lakehouse/catalog'
import { quoteIdentifier, quoteLiteral } from '@lakehouse/duckdb'
import { DATASET_NAME_PATTERN, replaceScope } from '@lakehouse/grants/contract'
import { createKeyedMutex, type Logger, quoteCallerText } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import type { IngestConfig } from './config.ts'
import { isDuckDbCsvError, malformedCsvProblem } from './csv-errors.ts'
import { readCsvHeader } from './csv-header.ts'
import { type ColumnType, castSql, internalColumn, readCsvSql, rowGroupRows } from './csv-sql.ts'
import { type Engine, isOutOfMemory } from './engine.ts'
import { ingestErrors } from './errors.ts'
import { inferSampleTypes, verifyTypes } from './infer-schema.ts'
import { hashFile, openFileStream, removeQuietly, tempPath } from './temp-files.ts'

export interface IngestResult {
  readonly dataset_id: string
  readonly name: string
  readonly fingerprint: string
  readonly schema: readonly ColumnSpec[]
  /** `datasets/<name>/<fingerprint>/<content_hash>.parquet`: one key per content. */
  readonly object_key: string
  /** Data rows in the live version after this ingest. */
  readonly row_count: number
  /**
   * created → 201; existing (the live version already holds exactly these Parquet bytes) → 200,
   * nothing written; replaced (other content: a new version, live now) → 200, same dataset_id.
   */
  readonly status: 'created' | 'existing' | 'replaced'
  /** The live version's id (catalog versions). */
  readonly version: number
  /** SHA-256 hex of the Parquet object's bytes: what `existing` is decided on. */
  readonly content_hash: string
  /** For `replaced`: the version that was live before (its row_count is "rows before"). */
  readonly previous?: VersionSummary
  /** Set when an escape grant authorised replacing a drifted schema: the superseded fingerprint. */
  readonly replaced_fingerprint?: string
  /** Vector indexes built from a version of this dataset that is no longer live. */
  readonly stale_indexes: readonly StaleIndex[]
}

export type { ReplaceAuthority }

export interface IngestOptions {
  /** An escape grant (`Lakehouse-Grant` header) that may authorise replacing a drifted schema. */
  readonly grant?: string
}

export interface IngesterParts {
  readonly config: Readonly<IngestConfig>
  readonly store: ObjectStore
  readonly catalog: Catalog
  readonly engine: Engine
  readonly tmpDir: string
  readonly logger: Logger
  readonly grants?: ReplaceAuthority
}

export interface Ingester {
  /** Ingests the CSV at `csvPath` (a plain path under tmpDir). The caller holds a slot. */
  ingestCsv(name: string, csvPath: string, options?: IngestOptions): Promise<IngestResult>
}

export function checkName(name: string): void {
  if (!DATASET_NAME_PATTERN.test(name)) {
    throw ingestErrors.problem('INGEST_INVALID_NAME', {
      detail: `dataset name ${quoteCallerText(name)} must match ${DATASET_NAME_PATTERN.source}`,
    })
  }
}

export function createIngester(parts: IngesterParts): Ingester {
  const { config, store, catalog, engine, tmpDir, logger, grants } = parts
  // Same-name ingests run one at a time, so the conflict check, the write of the object and
  // the register cannot interleave with another ingest of that name in this process.
  const locks = createKeyedMutex()

  /**
   * DuckDB's memory_limit is shared by every running ingest, and DuckDB reserves memory per
   * column whether or not a row fills it (issue 12: 125–190 KB per column for the COPY), so
   * two of the widest files at once can exhaust it. That is a retryable 503, not a 500.
   */
  const outOfMemoryAsProblem = async <T>(width: number, work: Promise<T>): Promise<T> => {
    try {
      return await work
    } catch (err) {
      if (!isOutOfMemory(err)) throw err
      throw ingestErrors.problem('INGEST_OUT_OF_MEMORY', {
        detail: `the ingest engine reached its memory limit (${config.memoryLimit}, shared by all running ingests) on a ${width}-column CSV; retry later`,
        headers: { 'retry-after': String(config.retryAfterSeconds) },
        cause: err,
      })
    }
  }

  /** Header → sample types → whole-file check → Parquet in tmpDir. Nothing outside tmpDir is touched. */
  const convert = async (name: string, csvPath: string, parquetPath: string, grant: string | undefined) => {
    const header = await readCsvHeader(csvPath, config)
    const width = header.names.length
    const relation = readCsvSql(csvPath, width, config.csvBufferBytes)
    const converted = engine.withConnection(async (conn) => {
      let verified: Awaited<ReturnType<typeof verifyTypes>>
      try {
        const sampled = await inferSampleTypes(conn, relation, width, config.sampleRows)
        verified = await verifyTypes(conn, relation, sampled)
      } catch (err) {
        if (isDuckDbCsvError(err)) throw await malformedCsvProblem(csvPath, width, err)
        throw err
      }
      if (verified.rowCount === 0) throw ingestErrors.problem('INGEST_NO_ROWS', { detail: 'the CSV has a header but no data records' })
      const schema: { name: string; type: ColumnType }[] = header.names.map((n, i) => ({ name: n, type: verified.types[i] ?? 'VARCHAR' }))
      const fingerprint = fingerprintSchema(schema)
      if (verified.demoted.length > 0) {
        const demoted = verified.demoted.map((d) => ({ column: header.names[d.index], sampled: d.sampled, misfits: d.misfits }))
        logger.info('ingest widened columns to VARCHAR after the whole-file check', { name, demoted })
      }
      // The gate: checked before the COPY, and long before anything reaches storage.
      const current = catalog.get(name)
      let replace = false
      if (current !== undefined && current.fingerprint !== fingerprint) {
        // The catalog's own problem, raised before the object is written: a drifting upload must never touch storage.
        if (grant === undefined || grants === undefined) throw schemaConflictProblem(current, fingerprint, 'replacing it')
        // Refusals (expired, tampered, reused …) surface with the grant's own code; nothing is written.
        await grants.verify(grant, replaceScope(name))
        replace = true
      }
      const casts = schema.map((c, i) => `${castSql(internalColumn(i), c.type)} AS ${quoteIdentifier(c.name)}`).join(', ')
      // Row groups shrink with the width: the writer holds one in memory (csv-sql.ts).
      const copy = await conn.run(
        `COPY (SELECT ${casts} FROM ${relation}) TO ${quoteLiteral(parquetPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows(config.parquetRowGroupRows, width)})`,
      )
      return { schema, fingerprint, rowCount: copy.rowsChanged, replace }
    })
    return outOfMemoryAsProblem(width, converted)
  }

  const putObject = async (key: string, parquetPath: string) => {
    const file = await openFileStream(parquetPath)
    try {
      // Durability: whatever store.put promises (fs: temp file, fsync, rename, directory fsync;
      // s3: acknowledged PUT), an atomic replace in both. The response waits for it.
      await store.put(key, file.stream, { contentType: 'application/vnd.apache.parquet' })
    } finally {
      await file.close()
    }
  }

  return {
    async ingestCsv(name, csvPath, options = {}) {
      checkName(name)
      return locks.run(name, async () => {
        const started = performance.now()
        const parquetPath = tempPath(tmpDir, 'parquet')
        // A restore of this name while we run would race the switch below: the catalog refuses it.
        const endWrite = catalog.beginWrite(name)
        try {
          const { schema, fingerprint, rowCount, replace } = await convert(name, csvPath, parquetPath, options.grant)
          // One key per content (issue 13): a new version never overwrites the live object, so
          // queries keep reading the old one until the catalog switches the views.
          const contentHash = await hashFile(parquetPath)
          const key = datasetObjectKey(name, fingerprint, contentHash)
          // The live version already holds these bytes: re-writing them would only disturb readers.
          const written = catalog.get(name)?.object_key !== key
          if (written) await putObject(key, parquetPath)
          let registered: Awaited<ReturnType<Catalog['register']>>
          try {
            // Consumed only now, when everything but the swap has succeeded: a failed upload
            // does not burn the grant. Losing the consume race leaves an orphan, removed below.
            if (replace && grants !== undefined && options.grant !== undefined) await grants.consume(options.grant, replaceScope(name))
            registered = await catalog.register(
              { name, fingerprint, schema, object_key: key, row_count: rowCount, content_hash: contentHash },
              { replace },
            )
          } catch (err) {
            // Not registered: the object is an orphan unless a kept version names it (the same
            // content ingested before), so it goes unless the catalog still refers to it.
            const kept = catalog.versions(name)?.some((v) => v.object_key === key) ?? false
            if (written && !kept) await store.delete(key).catch(() => false)
            throw err
          }
          const { manifest, status } = registered
          logger.info('ingested', {
            name,
            fingerprint,
            rows: rowCount,
            status,
            version: manifest.version,
            durMs: Math.round(performance.now() - started),
          })
          return {
            dataset_id: manifest.dataset_id,
            name,
            fingerprint,
            schema,
            object_key: key,
            row_count: rowCount,
            status,
            version: manifest.version,
            content_hash: contentHash,
            ...(registered.previous === undefined ? {} : { previous: registered.previous }),
            ...(registered.replaced_fingerprint === undefined ? {} : { replaced_fingerprint: registered.replaced_fingerprint }),
            stale_indexes: catalog.staleIndexes(name),
          }
        } finally {
          endWrite()
          await removeQuietly(parquetPath)
        }
      })
    },
  }
}
