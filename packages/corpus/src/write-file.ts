import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { writeAll, writeFileAtomic } from '@lakehouse/kit'
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
 * Writes the corpus to `out`. Durability: streamed through kit's writeFileAtomic, so after the
 * promise resolves `out` is either the complete new file or (on a crash before the rename) the
 * old one — never a torn mix. On failure or abort the temp file is removed and the error (a
 * Node fs error with its `code`, or the abort reason) is rethrown unchanged.
 */
export async function writeWorkersCsv(options: WriteWorkersCsvOptions): Promise<WriteWorkersCsvResult> {
  const { rows, seed } = resolveCorpusOptions(options)
  const { onProgress, signal } = options
  signal?.throwIfAborted()
  const hash = createHash('sha256')
  const encoder = new TextEncoder()
  let bytes = 0
  await writeFileAtomic(resolve(options.out), async (handle) => {
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
  })
  onProgress?.({ rowsWritten: rows, totalRows: rows, bytesWritten: bytes })
  return { rows, bytes, sha256: hash.digest('hex') }
}
