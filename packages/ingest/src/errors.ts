import { DATASET_NAME_PATTERN } from '@lakehouse/grants/contract'
import { defineErrors } from '@lakehouse/kit'

/**
 * The ingest codes. A schema drift is not here: it is the catalog's `CATALOG_SCHEMA_CONFLICT`
 * (409), raised by ingest's own pre-check through the catalog's registry and let through
 * unchanged from `register`, so clients and parity match one code for one condition.
 */
export const ingestErrors = defineErrors('ingest', {
  INGEST_INVALID_NAME: {
    status: 400,
    title: 'Invalid Dataset Name',
    description: `The \`{name}\` in \`/v1/ingest/{name}\` must match \`${DATASET_NAME_PATTERN.source}\` (it becomes an SQL view name).`,
  },
  INGEST_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported Media Type',
    description:
      'The body must be `multipart/form-data` with the CSV in the field `file`, or the CSV itself as `text/csv` or `application/csv` (UTF-8).',
  },
  INGEST_TOO_LARGE: {
    status: 413,
    title: 'Upload Too Large',
    description:
      'The upload exceeds `maxBytes` (default 256 MiB), judged from `Content-Length` up front and again while streaming; nothing was written. `limit_bytes` gives the limit.',
  },
  INGEST_MALFORMED_MULTIPART: {
    status: 400,
    title: 'Malformed Multipart Body',
    description:
      'The `multipart/form-data` body has no boundary, a broken part header, part headers (or transport padding) over 16 KiB, or ends before its closing boundary.',
  },
  INGEST_MISSING_FILE: {
    status: 400,
    title: 'Missing File Field',
    description: 'The `multipart/form-data` body has no part named `file`.',
  },
  INGEST_EMPTY: {
    status: 400,
    title: 'Empty CSV',
    description: 'The CSV has no bytes (or only a byte-order mark and line breaks), so not even a header.',
  },
  INGEST_NO_ROWS: {
    status: 400,
    title: 'CSV Has No Rows',
    description: 'The CSV has a header but no data records.',
  },
  INGEST_BAD_HEADER: {
    status: 400,
    title: 'Bad CSV Header',
    description:
      'The header record has an empty column name, names equal ignoring case (they become SQL columns), control characters in a name, too many columns, or is longer than `maxHeaderBytes`; `columns` lists the offending names.',
  },
  INGEST_MALFORMED_CSV: {
    status: 400,
    title: 'Malformed CSV',
    description:
      'A record breaks RFC 4180 (unterminated quote, text after a closing quote, wrong number of fields, invalid UTF-8); `line` is the 1-based physical line where the record starts.',
  },
  INGEST_OUT_OF_MEMORY: {
    status: 503,
    title: 'Ingest Out of Memory',
    description:
      'The ingest engine reached its `memoryLimit` (default 2GB, shared by all running ingests) while converting the CSV; DuckDB reserves memory per column, so it happens when very wide files are ingested at once. Nothing was written; retry after `Retry-After` seconds.',
  },
  INGEST_BUSY: {
    status: 503,
    title: 'Ingest Busy',
    description: 'All ingest slots (default 2) are in use, or the service is shutting down; retry after `Retry-After` seconds.',
  },
})

export type IngestErrorCode = keyof typeof ingestErrors.specs
