import { mkdir, stat, symlink } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Catalog, InspectObject } from '@lakehouse/catalog'
import { createSlots, type Handler, type Logger, redact, SILENT_LOGGER } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { type IngestConfig, resolveIngestConfig } from './config.ts'
import { createEngine } from './engine.ts'
import { ingestErrors } from './errors.ts'
import { checkName, createIngester, type IngestOptions, type IngestResult, type ReplaceAuthority } from './ingest.ts'
import { createObjectInspector } from './inspect-object.ts'
import { createIngestHandler } from './routes.ts'
import { removeQuietly, tempPath } from './temp-files.ts'
import { tooLargeInit } from './upload.ts'

export interface IngestDeps {
  /** Where Parquet objects go (`datasets/<name>/<fingerprint>.parquet`); not closed by the service. */
  readonly store: ObjectStore
  /** The schema gate and the registry; not closed by the service. */
  readonly catalog: Catalog
  /**
   * Scratch directory (created if missing): uploads, Parquet before it is stored, DuckDB's
   * spill files. Needs room for about 1.2× the largest upload per slot, plus any spill.
   */
  readonly tmpDir: string
  readonly logger?: Logger
  /** Escape grants: lets an ingest with a `dataset.replace:<name>` grant replace a drifted schema. */
  readonly grants?: ReplaceAuthority
}

export interface IngestService {
  /** Serves `POST /v1/ingest/{name}` on its full path. */
  readonly handler: Handler
  readonly config: Readonly<IngestConfig>
  /**
   * Ingests a CSV file already on disk (CLI, provisioning), with the same checks, limits, slots
   * and result as the HTTP route. The file is read, never moved or removed.
   */
  ingestFile(name: string, path: string, options?: IngestOptions): Promise<IngestResult>
  /**
   * The schema and row count of a stored Parquet object, read from its metadata with this
   * service's DuckDB; the catalog's check of manifests it did not get from ingest (wired in the
   * gateway). Takes no slot: it reads a footer, not the data.
   */
  readonly inspectObject: InspectObject
  /** Refuses new ingests (503), lets running ones finish, then closes DuckDB. */
  close(): Promise<void>
}

/**
 * Builds the service: resolves config (CONFIG_INVALID on bad values) and opens the DuckDB
 * instance. Async because the instance is created at start, not on the first request.
 */
export async function createIngestService(config: Partial<IngestConfig> | undefined, deps: IngestDeps): Promise<IngestService> {
  const resolved = resolveIngestConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'ingest' })
  const tmpDir = resolve(deps.tmpDir)
  await mkdir(tmpDir, { recursive: true })
  const engine = await createEngine({ threads: resolved.threads, memoryLimit: resolved.memoryLimit, tmpDir })
  logger.info('ingest config', { config: redact(resolved) })
  const ingester = createIngester({
    config: resolved,
    store: deps.store,
    catalog: deps.catalog,
    engine,
    tmpDir,
    logger,
    ...(deps.grants === undefined ? {} : { grants: deps.grants }),
  })
  const slots = createSlots(resolved.slots)
  let closed = false

  const acquire = (): (() => void) => {
    const release = closed ? undefined : slots.tryAcquire()
    if (release === undefined) {
      throw ingestErrors.problem('INGEST_BUSY', {
        detail: closed ? 'the ingest service is shutting down' : `all ${resolved.slots} ingest slots are in use`,
        headers: { 'retry-after': String(resolved.retryAfterSeconds) },
      })
    }
    return release
  }

  const ingestFile = async (name: string, path: string, options: IngestOptions = {}): Promise<IngestResult> => {
    checkName(name)
    const release = acquire()
    // DuckDB treats `*`, `?` and `[` in a path as a glob and picks a decompressor from the
    // extension; a link with a plain name under tmpDir sidesteps both for any caller path.
    const link = tempPath(tmpDir, 'csv')
    try {
      const info = await stat(path)
      if (!info.isFile()) throw new TypeError(`${path} is not a regular file`)
      if (info.size > resolved.maxBytes) throw ingestErrors.problem('INGEST_TOO_LARGE', tooLargeInit(resolved.maxBytes))
      await symlink(resolve(path), link)
      return await ingester.ingestCsv(name, link, options)
    } finally {
      await removeQuietly(link)
      release()
    }
  }

  return {
    handler: createIngestHandler({ config: resolved, tmpDir, acquire, ingestCsv: ingester.ingestCsv }),
    config: resolved,
    ingestFile,
    inspectObject: createObjectInspector(engine, deps.store, tmpDir),
    async close() {
      if (closed) return
      closed = true
      await slots.idle()
      await engine.close()
    },
  }
}
