import { type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { type CatalogStats, createCatalog } from './catalog.ts'
import { type CatalogConfig, resolveCatalogConfig } from './config.ts'
import { rehydrate } from './rehydrate.ts'
import { createCatalogHandler } from './routes.ts'
import type { Catalog, InspectObject } from './types.ts'

export interface CatalogDeps {
  /** Where manifests persist (`_system/catalog/<name>.json`); owned by the caller, not closed by the catalog. */
  readonly store: ObjectStore
  readonly logger?: Logger
  /** Clock for created_at/updated_at, injectable for tests. */
  readonly now?: () => Date
  /**
   * Reads the Parquet metadata (schema, row count) of the object an HTTP register names, so a
   * manifest from outside can only describe an object as it really is. The catalog has no
   * Parquet reader of its own; the gateway passes ingest's (`IngestService.inspectObject`).
   * Required: without it there is no safe answer to `POST /v1/catalog/datasets`.
   */
  readonly inspectObject: InspectObject
}

export interface CatalogService extends Catalog {
  /** Serves `GET|POST /v1/catalog/datasets` and `GET /v1/catalog/datasets/{name}` on their full paths. */
  readonly handler: Handler
  readonly config: Readonly<CatalogConfig>
  stats(): CatalogStats
  /** Lets in-flight registers finish, then refuses new ones (503) and drops listeners. Does not close the store. */
  close(): Promise<void>
}

/**
 * Builds the catalog: resolves config (CONFIG_INVALID on bad values), rehydrates every
 * manifest from the store (CATALOG_REHYDRATE_FAILED when the store cannot be listed), then
 * serves. Async because the registry must be complete before the first request.
 */
export async function createCatalogService(config: Partial<CatalogConfig> | undefined, deps: CatalogDeps): Promise<CatalogService> {
  const resolved = resolveCatalogConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'catalog' })
  const started = performance.now()
  const initial = await rehydrate(
    deps.store,
    {
      maxColumns: resolved.maxColumns,
      listPageSize: resolved.listPageSize,
      concurrency: resolved.rehydrateConcurrency,
      maxManifestBytes: resolved.maxManifestBytes,
    },
    logger,
  )
  const durMs = Math.round(performance.now() - started)
  logger.info('catalog rehydrated', { datasets: initial.manifests.length, skipped: initial.skipped, durMs })
  const catalog = createCatalog({
    config: resolved,
    store: deps.store,
    logger,
    now: deps.now ?? (() => new Date()),
    initial,
    inspectObject: deps.inspectObject,
  })
  return {
    handler: createCatalogHandler(catalog, resolved),
    config: resolved,
    register: (input, options) => catalog.register(input, options),
    get: (name) => catalog.get(name),
    list: () => catalog.list(),
    onChange: (listener) => catalog.onChange(listener),
    stats: () => catalog.stats(),
    close: () => catalog.close(),
  }
}
