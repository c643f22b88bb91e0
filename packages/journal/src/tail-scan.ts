import { readSync } from 'node:fs'
import { FRAME_OVERHEAD, type InvalidRegion, scanFrames } from './frame.ts'
import { RECORD_MAX_BYTES } from './types.ts'

/** Enough bytes to hold the last whole record whatever precedes it. */
const TAIL_WINDOW = 2 * (RECORD_MAX_BYTES + FRAME_OVERHEAD)

export interface TailScan {
  /** Seq of the last intact record in the scanned range, if any. */
  readonly lastSeq: number | undefined
  /** Bad bytes after the last intact record (absolute file offsets): a torn tail. */
  readonly trailing: InvalidRegion | undefined
}

function readRange(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start)
  let got = 0
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, start + got)
    if (n === 0) break
    got += n
  }
  return buf.subarray(0, got)
}

/**
 * Reads what was appended to a segment since `known` (-1: never looked) up to `size`: only the
 * last window when that is large, falling back to the whole range when the window holds no
 * intact record (a huge torn region). Used under the lock, so nothing grows while we read.
 */
export function scanTail(fd: number, known: number, size: number): TailScan {
  const from = Math.max(known, 0)
  const windowStart = Math.max(from, size - TAIL_WINDOW)
  for (const start of windowStart > from ? [windowStart, from] : [from]) {
    const scan = scanFrames(readRange(fd, start, size))
    const last = scan.records.at(-1)
    if (last === undefined && start > from) continue
    const trailing = scan.trailing === undefined ? undefined : { offset: start + scan.trailing.offset, length: scan.trailing.length }
    return { lastSeq: last?.record.seq, trailing }
  }
  return { lastSeq: undefined, trailing: undefined }
}
