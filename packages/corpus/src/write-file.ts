import { createHash, randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { fsyncPath } from '@lakehouse/kit'
import { type CorpusOptionsInput, resolveCorpusOptions } from './options.ts'
import { csvTextChunks } from './stream.ts'

export interface CorpusProgress {
  readonly rowsWritten: number
  readonly totalRows: number
  readonly bytesWritten: number
}

export interface WriteWorkersCsvOptions extends CorpusOptionsInput {
  /** Destination path; replaced atomically, its directory must exist. */
  readonly out: string
  /** Called at most every PROGRESS_INTERVAL_MS while writing, and once more when all rows are written. */
  readonly onProgress?: (progress: CorpusProgress) => void
  /** Aborting stops between chunks, removes the temp file and rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

export interface WriteWorkersCsvResult {
  readonly rows: number
  readonly bytes: number
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256: string
}

/** ~10 reports a second: enough for a progress bar, cheap enough to never show in a profile. */
export const PROGRESS_INTERVAL_MS = 100

/**
 * Writes the corpus to `out`. Durability: the data goes to a temp file beside `out`, which is
 * fsynced, renamed over `out`, and then the directory is fsynced, so after the promise resolves
 * `out` is either the complete new file or (on a crash before the rename) the old one — never
 * a torn mix. On failure or abort the temp file is removed and the error (a Node fs error with
 * its `code`, or the abort reason) is rethrown unchanged.
 */
export async function writeWorkersCsv(options: WriteWorkersCsvOptions): Promise<WriteWorkersCsvResult> {
  const { rows, seed } = resolveCorpusOptions(options)
  const { onProgress, signal } = options
  signal?.throwIfAborted()
  const target = resolve(options.out)
  const dir = dirname(target)
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  const hash = createHash('sha256')
  const encoder = new TextEncoder()
  let bytes = 0
  let handle: FileHandle | undefined = await open(temp, 'wx', 0o644)
  try {
    let lastReport = performance.now()
    for (const chunk of csvTextChunks({ rows, seed })) {
      signal?.throwIfAborted()
      const data = encoder.encode(chunk.text)
      hash.update(data)
      await writeAll(handle, data)
      bytes += data.length
      const now = performance.now()
      if (onProgress !== undefined && now - lastReport >= PROGRESS_INTERVAL_MS && chunk.rowsDone < rows) {
        lastReport = now
        onProgress({ rowsWritten: chunk.rowsDone, totalRows: rows, bytesWritten: bytes })
      }
    }
    await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temp, target)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw error
  }
  await fsyncPath(dir)
  onProgress?.({ rowsWritten: rows, totalRows: rows, bytesWritten: bytes })
  return { rows, bytes, sha256: hash.digest('hex') }
}

/** FileHandle#write may write less than asked (it maps to one write(2)); loop until done. */
async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset)
    offset += bytesWritten
  }
}
