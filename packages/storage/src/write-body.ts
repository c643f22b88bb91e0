import { createHash, type Hash } from 'node:crypto'
import { open, unlink } from 'node:fs/promises'
import { isProblem, writeAll } from '@lakehouse/kit'
import { storageErrors } from './errors.ts'

export interface WrittenFile {
  readonly size: number
  /** Hex digests, one per requested algorithm. */
  readonly digests: Readonly<Record<string, string>>
  /** From fstat of the written inode: identifies this exact file in an etag sidecar. */
  readonly ino: bigint
  readonly mtimeNs: bigint
  readonly mtime: Date
}

export interface WriteBodyOptions {
  readonly maxBytes?: number | undefined
  /** Hash algorithms computed while streaming (node:crypto names). */
  readonly hashes: readonly string[]
  /** fsync before resolving; off only for scratch files read back by this process. */
  readonly sync: boolean
}

export function tooLargeProblem(maxBytes: number) {
  return storageErrors.problem('STORAGE_TOO_LARGE', {
    detail: `object exceeds the limit of ${maxBytes} bytes`,
    extensions: { limit_bytes: maxBytes },
  })
}

// A Problem raised by the body's own producer (the service's size guard) passes through as is.
function bodyFailed(err: unknown) {
  if (isProblem(err)) return err
  return storageErrors.problem('STORAGE_UPLOAD_INCOMPLETE', { detail: 'the body stream failed before it ended', cause: err })
}

/**
 * Hands `body` to `sink` one chunk at a time, never holding more than one, and returns the byte
 * count. Over `maxBytes` it stops before passing the chunk on, cancels the body and throws 413;
 * a body that fails midway throws STORAGE_UPLOAD_INCOMPLETE (a Problem from the body's own
 * producer passes through). Shared by every backend so they refuse the same bodies the same way.
 */
export async function pumpBody(
  body: ReadableStream<Uint8Array> | Uint8Array,
  maxBytes: number | undefined,
  sink: (chunk: Uint8Array) => unknown,
): Promise<number> {
  const max = maxBytes ?? Number.POSITIVE_INFINITY
  let size = 0
  const append = async (chunk: Uint8Array) => {
    size += chunk.byteLength
    if (size > max) throw tooLargeProblem(max)
    await sink(chunk)
  }
  if (body instanceof Uint8Array) {
    await append(body)
    return size
  }
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read().catch((err: unknown) => Promise.reject(bodyFailed(err)))
      if (done) break
      await append(value)
    }
  } catch (err) {
    await reader.cancel(err).catch(() => undefined)
    throw err
  } finally {
    reader.releaseLock()
  }
  return size
}

/**
 * Streams `body` into a new file at `path` (created exclusively), hashing as it goes and never
 * holding more than one chunk. Over `maxBytes` it stops, cancels the body and throws 413.
 * On any failure the partial file is removed, so callers only ever see whole files.
 * Durability: with `sync` the data is fsynced; the caller renames and fsyncs the directory.
 */
export async function writeBodyToFile(
  path: string,
  body: ReadableStream<Uint8Array> | Uint8Array,
  options: WriteBodyOptions,
): Promise<WrittenFile> {
  const hashes: [string, Hash][] = options.hashes.map((name) => [name, createHash(name)])
  const fh = await open(path, 'wx', 0o644)
  try {
    const size = await pumpBody(body, options.maxBytes, async (chunk) => {
      for (const [, h] of hashes) h.update(chunk)
      await writeAll(fh, chunk)
    })
    if (options.sync) await fh.sync()
    const st = await fh.stat({ bigint: true })
    await fh.close()
    const digests: Record<string, string> = {}
    for (const [name, h] of hashes) digests[name] = h.digest('hex')
    return { size, digests, ino: st.ino, mtimeNs: st.mtimeNs, mtime: st.mtime }
  } catch (err) {
    await fh.close().catch(() => undefined)
    await unlink(path).catch(() => undefined)
    throw err
  }
}
