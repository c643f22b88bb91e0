import { open } from 'node:fs/promises'
import { columnNameLength, hasControlCharacter, MAX_COLUMN_NAME_CHARS } from '@lakehouse/catalog'
import { type CsvRecordInfo, createCsvTokenizer } from './csv-tokenizer.ts'
import { ingestErrors } from './errors.ts'

export interface CsvHeader {
  /** Column names in file order, exactly as written (BOM removed). */
  readonly names: readonly string[]
}

const CHUNK_BYTES = 64 * 1024
const BOM = [0xef, 0xbb, 0xbf]
const UTF8 = new TextDecoder('utf-8', { fatal: true })

function hasBom(chunk: Uint8Array): boolean {
  return chunk.length >= 3 && chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2]
}

function badHeader(detail: string, columns: readonly string[]): never {
  throw ingestErrors.problem('INGEST_BAD_HEADER', { detail, extensions: { columns } })
}

/**
 * Reads the first record of the file and checks it can name SQL columns. Reads only as far as
 * the header plus the first byte of data (to tell "header only" from "has rows"), never more
 * than `maxHeaderBytes` for the header itself.
 */
export async function readCsvHeader(path: string, limits: { maxHeaderBytes: number; maxColumns: number }): Promise<CsvHeader> {
  const file = await open(path, 'r')
  try {
    const tokenizer = createCsvTokenizer()
    let header: CsvRecordInfo | undefined
    let hasRows = false
    let consumed = 0
    let first = true
    const onRecord = (r: CsvRecordInfo) => {
      header = r
      return false
    }
    for (;;) {
      const buf = new Uint8Array(CHUNK_BYTES)
      const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, null)
      let chunk = buf.subarray(0, bytesRead)
      if (first && hasBom(chunk)) chunk = chunk.subarray(3)
      first = false
      if (bytesRead === 0) {
        if (header === undefined) {
          const end = tokenizer.finish(onRecord)
          if (end.fault !== undefined) throw malformedHeader(end.fault.line, end.fault.reason)
        }
        break
      }
      let rest = chunk
      if (header === undefined) {
        const result = tokenizer.feed(chunk, onRecord)
        if (result.fault !== undefined) throw malformedHeader(result.fault.line, result.fault.reason)
        consumed += result.stoppedAt ?? chunk.length
        if (consumed > limits.maxHeaderBytes) badHeader(`the header record is longer than ${limits.maxHeaderBytes} bytes`, [])
        if (result.stoppedAt === undefined) continue
        rest = chunk.subarray(result.stoppedAt)
      }
      // Anything but line breaks after the header means there is at least one data record.
      if (rest.some((b) => b !== 0x0a && b !== 0x0d)) {
        hasRows = true
        break
      }
    }
    const fields: readonly Uint8Array[] = header?.fields ?? []
    const blank = fields.length === 0 || (fields.length === 1 && fields[0]?.length === 0)
    if (blank && !hasRows) throw ingestErrors.problem('INGEST_EMPTY', { detail: 'the CSV is empty: there is no header record' })
    const names = fields.map((f) => decodeName(f))
    checkNames(names, limits.maxColumns)
    if (!hasRows) throw ingestErrors.problem('INGEST_NO_ROWS', { detail: 'the CSV has a header but no data records' })
    return { names }
  } finally {
    await file.close()
  }
}

function malformedHeader(line: number, reason: string) {
  return ingestErrors.problem('INGEST_MALFORMED_CSV', { detail: `malformed CSV at line ${line}: ${reason}`, extensions: { line } })
}

function decodeName(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes)
  } catch (cause) {
    throw ingestErrors.problem('INGEST_BAD_HEADER', { detail: 'the header is not valid UTF-8', extensions: { columns: [] }, cause })
  }
}

/**
 * Empty names, names equal ignoring case, too many columns, and the catalog's column-name rules
 * (length, control characters): a header the catalog would refuse must fail here, before the
 * object is written.
 */
export function checkNames(names: readonly string[], maxColumns: number): void {
  if (names.length > maxColumns) badHeader(`the header has ${names.length} columns; at most ${maxColumns} are allowed`, [])
  const empty = names.flatMap((n, i) => (n.trim() === '' ? [`#${i + 1}`] : []))
  if (empty.length > 0) badHeader(`empty column name at position ${empty.join(', ')}`, empty)
  const long = names.filter((n) => columnNameLength(n) > MAX_COLUMN_NAME_CHARS)
  if (long.length > 0)
    badHeader(
      `column names may be at most ${MAX_COLUMN_NAME_CHARS} characters`,
      long.map((n) => `${n.slice(0, 80)}…`),
    )
  const control = names.filter(hasControlCharacter)
  if (control.length > 0)
    badHeader(`column names may not contain control characters: ${control.map((n) => JSON.stringify(n)).join(', ')}`, control)
  // SQL identifiers are case-insensitive in DuckDB, so `Name` and `name` would collide as columns.
  const seen = new Map<string, string>()
  const dupes: string[] = []
  for (const n of names) {
    const key = n.toLowerCase()
    const prior = seen.get(key)
    if (prior === undefined) seen.set(key, n)
    else dupes.push(n)
  }
  if (dupes.length > 0) {
    const listed = [...new Set(dupes)]
    badHeader(`duplicate column names (case-insensitive): ${listed.map((n) => JSON.stringify(n)).join(', ')}`, listed)
  }
}
