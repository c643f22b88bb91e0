import { DATASET_NAME_PATTERN } from '@lakehouse/grants/contract'
import { defineErrors } from '@lakehouse/kit'

/**
 * The catalog's codes. Request-shape failures use kit's shared `HTTP_INVALID_REQUEST` (with an
 * `errors` list) rather than a catalog copy of it; only what is specific to datasets is here.
 */
export const catalogErrors = defineErrors('catalog', {
  CATALOG_INVALID_NAME: {
    status: 400,
    title: 'Invalid Dataset Name',
    description: `The dataset name in the path (\`/v1/catalog/datasets/{name}…\`) does not match \`${DATASET_NAME_PATTERN.source}\` (it becomes an SQL view name), so no such dataset can exist; \`errors\` points at it. A bad name in a register body is \`HTTP_INVALID_REQUEST\`, reason \`pattern\`.`,
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
      'The name is registered with a different schema fingerprint (an ingest, or a restore of a version with another schema); the problem carries `existing_fingerprint` and `attempted_fingerprint`. Send a `dataset.replace:<name>` escape grant in the `Lakehouse-Grant` header (`lakehouse grant mint`, then `lakehouse ingest --grant`) to replace it. Nothing was changed.',
  },
  CATALOG_REPLACE_VIA_INGEST: {
    status: 409,
    title: 'Replace Through Ingest',
    description:
      '`POST /v1/catalog/datasets` would change a registered dataset (its `object_key`, `fingerprint`, `schema` or `row_count`; `changed` lists which). Only ingest changes a dataset: `POST /v1/ingest/<name>` or `lakehouse ingest <file> --name <name>`, with a `dataset.replace:<name>` grant when the schema drifts. Nothing was changed.',
  },
  CATALOG_INVALID_VERSION: {
    status: 400,
    title: 'Invalid Dataset Version',
    description:
      'The `{version}` in `/v1/catalog/datasets/{name}/versions/{version}/…` is not a version id: a positive integer without sign or leading zeros, at most 2^53 − 1.',
  },
  CATALOG_VERSION_NOT_FOUND: {
    status: 404,
    title: 'Dataset Version Not Found',
    description:
      'The dataset keeps no version with that id: it never existed or left the bounded history (`GET /v1/catalog/datasets/{name}/versions` lists the kept ones). Nothing was changed.',
  },
  CATALOG_DATASET_BUSY: {
    status: 409,
    title: 'Dataset Busy',
    description:
      'An ingest of the dataset is running, so a restore would race it; retry after `Retry-After` seconds, once the ingest has answered. Nothing was changed.',
  },
  CATALOG_VERSION_UNAVAILABLE: {
    status: 409,
    title: 'Dataset Version Unavailable',
    description:
      'The version is in the history but its object is no longer in storage (removed outside the service), so it cannot be made live; the other versions are unaffected. Nothing was changed.',
  },
  CATALOG_FINGERPRINT_MISMATCH: {
    status: 422,
    title: 'Fingerprint Does Not Match Schema',
    description:
      '`fingerprint` is not the fingerprint of `schema` (`fingerprintSchema`: SHA-256 over the name/type pairs). Nothing was registered.',
  },
  CATALOG_OBJECT_KEY_MISMATCH: {
    status: 422,
    title: 'Object Key Not Owned By Dataset',
    description:
      '`object_key` is not `datasets/<name>/<fingerprint>/<content_hash>.parquet` (or the pre-versioning `datasets/<name>/<fingerprint>.parquet`), the keys ingest writes for that dataset and schema; `expected_object_key` gives the pattern. Nothing was registered.',
  },
  CATALOG_OBJECT_MISSING: {
    status: 422,
    title: 'Dataset Object Missing',
    description: 'No object exists at `object_key`: a manifest may only name a Parquet object that ingest wrote. Nothing was registered.',
  },
  CATALOG_OBJECT_UNREADABLE: {
    status: 422,
    title: 'Dataset Object Unreadable',
    description:
      'The object at `object_key` exists but its Parquet metadata cannot be read; the reason is logged (`catalog register refused`), not echoed. Nothing was registered.',
  },
  CATALOG_OBJECT_MISMATCH: {
    status: 422,
    title: 'Manifest Does Not Match Object',
    description:
      "The object's real Parquet schema or row count differs from the manifest's; `errors` names each differing member (`$.schema`, `$.schema[i].name`, `$.schema[i].type`, `$.row_count`). Nothing was registered.",
  },
  CATALOG_DATASET_UNREADABLE: {
    status: 503,
    title: 'Dataset Unreadable',
    description:
      "A registered dataset that another component depends on cannot be read (its object is missing or unreadable, or it lacks a column the component needs, e.g. `workers` without `worker_id`); `dataset` names it. The engine's message is logged, never echoed. Re-ingest the dataset to repair it.",
  },
  CATALOG_PERSIST_FAILED: {
    status: 503,
    title: 'Catalog Persist Failed',
    description:
      'The manifest could not be written to (or checked in) storage, the object it names could not be inspected (storage or engine unavailable), or the catalog is shutting down; the registry is unchanged. Retry after `Retry-After` seconds.',
  },
  CATALOG_REHYDRATE_FAILED: {
    status: 503,
    title: 'Catalog Rehydrate Failed',
    description:
      'Boot-time: listing `_system/catalog/` in storage failed, so the catalog refuses to start with a partial registry. Unreadable single manifests do not cause this; they are skipped and counted.',
  },
})

export type CatalogErrorCode = keyof typeof catalogErrors.specs
