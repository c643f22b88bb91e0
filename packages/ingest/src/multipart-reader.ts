import { Buffer } from 'node:buffer'
import { ingestErrors } from './errors.ts'

/**
 * A streaming `multipart/form-data` reader (RFC 7578 over RFC 2046) that extracts ONE file
 * part and hands its bytes to a sink as they arrive.
 *
 * Why not `Request.formData()`: it buffers the whole body (undici and Bun both materialise
 * every part in memory), and a 344 MiB CSV must ingest with well under 209 MiB peak RSS.
 * Why not busboy / @fastify/busboy: neither is a dependency of this package (busboy exists in
 * the workspace only as a transitive dependency of a test tool), both take a Node stream
 * rather than a web ReadableStream, and what ingest needs is small: find the delimiters, read
 * one part's headers, stream one part's body, ignore everything else.
 *
 * Delimiters are found with Buffer#indexOf. A delimiter may be split across chunks, so after
 * each search the last `delimiter.length - 1` bytes are held back and searched again with the
 * next chunk; memory is one chunk plus that tail, whatever the upload size.
 */

export interface MultipartFileReader {
  /** Feeds the next body chunk; resolves once the file bytes in it have been written to the sink. */
  push(chunk: Uint8Array): Promise<void>
  /** The body ended: throws INGEST_MISSING_FILE or INGEST_MALFORMED_MULTIPART unless the file part was complete. */
  end(): void
}

const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')
/**
 * Part headers larger than this are not a form upload. Counted from the end of the boundary
 * line to the blank line that ends the headers (that CRLFCRLF excluded), and transport padding
 * after a boundary is held to the same bound, so the verdict never depends on how the body was
 * chunked (issue 12: Bun delivered a 100 KB header in one chunk and it was accepted).
 */
export const MAX_PART_HEADER_BYTES = 16 * 1024

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue'

function malformed(detail: string): never {
  throw ingestErrors.problem('INGEST_MALFORMED_MULTIPART', { detail })
}

function tooLongHeaders(): never {
  malformed(`part headers exceed ${MAX_PART_HEADER_BYTES} bytes`)
}

/** The `boundary` parameter of a multipart Content-Type (RFC 2046 §5.1.1: 1–70 characters). */
export function multipartBoundary(contentType: string): string {
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType)
  const boundary = m?.[1] ?? m?.[2]
  if (boundary === undefined) malformed('multipart/form-data without a valid boundary parameter')
  return boundary
}

/** The `name` parameter of a part's Content-Disposition, or undefined. */
function partName(headerBlock: string): string | undefined {
  for (const line of headerBlock.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) {
      if (line.trim() === '') continue
      malformed('a part header line has no colon')
    }
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue
    // `;\s*name=` cannot match inside `; filename=`: the parameter must follow the separator.
    const m = /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(line.slice(colon + 1))
    const quoted = m?.[1]
    return quoted === undefined ? m?.[2] : quoted.replace(/\\(.)/g, '$1')
  }
  return undefined
}

export function createMultipartFileReader(
  boundary: string,
  field: string,
  sink: (bytes: Uint8Array) => Promise<void>,
): MultipartFileReader {
  // Every delimiter is CRLF "--" boundary; seeding the buffer with CRLF lets the first one,
  // which may open the body without a preceding line break, match the same pattern.
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  const keep = delimiter.length - 1
  let pending: Buffer = Buffer.from(CRLF)
  let state: State = 'preamble'
  let inFile = false
  let fileDone = false
  let sawFilePart = false

  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = pending.indexOf(delimiter)
        if (at < 0) {
          pending = pending.subarray(Math.max(0, pending.length - keep))
          return false
        }
        pending = pending.subarray(at + delimiter.length)
        state = 'after-delimiter'
        return true
      }
      case 'after-delimiter': {
        // "--" closes the body; otherwise optional transport padding, then CRLF.
        if (pending.length < 2) return false
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'epilogue'
          return true
        }
        let i = 0
        while (i < pending.length && (pending[i] === 0x20 || pending[i] === 0x09)) i++
        if (i > MAX_PART_HEADER_BYTES) tooLongHeaders()
        if (pending.length < i + 2) return false
        if (pending[i] !== 0x0d || pending[i + 1] !== 0x0a) malformed('a boundary line is not followed by CRLF')
        // Keep the CRLF so a part without headers ends at the same "\r\n\r\n" as any other.
        pending = pending.subarray(i)
        state = 'headers'
        return true
      }
      case 'headers': {
        // `pending` opens with the boundary line's CRLF; the header block is pending[2, at).
        const at = pending.indexOf(HEADER_END)
        if (at < 0) {
          // The end, when it comes, starts at pending.length - 3 or later: once even that
          // would leave more than the limit, refuse without waiting (memory stays bounded).
          if (pending.length - 3 - 2 > MAX_PART_HEADER_BYTES) tooLongHeaders()
          return false
        }
        if (at - 2 > MAX_PART_HEADER_BYTES) tooLongHeaders()
        const name = partName(pending.subarray(2, at).toString('utf8'))
        pending = pending.subarray(at + HEADER_END.length)
        inFile = name === field && !sawFilePart
        if (inFile) sawFilePart = true
        state = 'body'
        return true
      }
      case 'body': {
        const at = pending.indexOf(delimiter)
        if (at < 0) {
          const flush = Math.max(0, pending.length - keep)
          if (inFile && flush > 0) await sink(pending.subarray(0, flush))
          pending = pending.subarray(flush)
          return false
        }
        if (inFile) {
          if (at > 0) await sink(pending.subarray(0, at))
          fileDone = true
          inFile = false
        }
        pending = pending.subarray(at + delimiter.length)
        state = 'after-delimiter'
        return true
      }
      case 'epilogue':
        pending = Buffer.alloc(0)
        return false
    }
  }

  return {
    async push(chunk) {
      if (chunk.length === 0) return
      // The sink may keep what it is given (a write queue), so hand it a fresh copy per chunk.
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk])
      while (await step()) {
        // Each step consumes a delimiter or a header block; loop until it needs more bytes.
      }
    },
    end() {
      if (fileDone) return
      if (!sawFilePart) {
        if (state === 'epilogue')
          throw ingestErrors.problem('INGEST_MISSING_FILE', { detail: `the form has no part named ${JSON.stringify(field)}` })
        if (state === 'preamble') malformed('the body holds no multipart boundary')
      }
      malformed('the body ends before the closing boundary')
    },
  }
}
