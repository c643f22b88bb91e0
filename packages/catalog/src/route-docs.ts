import { GRANT_CHECK_ERRORS } from '@lakehouse/grants/contract'
import type { BodyCheck, BodySchema, ParamDoc, RouteDoc } from '@lakehouse/kit'
import { DATASET_NAME_PATTERN } from './identity.ts'
import { FINGERPRINT_PATTERN } from './register-input.ts'
import type { RegisterInput } from './types.ts'
import { VERSION_ID_PATTERN } from './versions.ts'

const SHA256: BodySchema = { type: 'string', pattern: FINGERPRINT_PATTERN.source }
const NULLABLE_SHA256: BodySchema = {
  type: ['string', 'null'],
  pattern: FINGERPRINT_PATTERN.source,
  description: 'SHA-256 hex of the object bytes; null for a pre-versioning object nobody hashed.',
}
const VERSION_ID: BodySchema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }
const TIMESTAMP: BodySchema = { type: 'string', format: 'date-time' }

/** A ColumnSpec (types.ts) as answers carry it. */
const COLUMN_SCHEMA: BodySchema = {
  type: 'object',
  required: ['name', 'type'],
  additionalProperties: false,
  properties: { name: { type: 'string' }, type: { type: 'string', description: 'DuckDB type name.' } },
}

/** A DatasetManifest's members (types.ts) as cloneManifest writes them, in wire order. */
const MANIFEST_PROPERTIES: Record<string, BodySchema> = {
  dataset_id: { type: 'string', description: 'UUIDv5 of the name: the same name has the same id everywhere.' },
  name: { type: 'string', pattern: DATASET_NAME_PATTERN.source },
  fingerprint: SHA256,
  schema: { type: 'array', items: COLUMN_SCHEMA },
  object_key: { type: 'string', description: 'The live Parquet object: datasets/<name>/<fingerprint>/<content_hash>.parquet.' },
  row_count: { type: 'integer', minimum: 0 },
  created_at: { ...TIMESTAMP, description: 'When the dataset was first registered.' },
  updated_at: { ...TIMESTAMP, description: 'When the live version last changed.' },
  version: { ...VERSION_ID, description: 'The live version’s id.' },
  content_hash: NULLABLE_SHA256,
}
const MANIFEST_REQUIRED = Object.keys(MANIFEST_PROPERTIES)

/** A manifest plus `extra` members; closed, like every answer built from one. */
function manifestWith(extra: Record<string, BodySchema>, required: readonly string[]): BodySchema {
  return {
    type: 'object',
    required: [...MANIFEST_REQUIRED, ...required],
    additionalProperties: false,
    properties: { ...MANIFEST_PROPERTIES, ...extra },
  }
}

const MANIFEST_SCHEMA = manifestWith({}, [])

/** StaleIndex[] (types.ts); ingest's answer carries it too. */
export const STALE_INDEXES_SCHEMA: BodySchema = {
  type: 'array',
  description: 'Vector indexes built from a version of this dataset that is not live now.',
  items: {
    type: 'object',
    required: ['index', 'version'],
    additionalProperties: false,
    properties: { index: { type: 'string' }, version: { ...VERSION_ID, description: 'The version the index was built from.' } },
  },
}

/** VersionSummary (types.ts): what was live before a change. */
const VERSION_SUMMARY_SCHEMA: BodySchema = {
  type: 'object',
  required: ['version', 'content_hash', 'fingerprint', 'row_count'],
  additionalProperties: false,
  properties: { version: VERSION_ID, content_hash: NULLABLE_SHA256, fingerprint: SHA256, row_count: { type: 'integer', minimum: 0 } },
}

const NAME_PARAM: ParamDoc = {
  description: 'The dataset name; one that could never be registered answers 400 CATALOG_INVALID_NAME.',
  schema: { type: 'string', pattern: DATASET_NAME_PATTERN.source },
}

export const LIST_DATASETS_DOC: RouteDoc = {
  summary: 'List the registered datasets',
  description: 'The live manifest of every dataset, sorted by name (docs/catalog.md).',
  responses: {
    200: {
      description: 'Every dataset’s live manifest.',
      schema: {
        type: 'object',
        required: ['datasets'],
        additionalProperties: false,
        properties: { datasets: { type: 'array', items: MANIFEST_SCHEMA } },
      },
    },
  },
  errors: [],
}

export const GET_DATASET_DOC: RouteDoc = {
  summary: 'Get a dataset’s live manifest',
  pathParams: { name: NAME_PARAM },
  responses: {
    200: {
      description: 'The live manifest and the indexes built from an older version.',
      schema: manifestWith({ stale_indexes: STALE_INDEXES_SCHEMA }, ['stale_indexes']),
    },
  },
  errors: ['CATALOG_INVALID_NAME', 'CATALOG_NOT_FOUND'],
}

