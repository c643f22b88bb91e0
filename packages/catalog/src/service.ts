import { type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import type { ObjectStore } from '@lakehouse/storage'
import { type CatalogStats, createCatalog } from './catalog.ts'
import { type CatalogConfig, resolveCatalogConfig } from './config.ts'
import { rehydrate } from './rehydrate.ts'
import { createCatalogHandler, type GrantOf } from './routes.ts'
import type { Catalog, IndexSources, InspectObject, ReplaceAuthority } from './types.ts'

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
  /**
   * Which dataset version each vector index was built from (`GET …/datasets/{name}` and the
   * ingest answer report `stale_indexes`). The catalog does not depend on the vector package;
   * the gateway passes a function over it. Without it no index is ever reported stale.
   */
  readonly indexSources?: IndexSources
  /** Escape grants and the request's grant (`Lakehouse-Grant`), for a restore that changes the schema. */
  readonly grants?: ReplaceAuthority & { readonly grantOf: GrantOf }
}

export interface CatalogService extends Catalog {
  /**
   * Serves `GET|POST /v1/catalog/datasets`, `GET /v1/catalog/datasets/{name}`, `GET …/{name}/versions`
   * and `POST …/{name}/versions/{version}/restore` on their full paths.
   */
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
  logger.info('catalog rehydrated', { datasets: initial.records.length, skipped: initial.skipped, durMs })
  const catalog = createCatalog({
    config: resolved,
    store: deps.store,
    logger,
    now: deps.now ?? (() => new Date()),
    initial,
    inspectObject: deps.inspectObject,
    ...(deps.indexSources === undefined ? {} : { indexSources: deps.indexSources }),
    ...(deps.grants === undefined ? {} : { grants: deps.grants }),
  })
  return {
    handler: createCatalogHandler(catalog, resolved, deps.grants?.grantOf),
    config: resolved,
    register: (input, options) => catalog.register(input, options),
    get: (name) => catalog.get(name),
    list: () => catalog.list(),
    onChange: (listener) => catalog.onChange(listener),
    versions: (name) => catalog.versions(name),
    restore: (name, version, options) => catalog.restore(name, version, options),
    staleIndexes: (name) => catalog.staleIndexes(name),
    beginWrite: (name) => catalog.beginWrite(name),
    stats: () => catalog.stats(),
    close: () => catalog.close(),
  }
}
