import { HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, RETRY_AFTER_CHECK, resolveWith } from '@lakehouse/kit'
import { DEFAULT_MAX_COLUMNS, MAX_COLUMNS_CEILING } from './column-rules.ts'

export interface CatalogConfig extends HttpLimits {
  /** Most columns one manifest may list. */
  readonly maxColumns: number
  /**
   * Largest encoded manifest, in bytes. Checked before persisting and again when reading at
   * start, so everything the catalog writes it can also read back.
   */
  readonly maxManifestBytes: number
  /** `limit` of each storage list call during rehydrate; storage caps a page at 10,000. */
  readonly listPageSize: number
  /** Manifests read in parallel during rehydrate. */
  readonly rehydrateConcurrency: number
  /** `Retry-After` on 503 CATALOG_PERSIST_FAILED and 409 CATALOG_DATASET_BUSY. */
  readonly retryAfterSeconds: number
  /**
   * Versions kept per dataset, the live one included. An ingest that adds one past this drops
   * the oldest that is not live, and deletes its object once no kept version names it.
   */
  readonly maxVersions: number
}

export const catalogDefaults: CatalogConfig = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 64,
  maxColumns: DEFAULT_MAX_COLUMNS,
  maxManifestBytes: 16 * 1024 * 1024,
  listPageSize: 1000,
  rehydrateConcurrency: 8,
  retryAfterSeconds: 1,
  maxVersions: 5,
})

export function resolveCatalogConfig(input?: Partial<CatalogConfig>): Readonly<CatalogConfig> {
  return resolveWith(
    catalogDefaults,
    input,
    {
      ...HTTP_LIMIT_CHECKS,
      maxColumns: intBetween(1, MAX_COLUMNS_CEILING),
      maxManifestBytes: intBetween(4096, 256 * 1024 * 1024),
      listPageSize: intBetween(1, 10_000),
      rehydrateConcurrency: intBetween(1, 256),
      retryAfterSeconds: RETRY_AFTER_CHECK,
      maxVersions: intBetween(1, 100),
    },
    'catalog.',
  )
}
