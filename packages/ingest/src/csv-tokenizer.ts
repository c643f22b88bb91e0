/**
 * A byte-level RFC 4180 state machine for the two places ingest reads CSV itself: the header
 * (first record only) and, after DuckDB has refused a file, finding the physical line of the
 * first bad record. DuckDB does the real parsing; this only has to agree with DuckDB's
 * `strict_mode=true` reading of the same bytes:
 *
 *  - a field is quoted when it starts with `"`; inside, `""` is a literal quote and CR/LF are
 *    data; after the closing quote only `,`, CR, LF or the end of the file may follow;
 *  - a `"` inside an unquoted field is a literal character (DuckDB accepts `x"y`);
 *  - records end at LF, CRLF or a lone CR; after the header, an empty line is skipped (DuckDB
 *    skips it too), while an empty first line is a header with one empty name.
 *
 * Lines are physical (what an editor shows): every LF, and every CR not followed by LF, ends
 * one, inside quotes or not. DuckDB's own "CSV Error on Line" counts records instead, so after
 * a field with an embedded newline its number is too small; that is why this exists.
 */

export interface CsvRecordInfo {
  /** 0-based record index; the header is record 0. */
  readonly index: number
  /** Physical 1-based line where the record starts. */
  readonly line: number
  readonly fieldCount: number
  /** The record's fields as raw bytes (quotes removed, `""` unescaped); only for record 0. */
  readonly fields: readonly Uint8Array[] | undefined
}

export interface CsvFault {
  /** Physical 1-based line of the fault: the opening quote, or the start of the record. */
  readonly line: number
  readonly reason: string
}

export interface CsvFeedResult {
  /** Set when `onRecord` asked to stop: the offset in the chunk just after the record's terminator byte. */
  readonly stoppedAt?: number
  readonly fault?: CsvFault
}

export interface CsvTokenizer {
  /** Feeds bytes; `onRecord` returns false to stop. */
  feed(chunk: Uint8Array, onRecord: (record: CsvRecordInfo) => boolean): CsvFeedResult
  /** Ends the input: flushes a last record without a line break, or reports an open quote. */
  finish(onRecord: (record: CsvRecordInfo) => boolean): CsvFeedResult
}

const QUOTE = 0x22
const COMMA = 0x2c
const CR = 0x0d
const LF = 0x0a

const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_IN_QUOTED = 3

/** Growable byte buffer for the header's field values. */
function createByteSink(): { push(b: number): void; take(): Uint8Array } {
  let buf = new Uint8Array(64)
  let len = 0
  return {
    push(b) {
      if (len === buf.length) {
        const next = new Uint8Array(buf.length * 2)
        next.set(buf)
        buf = next
      }
      buf[len++] = b
    },
    take() {
      const out = buf.slice(0, len)
      len = 0
      return out
    },
  }
}

export function createCsvTokenizer(): CsvTokenizer {
  let state = FIELD_START
  let line = 1
  let prevCR = false
  let recordIndex = 0
  let recordLine = 1
  let recordHasBytes = false
  let fieldCount = 0
  let quoteLine = 1
  const sink = createByteSink()
  let fields: Uint8Array[] | undefined = []

  const collecting = () => recordIndex === 0

  const endField = () => {
    fieldCount++
    if (fields !== undefined && collecting()) fields.push(sink.take())
  }

  /** Ends the current record; returns false when the caller asked to stop. */
  const endRecord = (onRecord: (r: CsvRecordInfo) => boolean): boolean => {
    // A blank line after the header is not a record (DuckDB skips it as well).
    if (!recordHasBytes && recordIndex > 0) {
      state = FIELD_START
      return true
    }
    endField()
    const info: CsvRecordInfo = { index: recordIndex, line: recordLine, fieldCount, fields: collecting() ? fields : undefined }
    recordIndex++
    fields = undefined
    fieldCount = 0
    recordHasBytes = false
    state = FIELD_START
    return onRecord(info)
  }

  const feed = (chunk: Uint8Array, onRecord: (r: CsvRecordInfo) => boolean): CsvFeedResult => {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number
      // Physical line accounting, independent of quoting.
      const startsLine = !(b === LF && prevCR)
      if (state === FIELD_START && !recordHasBytes && fieldCount === 0 && b !== CR && b !== LF) recordLine = line
      if (b === LF) {
        if (!prevCR) line++
        prevCR = false
      } else if (b === CR) {
        line++
        prevCR = true
      } else prevCR = false

      switch (state) {
        case FIELD_START:
          if (b === QUOTE) {
            state = QUOTED
            quoteLine = line
            recordHasBytes = true
          } else if (b === COMMA) {
            recordHasBytes = true
            endField()
          } else if (b === CR || b === LF) {
            // The LF of a CRLF was already consumed as the end of the record.
            if (!startsLine) continue
            if (!endRecord(onRecord)) return { stoppedAt: i + 1 }
          } else {
            state = UNQUOTED
            recordHasBytes = true
            if (collecting()) sink.push(b)
          }
          break
        case UNQUOTED:
          if (b === COMMA) {
            endField()
            state = FIELD_START
          } else if (b === CR || b === LF) {
            if (!endRecord(onRecord)) return { stoppedAt: i + 1 }
          } else if (collecting()) sink.push(b)
          break
        case QUOTED:
          if (b === QUOTE) state = QUOTE_IN_QUOTED
          else if (collecting()) sink.push(b)
          break
        case QUOTE_IN_QUOTED:
          if (b === QUOTE) {
            state = QUOTED
            if (collecting()) sink.push(b)
          } else if (b === COMMA) {
            endField()
            state = FIELD_START
          } else if (b === CR || b === LF) {
            if (!endRecord(onRecord)) return { stoppedAt: i + 1 }
          } else {
            return { fault: { line: quoteLine, reason: 'text after the closing quote of a quoted field (unterminated quote)' } }
          }
          break
      }
    }
    return {}
  }

  const finish = (onRecord: (r: CsvRecordInfo) => boolean): CsvFeedResult => {
    if (state === QUOTED) return { fault: { line: quoteLine, reason: 'a quoted field is never closed (unterminated quote)' } }
    if (recordHasBytes || (recordIndex === 0 && fieldCount > 0)) {
      if (!endRecord(onRecord)) return { stoppedAt: 0 }
    }
    return {}
  }

  return { feed, finish }
}
