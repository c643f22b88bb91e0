import { crc32 } from 'node:zlib'
import type { JournalRecord } from './types.ts'

/**
 * On-disk framing: every record is one line `\n{"c":"<crc32 hex>","r":<record json>}\n`.
 * The CRC covers exactly the bytes of `<record json>` as written, so verification never
 * depends on re-serialising; the line stays valid JSON for `grep`/`jq`. The leading newline
 * means a record written after a torn tail still starts on a line of its own.
 */
const HEAD = Buffer.from('{"c":"')
const MID = Buffer.from('","r":')
const HEAD_LEN = HEAD.length + 8 + MID.length
const NL = 0x0a
const CLOSE = 0x7d // '}'

/** Bytes a framed record adds around its body. */
export const FRAME_OVERHEAD = 2 + HEAD_LEN + 1

export function frameBody(body: string): Buffer {
  const bodyBytes = Buffer.from(body)
  const out = Buffer.allocUnsafe(bodyBytes.length + FRAME_OVERHEAD)
  let at = 0
  out[at++] = NL
  at += HEAD.copy(out, at)
  at += out.write(crc32(bodyBytes).toString(16).padStart(8, '0'), at, 'latin1')
  at += MID.copy(out, at)
  at += bodyBytes.copy(out, at)
  out[at++] = CLOSE
  out[at++] = NL
  return out
}

/** The record body: seq first, so a human reading a segment sees the order at a glance. */
export function recordBody(seq: number, kind: string, at: string, writer: string, dataJson: string): string {
  return `{"seq":${seq},"kind":${JSON.stringify(kind)},"at":"${at}","writer":"${writer}","data":${dataJson}}`
}

/** Parses the body of one line [start, end) (no newlines); undefined when the frame, CRC or JSON is bad. */
export function parseLine(buf: Buffer, start: number, end: number): unknown {
  if (end - start < HEAD_LEN + 2 || buf[end - 1] !== CLOSE) return undefined
  if (buf.compare(HEAD, 0, HEAD.length, start, start + HEAD.length) !== 0) return undefined
  const midAt = start + HEAD.length + 8
  if (buf.compare(MID, 0, MID.length, midAt, midAt + MID.length) !== 0) return undefined
  const hex = buf.toString('latin1', start + HEAD.length, midAt)
  if (!/^[0-9a-f]{8}$/.test(hex)) return undefined
  const body = buf.subarray(start + HEAD_LEN, end - 1)
  if (crc32(body) !== Number.parseInt(hex, 16)) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return (
    Number.isSafeInteger(r.seq) &&
    (r.seq as number) > 0 &&
    typeof r.kind === 'string' &&
    typeof r.at === 'string' &&
    typeof r.writer === 'string'
  )
}

export interface ScannedRecord {
  readonly record: JournalRecord
  /** Offset of the record's line (after its leading newline) within the scanned buffer. */
  readonly offset: number
  readonly end: number
}

export interface InvalidRegion {
  readonly offset: number
  readonly length: number
}

export interface ScanResult {
  readonly records: ScannedRecord[]
  /** Bad bytes followed by at least one intact record. */
  readonly invalid: InvalidRegion[]
  /** Bad bytes after the last intact record (a torn tail if this is the end of the newest segment). */
  readonly trailing: InvalidRegion | undefined
}

/**
 * Splits a buffer into intact records and invalid regions. Adjacent bad lines merge into one
 * region, so one torn write counts once. A record whose seq does not rise is treated as bad.
 */
export function scanFrames(buf: Buffer, minSeq = 0): ScanResult {
  const records: ScannedRecord[] = []
  const invalid: InvalidRegion[] = []
  let open: { offset: number; end: number } | undefined
  let lastSeq = minSeq
  let pos = 0
  while (pos < buf.length) {
    let end = buf.indexOf(NL, pos)
    if (end === -1) end = buf.length
    if (end > pos) {
      const parsed = parseLine(buf, pos, end)
      if (isRecord(parsed) && parsed.seq > lastSeq) {
        if (open !== undefined) invalid.push({ offset: open.offset, length: open.end - open.offset })
        open = undefined
        records.push({ record: parsed, offset: pos, end })
        lastSeq = parsed.seq
      } else if (open === undefined) open = { offset: pos, end }
      else open.end = end
    }
    pos = end + 1
  }
  const trailing = open === undefined ? undefined : { offset: open.offset, length: open.end - open.offset }
  return { records, invalid, trailing }
}
