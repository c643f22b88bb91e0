import { FINGERPRINT_PATTERN, STALE_INDEXES_SCHEMA } from '@lakehouse/catalog'
import { DATASET_NAME_PATTERN, GRANT_CHECK_ERRORS } from '@lakehouse/grants/contract'
import type { BodySchema, RouteDoc } from '@lakehouse/kit'
import { INFERRED_TYPES } from './csv-sql.ts'

const SHA256: BodySchema = { type: 'string', pattern: FINGERPRINT_PATTERN.source }
const VERSION_ID: BodySchema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }
const ROWS: BodySchema = { type: 'integer', minimum: 0 }

/** IngestResult (ingest.ts); `previous` and `stale_indexes` are the catalog's VersionSummary and StaleIndex. */
const INGEST_RESULT: BodySchema = {
  type: 'object',
  required: [
    'dataset_id',
    'name',
    'fingerprint',
    'schema',
    'object_key',
    'row_count',
    'status',
    'version',
    'content_hash',
    'stale_indexes',
  ],
  additionalProperties: false,
  properties: {
    dataset_id: { type: 'string', description: 'UUIDv5 of the name: the same name has the same id everywhere.' },
    name: { type: 'string', pattern: DATASET_NAME_PATTERN.source },
    fingerprint: { ...SHA256, description: 'SHA-256 over the column name/type pairs.' },
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'type'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', description: 'As in the CSV header.' },
          type: { type: 'string', enum: [...INFERRED_TYPES, 'VARCHAR'] },
        },
      },
    },
    object_key: { type: 'string', description: 'datasets/<name>/<fingerprint>/<content_hash>.parquet' },
    row_count: { ...ROWS, description: 'Data rows in the live version.' },
    status: {
      type: 'string',
      enum: ['created', 'existing', 'replaced'],
      description:
        '`existing`: the live version already held exactly these Parquet bytes (nothing written); `replaced`: a new version, live now.',
    },
    version: { ...VERSION_ID, description: 'The live version’s id.' },
    content_hash: { ...SHA256, description: 'SHA-256 of the Parquet object’s bytes.' },
    previous: {
      type: 'object',
      description: 'For `replaced`: the version live before (its row_count is "rows before").',
      required: ['version', 'content_hash', 'fingerprint', 'row_count'],
      additionalProperties: false,
      properties: { version: VERSION_ID, content_hash: { type: ['string', 'null'] }, fingerprint: SHA256, row_count: ROWS },
    },
    replaced_fingerprint: { ...SHA256, description: 'The superseded fingerprint, when an escape grant replaced a drifted schema.' },
    stale_indexes: STALE_INDEXES_SCHEMA,
  },
}

export const INGEST_CSV_DOC: RouteDoc = {
  summary: 'Ingest a CSV as a dataset (Parquet plus a catalog manifest)',
  description:
    'Column types are inferred from a sample and checked against the whole file. A header whose schema differs from the registered one is refused unless a `dataset.replace:<name>` escape grant is sent in the `Lakehouse-Grant` header; it is consumed only when the new version is registered (docs/ingest.md).',
  rawBody: {
    description: 'The CSV (RFC 4180, UTF-8, header record first): the body itself, or the part named `file` of a multipart/form-data body.',
    contentTypes: ['text/csv', 'application/csv', 'multipart/form-data'],
  },
  pathParams: {
    name: {
      description: 'The dataset name; it becomes an SQL view name. Anything else answers 400 INGEST_INVALID_NAME.',
      schema: { type: 'string', pattern: DATASET_NAME_PATTERN.source },
    },
  },
  responses: {
    200: {
      description: 'The dataset existed: `existing` (same bytes, nothing written) or `replaced` (a new live version).',
      schema: INGEST_RESULT,
    },
    201: { description: 'A new dataset.', schema: INGEST_RESULT },
  },
  errors: [
    'INGEST_INVALID_NAME',
    'INGEST_UNSUPPORTED_MEDIA_TYPE',
    'INGEST_TOO_LARGE',
    'INGEST_BUSY',
    'INGEST_MALFORMED_MULTIPART',
    'INGEST_MISSING_FILE',
    'INGEST_EMPTY',
    'INGEST_NO_ROWS',
    'INGEST_BAD_HEADER',
    'INGEST_MALFORMED_CSV',
    'INGEST_OUT_OF_MEMORY',
    // The catalog's gate and register: a drifted schema without a grant, a manifest that cannot
    // be persisted, or one over the catalog's limits (more columns than its maxColumns, or a
    // history over maxManifestBytes) — those arrive as the catalog's HTTP_INVALID_REQUEST.
    'CATALOG_SCHEMA_CONFLICT',
    'CATALOG_PERSIST_FAILED',
    'HTTP_INVALID_REQUEST',
    // The grant's own refusals, and its audit journal's when the grant is consumed.
    ...GRANT_CHECK_ERRORS,
    // Writing the Parquet object.
    'STORAGE_INSUFFICIENT_SPACE',
    'STORAGE_BACKEND_UNAVAILABLE',
    'STORAGE_BACKEND_ERROR',
  ],
}
