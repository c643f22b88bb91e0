import { open } from 'node:fs/promises'
import type { Problem } from '@lakehouse/kit'
import { type CsvFault, type CsvRecordInfo, createCsvTokenizer } from './csv-tokenizer.ts'
import { ingestErrors } from './errors.ts'

const CHUNK_BYTES = 256 * 1024

/**
 * Scans the file for its first structural fault: an unterminated quote, text after a closing
 * quote, or a record whose field count differs from the header's. Only runs after DuckDB has
 * refused the file, so the happy path never pays for a second parse.
 */
export async function locateCsvFault(path: string, expectedFields: number): Promise<CsvFault | undefined> {
  const file = await open(path, 'r')
  try {
    const tokenizer = createCsvTokenizer()
    let fault: CsvFault | undefined
    const onRecord = (r: CsvRecordInfo) => {
      if (r.index > 0 && r.fieldCount !== expectedFields) {
        fault = { line: r.line, reason: `expected ${expectedFields} fields, found ${r.fieldCount}` }
        return false
      }
      return true
    }
    const buf = new Uint8Array(CHUNK_BYTES)
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, null)
      const result = bytesRead === 0 ? tokenizer.finish(onRecord) : tokenizer.feed(buf.subarray(0, bytesRead), onRecord)
      if (result.fault !== undefined) return result.fault
      if (fault !== undefined || bytesRead === 0) return fault
    }
  } finally {
    await file.close()
  }
}

// DuckDB 1.5 error text: "CSV Error on Line: 280002\nOriginal Line: …\n<reason>\n…  file = /abs/path".
const DUCKDB_LINE = /CSV Error on Line: (\d+)/
const DUCKDB_COLUMNS = /Expected Number of Columns: (\d+) Found: (\d+)/

/** True for the errors DuckDB raises while reading CSV text (as opposed to disk, memory, …). */
export function isDuckDbCsvError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : ''
  return (
    /^Invalid Input Error: (CSV Error|Error when sniffing|Maximum line size|Invalid unicode)/.test(message) || DUCKDB_LINE.test(message)
  )
}

/** A reason in our words: DuckDB's text carries absolute paths and parser options, never echoed. */
function duckDbReason(message: string): string {
  const columns = DUCKDB_COLUMNS.exec(message)
  if (columns !== null) return `expected ${columns[1]} fields, found ${columns[2]}`
  if (/unterminated quote/i.test(message)) return 'unterminated quote'
  if (/unicode|utf-?8/i.test(message)) return 'invalid UTF-8'
  if (/maximum line size/i.test(message)) return 'the record is longer than the maximum line size (2 MB)'
  return 'the record could not be parsed'
}

/**
 * The 400 for a CSV DuckDB refused. The line comes from our own scan when it finds the fault
 * (physical lines, right after embedded newlines); otherwise from DuckDB's message (it counts
 * records, so it is exact unless a quoted field spans lines before the fault); a fault neither
 * can place gets no line.
 */
export async function malformedCsvProblem(path: string, expectedFields: number, err: unknown): Promise<Problem> {
  const message = err instanceof Error ? err.message : String(err)
  const located = await locateCsvFault(path, expectedFields)
  const duckLine = DUCKDB_LINE.exec(message)?.[1]
  const line = located?.line ?? (duckLine === undefined ? undefined : Number(duckLine))
  const reason = located?.reason ?? duckDbReason(message)
  return ingestErrors.problem('INGEST_MALFORMED_CSV', {
    detail: line === undefined ? `malformed CSV: ${reason}` : `malformed CSV at line ${line}: ${reason}`,
    extensions: line === undefined ? { reason } : { line, reason },
    cause: err,
  })
}
