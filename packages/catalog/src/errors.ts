import { defineErrors } from '@lakehouse/kit'

/**
 * The catalog's codes. Request-shape failures use kit's shared `HTTP_INVALID_REQUEST` (with an
 * `errors` list) rather than a catalog copy of it; only what is specific to datasets is here.
 */
export const catalogErrors = defineErrors('catalog', {
  CATALOG_INVALID_NAME: {
    status: 400,
    title: 'Invalid Dataset Name',
    description:
      'A dataset name must match `^[a-z][a-z0-9_]{0,62}$` (it becomes an SQL view name); `errors` points at the offending member.',
  },
  CATALOG_NOT_FOUND: {
    status: 404,
    title: 'Dataset Not Found',
    description: 'No dataset of that name is registered.',
  },
  CATALOG_SCHEMA_CONFLICT: {
    status: 409,
    title: 'Dataset Schema Conflict',
    description:
      'The name is registered with a different schema fingerprint; the problem carries `existing_fingerprint` and `attempted_fingerprint`. Nothing was changed.',
  },
  CATALOG_PERSIST_FAILED: {
    status: 503,
    title: 'Catalog Persist Failed',
    description:
      'The manifest could not be written to (or checked in) storage, or the catalog is shutting down; the registry is unchanged. Retry after `Retry-After` seconds.',
  },
  CATALOG_REHYDRATE_FAILED: {
    status: 503,
    title: 'Catalog Rehydrate Failed',
    description:
      'Boot-time: listing `_system/catalog/` in storage failed, so the catalog refuses to start with a partial registry. Unreadable single manifests do not cause this; they are skipped and counted.',
  },
})

export type CatalogErrorCode = keyof typeof catalogErrors.specs