export const LIST_VERSIONS_DOC: RouteDoc = {
  summary: 'List the kept versions of a dataset',
  description: 'Newest first; the history is bounded by `maxVersions` (docs/catalog.md).',
  pathParams: { name: NAME_PARAM },
  responses: {
    200: {
      description: 'The kept versions; `live` marks the one queries read.',
      schema: {
        type: 'object',
        required: ['name', 'live_version', 'versions'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: DATASET_NAME_PATTERN.source },
          live_version: VERSION_ID,
          versions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['version', 'content_hash', 'fingerprint', 'row_count', 'object_key', 'created_at', 'live'],
              additionalProperties: false,
              properties: {
                version: VERSION_ID,
                content_hash: NULLABLE_SHA256,
                fingerprint: SHA256,
                row_count: { type: 'integer', minimum: 0 },
                object_key: { type: 'string' },
                created_at: { ...TIMESTAMP, description: 'When this version was registered.' },
                live: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
  },
  errors: ['CATALOG_INVALID_NAME', 'CATALOG_NOT_FOUND'],
}

export const RESTORE_VERSION_DOC: RouteDoc = {
  summary: 'Make a kept version of a dataset live again',
  description:
    'A version with another schema needs a `dataset.replace:<name>` escape grant in the `Lakehouse-Grant` header, consumed only when the restore happens (docs/catalog.md).',
  pathParams: {
    name: NAME_PARAM,
    version: {
      description: 'A version id as `GET …/versions` lists it: a positive integer, no sign or leading zeros, at most 2^53 − 1.',
      schema: { type: 'string', pattern: VERSION_ID_PATTERN.source },
    },
  },
  responses: {
    200: {
      description: '`restored`: the version is live now; `existing`: it already was (nothing written).',
      schema: manifestWith(
        {
          status: { type: 'string', enum: ['restored', 'existing'] },
          previous: { ...VERSION_SUMMARY_SCHEMA, description: 'The version live before (absent for `existing`).' },
          replaced_fingerprint: { ...SHA256, description: 'The superseded fingerprint, when the schema changed.' },
          stale_indexes: STALE_INDEXES_SCHEMA,
        },
        ['status', 'stale_indexes'],
      ),
    },
  },
  errors: [
    'CATALOG_INVALID_NAME',
    'CATALOG_INVALID_VERSION',
    'CATALOG_NOT_FOUND',
    'CATALOG_VERSION_NOT_FOUND',
    'CATALOG_DATASET_BUSY',
    'CATALOG_SCHEMA_CONFLICT',
    'CATALOG_VERSION_UNAVAILABLE',
    'CATALOG_PERSIST_FAILED',
    // The rewritten manifest is over maxManifestBytes (its size is checked before every write).
    'HTTP_INVALID_REQUEST',
    // A grant is checked (and, for a restore of another schema, consumed) by the grants component.
    ...GRANT_CHECK_ERRORS,
  ],
}

export interface CatalogRouteDocs {
  readonly list: RouteDoc
  readonly register: RouteDoc
  readonly get: RouteDoc
  readonly versions: RouteDoc
  readonly restore: RouteDoc
}

/** The register body's check depends on `maxColumns`, so its doc is built per catalog. */
export function catalogRouteDocs(registerCheck: BodyCheck<RegisterInput>): CatalogRouteDocs {
  return {
    list: LIST_DATASETS_DOC,
    register: {
      summary: 'Register the manifest of an object ingest wrote',
      description:
        'Re-sending a registered dataset’s manifest answers 200 and writes nothing; anything that would change it is refused (datasets change only through ingest). A new name is registered only if its object exists at the key ingest writes and its Parquet metadata matches (docs/catalog.md).',
      body: registerCheck,
      responses: {
        200: { description: 'The dataset was already registered with this manifest; nothing was written.', schema: MANIFEST_SCHEMA },
        201: {
          description: 'Registered.',
          schema: MANIFEST_SCHEMA,
          headers: { Location: 'The dataset: /v1/catalog/datasets/{name}.' },
        },
      },
      errors: [
        'CATALOG_REPLACE_VIA_INGEST',
        'CATALOG_FINGERPRINT_MISMATCH',
        'CATALOG_OBJECT_KEY_MISMATCH',
        'CATALOG_OBJECT_MISSING',
        'CATALOG_OBJECT_UNREADABLE',
        'CATALOG_OBJECT_MISMATCH',
        'CATALOG_PERSIST_FAILED',
      ],
    },
    get: GET_DATASET_DOC,
    versions: LIST_VERSIONS_DOC,
    restore: RESTORE_VERSION_DOC,
  }
}
