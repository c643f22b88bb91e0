import type { FileHandle } from 'node:fs/promises'

const CHUNK_BYTES = 64 * 1024

/**
 * A pull-based web stream over an open file, ending after exactly `size` bytes. The handle pins
 * the inode, so a concurrent replace (rename over the path) never changes what this reader sees.
 * The handle is closed on end, error and cancel (a client that disconnects cancels the body).
 */
export function fileReadStream(fh: FileHandle, size: number): ReadableStream<Uint8Array> {
  let position = 0
  let closed = false
  const finish = async () => {
    if (closed) return
    closed = true
    await fh.close().catch(() => undefined)
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const want = Math.min(CHUNK_BYTES, size - position)
          if (want <= 0) {
            await finish()
            controller.close()
            return
          }
          // A fresh buffer per chunk: the consumer may hold on to what it was given.
          const buffer = new Uint8Array(want)
          const { bytesRead } = await fh.read(buffer, 0, want, position)
          if (bytesRead === 0) throw new Error(`file ended after ${position} of ${size} bytes`)
          position += bytesRead
          controller.enqueue(bytesRead === want ? buffer : buffer.subarray(0, bytesRead))
        } catch (err) {
          await finish()
          controller.error(err)
        }
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  )
}

/** Hex digest of the first `size` bytes of an open file, read positionally (the handle stays usable). */
export async function digestFile(
  fh: FileHandle,
  size: number,
  hash: { update(chunk: Uint8Array): unknown; digest(enc: 'hex'): string },
): Promise<string> {
  const buffer = new Uint8Array(CHUNK_BYTES)
  let position = 0
  while (position < size) {
    const { bytesRead } = await fh.read(buffer, 0, Math.min(CHUNK_BYTES, size - position), position)
    if (bytesRead === 0) break
    hash.update(buffer.subarray(0, bytesRead))
    position += bytesRead
  }
  return hash.digest('hex')
}
