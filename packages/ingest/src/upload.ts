import { open } from 'node:fs/promises'
import { drain, isProblem, OVERSIZE_DRAIN_BYTES, type Problem, type ProblemInit, writeAll } from '@lakehouse/kit'
import { type IngestErrorCode, ingestErrors } from './errors.ts'
import { createMultipartFileReader, multipartBoundary } from './multipart-reader.ts'

/** How the CSV travels in the request body. */
export type UploadKind = { readonly kind: 'csv' } | { readonly kind: 'multipart'; readonly boundary: string }

/** The form field that carries the CSV in a multipart upload. */
export const FILE_FIELD = 'file'

/**
 * How much of a refused body is read and dropped so the answer reaches the client: kit's
 * policy (OVERSIZE_DRAIN_BYTES, see json-body.ts for why), shared by every body reader.
 */
export const DRAIN_BYTES = OVERSIZE_DRAIN_BYTES

const CSV_TYPES = new Set(['text/csv', 'application/csv'])
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii'])

/** `multipart/form-data` (with a boundary), or `text/csv` / `application/csv` in UTF-8; else 415. */
export function uploadKind(contentType: string | null): UploadKind {
  const [type = '', ...params] = (contentType ?? '').split(';')
  const mime = type.trim().toLowerCase()
  if (mime === 'multipart/form-data') return { kind: 'multipart', boundary: multipartBoundary(contentType ?? '') }
  if (CSV_TYPES.has(mime)) {
    for (const p of params) {
      const [key = '', value = ''] = p.split('=')
      const charset = value.trim().replace(/^"|"$/g, '').toLowerCase()
      if (key.trim().toLowerCase() === 'charset' && !UTF8_CHARSETS.has(charset)) {
        throw ingestErrors.problem('INGEST_UNSUPPORTED_MEDIA_TYPE', {
          detail: `the CSV must be UTF-8, got charset ${JSON.stringify(charset)}`,
        })
      }
    }
    return { kind: 'csv' }
  }
  throw ingestErrors.problem('INGEST_UNSUPPORTED_MEDIA_TYPE', {
    detail: `expected multipart/form-data (field "${FILE_FIELD}"), text/csv or application/csv, got ${JSON.stringify(contentType ?? '')}`,
  })
}

/** Reads and drops up to `budget` bytes; true when the body ended within it. */
/**
 * A problem for a request refused before its body was read (bad name, media type, declared
 * size, busy): drains what it can first and asks for `Connection: close` when it could not.
 */
export async function refuseUnread(req: Request, code: IngestErrorCode, init: ProblemInit): Promise<Problem> {
  const reader = req.body?.getReader()
  const drained = reader === undefined || (await drain(reader, DRAIN_BYTES).catch(() => false))
  return ingestErrors.problem(code, drained ? init : { ...init, headers: { ...init.headers, connection: 'close' } })
}

export function tooLargeInit(maxBytes: number): ProblemInit {
  return { detail: `the upload exceeds the limit of ${maxBytes} bytes`, extensions: { limit_bytes: maxBytes } }
}

/**
 * Streams the CSV of the request into `dest` (created exclusively), counting the raw body
 * against `maxBytes`. Memory is one chunk whatever the size. Not fsynced: the file is scratch
 * (see temp-files.ts). The caller removes `dest` on every path, including the throws here.
 */
export async function spoolUpload(req: Request, kind: UploadKind, dest: string, maxBytes: number): Promise<void> {
  const handle = await open(dest, 'wx', 0o600)
  const reader = req.body?.getReader()
  try {
    const write = (bytes: Uint8Array) => writeAll(handle, bytes)
    const multipart = kind.kind === 'multipart' ? createMultipartFileReader(kind.boundary, FILE_FIELD, write) : undefined
    let total = 0
    while (reader !== undefined) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        const drained = await drain(reader, DRAIN_BYTES - (total - maxBytes)).catch(() => false)
        const init = tooLargeInit(maxBytes)
        throw ingestErrors.problem('INGEST_TOO_LARGE', drained ? init : { ...init, headers: { connection: 'close' } })
      }
      if (multipart === undefined) await writeAll(handle, value)
      else await multipart.push(value)
    }
    multipart?.end()
  } catch (err) {
    // A malformed multipart body is refused mid-stream: drain the rest like any other refusal.
    if (reader !== undefined && isProblem(err) && err.code === 'INGEST_MALFORMED_MULTIPART') {
      const drained = await drain(reader, DRAIN_BYTES).catch(() => false)
      if (!drained) throw ingestErrors.problem(err.code, { detail: err.detail, headers: { connection: 'close' }, cause: err })
    }
    throw err
  } finally {
    await handle.close()
  }
}
