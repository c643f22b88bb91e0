import { createHash, randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fsyncPath, writeAll } from '@lakehouse/kit'

/**
 * File primitives for index snapshots that kit's durable-file.ts does not cover: files whose
 * size and SHA-256 go into index.json, and whole-tree deletes. A rename or unlink is durable
 * only once the directory holding the entry is fsynced.
 */

export interface WrittenFile {
  readonly bytes: number
  readonly sha256: string
}

/** Writes the chunks in order to a new file, fsyncs it and returns its size and SHA-256. */
export async function writeChunks(path: string, chunks: readonly Uint8Array[]): Promise<WrittenFile> {
  const hash = createHash('sha256')
  const fh = await open(path, 'w', 0o644)
  let bytes = 0
  try {
    for (const chunk of chunks) {
      await writeAll(fh, chunk)
      hash.update(chunk)
      bytes += chunk.byteLength
    }
    await fh.sync()
  } finally {
    await fh.close()
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** Fsyncs an existing file and returns its size and SHA-256. */
export async function syncAndHash(path: string): Promise<WrittenFile> {
  const fh = await open(path, 'r')
  try {
    await fh.sync()
    return await hashOpen(fh)
  } finally {
    await fh.close()
  }
}

type Handle = Awaited<ReturnType<typeof open>>

async function hashOpen(fh: Handle, into?: readonly Uint8Array[]): Promise<WrittenFile> {
  const hash = createHash('sha256')
  let bytes = 0
  if (into !== undefined) {
    for (const chunk of into) {
      let done = 0
      while (done < chunk.byteLength) {
        const { bytesRead } = await fh.read(chunk, done, chunk.byteLength - done, bytes + done)
        if (bytesRead === 0) return { bytes: bytes + done, sha256: '' }
        done += bytesRead
      }
      hash.update(chunk)
      bytes += chunk.byteLength
    }
    // One more byte means the file is longer than the rows it should hold.
    const { bytesRead } = await fh.read(new Uint8Array(1), 0, 1, bytes)
    return { bytes: bytes + bytesRead, sha256: hash.digest('hex') }
  }
  const buffer = new Uint8Array(1024 * 1024)
  for (;;) {
    const { bytesRead } = await fh.read(buffer, 0, buffer.byteLength, bytes)
    if (bytesRead === 0) break
    hash.update(buffer.subarray(0, bytesRead))
    bytes += bytesRead
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** SHA-256 and size of a file; with `into`, the bytes are also read into those views, in order. */
export async function readAndHash(path: string, into?: readonly Uint8Array[]): Promise<WrittenFile> {
  const fh = await open(path, 'r')
  try {
    return await hashOpen(fh, into)
  } finally {
    await fh.close()
  }
}

/**
 * Removes a directory tree so that a crash never leaves it half-deleted under its own name:
 * rename to a dot-name (durable once the parent is fsynced), then delete. Leftover dot-dirs are
 * swept at the next start.
 */
export async function removeTree(path: string): Promise<void> {
  const trash = join(dirname(path), `.trash-${randomBytes(6).toString('hex')}`)
  await rename(path, trash)
  await fsyncPath(dirname(path))
  await rm(trash, { recursive: true, force: true })
}
