import { DEFAULT_MAX_COLUMNS, MAX_COLUMNS_CEILING } from '@lakehouse/catalog'
import { intBetween, RETRY_AFTER_CHECK, resolveWith } from '@lakehouse/kit'

export interface IngestConfig {
  /**
   * Largest upload accepted, in bytes: the raw request body (multipart envelope included) and
   * the file given to `ingestFile`. Checked from Content-Length up front and again while
   * streaming. The seed's 500k-row staffing CSV is 344 MiB, so large deployments raise this.
   */
  readonly maxBytes: number
  /** Rows of the file used to infer column types; the whole file is then checked against them. */
  readonly sampleRows: number
  /** Ingests running at once (upload, DuckDB work and the store write); more → 503 INGEST_BUSY. */
  readonly slots: number
  /** `Retry-After` seconds on 503 INGEST_BUSY. */
  readonly retryAfterSeconds: number
  /**
   * DuckDB `threads` for the service's instance. 1 by default: on the 2-core reference machine a
   * 500k-row (236 MB) corpus CSV converted as fast with 1 thread as with 2 (the COPY preserves
   * row order, which serialises it anyway) at roughly half the peak RSS.
   */
  readonly threads: number
  /**
   * DuckDB `memory_limit` (e.g. '2GB', '1GiB'), shared by every running ingest. Past it DuckDB
   * spills to its temp directory under tmpDir, or fails the ingest with 503
   * INGEST_OUT_OF_MEMORY. The Parquet writer's row group is not spillable, so the RSS levers
   * that matter are `parquetRowGroupRows` and `csvBufferBytes`. DuckDB counts memory per column
   * against this limit whether or not rows fill it (issue 12): one 4,096-column CSV (maxColumns)
   * failed at 512MB and passed at 768MB with RSS near 210 MiB for one row and 730 MiB for 10k
   * rows; two at once passed at 1536MB. So the default is `slots` (2) × about 1GB; raise it with
   * `slots` or `maxColumns`. Narrow files never come near it (docs/ingest.md).
   */
  readonly memoryLimit: string
  /**
   * Rows per Parquet row group. DuckDB's default (122,880) holds that many rows in memory per
   * writer; 16,384 keeps the 500k-row corpus under ~170 MiB peak RSS and still gives query
   * engines row groups of a useful size.
   */
  readonly parquetRowGroupRows: number
  /** DuckDB `read_csv` buffer_size: bytes read per CSV buffer (default 32 MiB); ≥ 2 MiB, DuckDB's longest record. */
  readonly csvBufferBytes: number
  /** Longest header record read before giving up with INGEST_BAD_HEADER. */
  readonly maxHeaderBytes: number
  /** Most columns a CSV may have; the catalog's default `maxColumns`, so every schema ingest accepts the catalog accepts too. */
  readonly maxColumns: number
}

export const ingestDefaults: IngestConfig = Object.freeze({
  maxBytes: 256 * 1024 * 1024,
  sampleRows: 1000,
  slots: 2,
  retryAfterSeconds: 5,
  threads: 1,
  memoryLimit: '2GB',
  parquetRowGroupRows: 16_384,
  csvBufferBytes: 8 * 1024 * 1024,
  maxHeaderBytes: 1024 * 1024,
  maxColumns: DEFAULT_MAX_COLUMNS,
})

// DuckDB's own size syntax; anything else would fail at instance creation with a less clear message.
const DUCKDB_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i

export function resolveIngestConfig(input?: Partial<IngestConfig>): Readonly<IngestConfig> {
  return resolveWith(
    ingestDefaults,
    input,
    {
      maxBytes: intBetween(1, Number.MAX_SAFE_INTEGER),
      sampleRows: intBetween(1, 1_000_000),
      slots: intBetween(1, 1024),
      retryAfterSeconds: RETRY_AFTER_CHECK,
      threads: intBetween(1, 256),
      memoryLimit: (v) =>
        typeof v === 'string' && DUCKDB_SIZE.test(v) ? undefined : `must be a size such as 512MB or 1GiB, got ${String(v)}`,
      parquetRowGroupRows: intBetween(1024, 1_048_576),
      csvBufferBytes: intBetween(2 * 1024 * 1024, 1024 * 1024 * 1024),
      maxHeaderBytes: intBetween(1024, 64 * 1024 * 1024),
      maxColumns: intBetween(1, MAX_COLUMNS_CEILING),
    },
    'ingest.',
  )
}
