import { createHash } from 'node:crypto'
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Scratch files of one ingest (the uploaded CSV, the Parquet before it is stored). They are
 * never fsynced: they live for one request, are removed on every path, and a crash loses only
 * an upload whose client never got an answer. Names carry a random UUID so concurrent ingests
 * and DuckDB's glob syntax never see anything but a plain, unique path.
 */
export function tempPath(tmpDir: string, extension: 'csv' | 'parquet'): string {
  return join(tmpDir, `ingest-${crypto.randomUUID()}.${extension}`)
}

/** Best effort: a file that is already gone (or never created) is not an error. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined)
}

/**
 * The file as a web stream for `ObjectStore.put`, read 1 MiB at a time so a Parquet object of
 * any size costs one buffer. `close` releases the handle whatever the consumer did.
 */
export async function openFileStream(path: string): Promise<{ stream: ReadableStream<Uint8Array>; close(): Promise<void> }> {
  const handle = await open(path, 'r')
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await handle.close()
  }
  const CHUNK = 1024 * 1024
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const buf = new Uint8Array(CHUNK)
        const { bytesRead } = await handle.read(buf, 0, CHUNK, null)
        if (bytesRead === 0) {
          await close()
          controller.close()
        } else controller.enqueue(buf.subarray(0, bytesRead))
      },
      cancel: close,
    },
    // Pull only when the consumer asks: no read-ahead beyond the chunk being written.
    { highWaterMark: 0 },
  )
  return { stream, close }
}

/** SHA-256 hex of a file, read 1 MiB at a time: the content hash of a Parquet object before it is stored. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  const file = await openFileStream(path)
  try {
    const reader = file.stream.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      hash.update(value)
    }
  } finally {
    await file.close()
  }
  return hash.digest('hex')
}
