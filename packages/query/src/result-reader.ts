import { Buffer } from 'node:buffer'
import type { DuckDBDataChunk, DuckDBResult, DuckDBType, DuckDBVector } from '@duckdb/node-api'
import { encodeJson } from '@lakehouse/kit'
import { rawColumn, vectorOf } from './engine-vectors.ts'
import { add, type CellWriter, cellWriter, flush, OVER_BUDGET, type RowText, unbounded, walkType } from './json-cells.ts'
import { cutChunk } from './result-size.ts'
import type { QueryColumn, QueryValue } from './types.ts'
import { type Convert, converterFor } from './value-converter.ts'

/**
 * Reads a streaming result within two caps, rows (`limit`) and bytes (`maxBytes`, the encoded
 * response body), without blocking the event loop for long:
 *
 * 1. Chunks come one `fetchChunk` at a time (2,048 rows each); rows past the limit are never
 *    read, and the next statement on the connection closes the stream.
 * 2. Before a chunk is copied into JavaScript, the lower bound of each row's encoding is read from
 *    the engine's vectors (result-size.ts) and the chunk is cut at the first row that cannot fit.
 * 3. The rows before the cut are written as JSON (json-cells.ts) with their exact byte count; a
 *    row that turns out larger than what is left ends the result there.
 * 4. Every ~10 ms of JavaScript work the reader yields to the event loop (between rows, and inside
 *    a large LIST or MAP cell) and checks `stopped()` (the deadline, or the service closing).
 *
 * A result cut by bytes is `truncated`, like one cut by rows; when not even the first row fits,
 * `tooLarge` says so (the caller answers 413). `stopped()` is also checked after every fetch:
 * after `interrupt()` a pending fetch does not fail, it returns an empty chunk (verified on
 * 1.5.6), which would otherwise read as a complete result.
 */

export interface ReadLimits {
  readonly limit: number
  /** The encoded body (`{"columns":…,"rows":[…],…}`) never passes this many bytes. */
  readonly maxBytes: number
  /** Also convert each row to values (select()/query()); the HTTP handler needs only the JSON. */
  readonly values: boolean
  /** True once the reader must give up: the deadline passed or the service is closing. */
  readonly stopped: () => boolean
  /** Wraps each engine call, to race it against the deadline. */
  readonly engine: <T>(work: Promise<T>) => Promise<T>
}

export interface ReadResult {
  readonly columns: readonly QueryColumn[]
  /** Each row's JSON text, `[v0,v1,…]`. */
  readonly rowsJson: readonly string[]
  /** Each row's values, when asked for. */
  readonly rows: readonly (readonly QueryValue[])[]
  /** More rows existed than were returned (the row limit or the byte cap stopped the read). */
  readonly truncated: boolean
  /** Not even the first row fits `maxBytes`. */
  readonly tooLarge: boolean
}

const SLICE_MS = 10

/** The body the handler sends, from a read: byte for byte what kit's codec gives the same result. */
export function resultBody(read: ReadResult): string {
  return `{"columns":${encodeJson(read.columns)},"rows":[${read.rowsJson.join(',')}],"row_count":${read.rowsJson.length},"truncated":${read.truncated}}`
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export async function readResult(result: DuckDBResult, limits: ReadLimits): Promise<ReadResult | undefined> {
  const columns: QueryColumn[] = []
  const types: DuckDBType[] = []
  for (let i = 0; i < result.columnCount; i++) {
    const type = result.columnType(i)
    // toString() drops aliases; the alias is the name DuckDB itself reports (typeof('{}'::JSON) = 'JSON').
    columns.push({ name: result.columnName(i), type: type.alias ?? type.toString() })
    types.push(type)
  }
  const writers: CellWriter[] = types.map(cellWriter)
  const walked = types.map(unbounded)
  const readTypes = types.map(walkType)
  const convert: Convert[] | undefined = limits.values ? types.map(converterFor) : undefined
  // The envelope with the widest row_count and "false" (wider than "true").
  const envelope = Buffer.byteLength(encodeJson({ columns, rows: [], row_count: limits.limit, truncated: false }))
  let remaining = limits.maxBytes - envelope
  const rowsJson: string[] = []
  const rows: QueryValue[][] = []
  let truncated = false
  let byBytes = remaining < 0

  let sliceEnd = performance.now() + SLICE_MS
  const due = () => performance.now() > sliceEnd
  const pause = async (): Promise<boolean> => {
    await yieldToLoop()
    sliceEnd = performance.now() + SLICE_MS
    return limits.stopped()
  }

  while (!byBytes) {
    const chunk = await limits.engine(result.fetchChunk())
    if (limits.stopped()) return undefined
    if (chunk === null || chunk.rowCount === 0) break
    const wanted = limits.limit - rowsJson.length
    if (wanted <= 0) {
      truncated = true
      break
    }
    if (chunk.rowCount > wanted) {
      truncated = true
      chunk.rowCount = wanted
    }
    const count = chunk.rowCount
    const cut = await cutChunk(chunk, types, remaining, Math.max(2048, remaining), () => due() && pause())
    if (cut === undefined) return undefined
    if (due() && (await pause())) return undefined
    const vectors =
      cut.rows === 0
        ? []
        : readTypes.map((type, c): DuckDBVector => (walked[c] ? vectorOf(rawColumn(chunk, c), cut.rows, type) : chunk.getColumnVector(c)))
    for (let r = 0; r < cut.rows; r++) {
      if (due() && (await pause())) return undefined
      // Each row is charged one byte more than its text, for the comma before the next.
      const text = await writeRow(writers, vectors, r, remaining - 1, due, pause)
      if (text === undefined) return undefined
      if (text === OVER_BUDGET) {
        byBytes = true
        break
      }
      remaining -= text.bytes + 1
      rowsJson.push(text.text)
      if (convert !== undefined) rows.push(rowValues(chunk, r, convert))
    }
    if (cut.rows < count) byBytes = true
  }
  if (byBytes) truncated = true
  return { columns, rowsJson, rows, truncated, tooLarge: byBytes && rowsJson.length === 0 }
}

/** One row's JSON, OVER_BUDGET when it passes `limit` bytes, undefined when stopped. */
async function writeRow(
  writers: readonly CellWriter[],
  vectors: readonly DuckDBVector[],
  r: number,
  limit: number,
  due: () => boolean,
  pause: () => Promise<boolean>,
): Promise<RowText | typeof OVER_BUDGET | undefined> {
  const out: RowText = { text: '', parts: [], bytes: 0, limit, due }
  try {
    add(out, '[', 1)
    for (let c = 0; c < writers.length; c++) {
      if (c > 0) add(out, ',', 1)
      const writer = writers[c] as CellWriter
      const vector = vectors[c] as DuckDBVector
      if (writer.leaf !== undefined) {
        writer.leaf(vector, r, out)
        continue
      }
      const steps = writer.walk(vector, r, out)
      for (let step = steps.next(); !step.done; step = steps.next()) if (await pause()) return undefined
    }
    add(out, ']', 1)
    flush(out)
    return out
  } catch (err) {
    if (err === OVER_BUDGET) return OVER_BUDGET
    throw err
  }
}

function rowValues(chunk: DuckDBDataChunk, r: number, convert: readonly Convert[]): QueryValue[] {
  const raw = chunk.getRowValues(r)
  const row: QueryValue[] = new Array(raw.length)
  for (let c = 0; c < raw.length; c++) row[c] = (convert[c] as Convert)(raw[c] ?? null)
  return row
}
