import type { WorkerRow } from './columns.ts'
import { CSV_HEADER, workerCsvRecord } from './csv.ts'
import type { CorpusOptionsInput } from './options.ts'
import { generateWorkerRows } from './worker.ts'

/**
 * The CSV as a stream of chunks. A 500k-row corpus is ~236 MB, so rows are encoded as they are
 * drawn and handed over in chunks of about CHUNK_CHARS; memory stays flat whatever `rows` is.
 */

/** Large enough that per-chunk overhead (one encode, one write) vanishes; small enough to stay in cache. */
export const CHUNK_CHARS = 128 * 1024

export interface CsvTextChunk {
  readonly text: string
  /** Data rows emitted so far, this chunk included. */
  readonly rowsDone: number
}

/** Sync form used by the file writer, which also wants row counts for progress. */
export function csvTextChunks(options?: CorpusOptionsInput): Generator<CsvTextChunk, void, undefined> {
  return chunk(generateWorkerRows(options))
}

function* chunk(workers: Iterable<WorkerRow>): Generator<CsvTextChunk, void, undefined> {
  let parts: string[] = [CSV_HEADER]
  let size = CSV_HEADER.length
  let rowsDone = 0
  for (const row of workers) {
    const record = workerCsvRecord(row)
    parts.push(record)
    size += record.length
    rowsDone++
    if (size >= CHUNK_CHARS) {
      yield { text: parts.join(''), rowsDone }
      parts = []
      size = 0
    }
  }
  // Always flushes the tail; for 0 rows that is the header alone.
  if (parts.length > 0) yield { text: parts.join(''), rowsDone }
}

/**
 * The corpus as UTF-8 bytes (in practice ASCII: every vocabulary list is ASCII). Pipe it into
 * a file, an HTTP body or a hash; each chunk is a fresh buffer the consumer may keep.
 */
export function generateWorkers(options?: CorpusOptionsInput): AsyncGenerator<Uint8Array, void, undefined> {
  return encode(csvTextChunks(options))
}

async function* encode(chunks: Iterable<CsvTextChunk>): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder()
  for (const { text } of chunks) yield encoder.encode(text)
}
