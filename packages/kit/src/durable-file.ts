import { randomBytes } from 'node:crypto'
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { fsyncPath } from './fsync.ts'

/**
 * The durable-file primitives every component builds on. A file's fsync covers its bytes, not
 * its name: a rename or a new directory is durable only once the directory holding the entry
 * is fsynced as well (see fsync.ts).
 */

/** What `writeAll` needs of a FileHandle, so a test can hand it one that writes short. */
export interface WriteTarget {
  write(buffer: Uint8Array, offset: number, length: number, position?: number | null): Promise<{ bytesWritten: number }>
}

/** FileHandle#write is one write(2), which may take fewer bytes than asked; loop until all are written. */
export async function writeAll(handle: WriteTarget, bytes: Uint8Array, position?: number): Promise<void> {
  let done = 0
  while (done < bytes.byteLength) {
    const length = bytes.byteLength - done
    const { bytesWritten } =
      position === undefined ? await handle.write(bytes, done, length) : await handle.write(bytes, done, length, position + done)
    done += bytesWritten
  }
}

export interface WriteFileAtomicOptions {
  /** Mode of a newly written file (the umask still applies); 0o644 unless given. */
  readonly mode?: number
}

/** The new content, or a function that streams it into the temp file (for files too big to hold). */
export type AtomicContent = string | Uint8Array | ((handle: FileHandle) => Promise<void>)

/**
 * Replaces `path` so that a crash leaves the old content or the new, never a torn mix: a temp
 * file beside it (a rename is atomic only within one file system) gets all the bytes and an
 * fsync, is renamed over `path`, and the directory is fsynced. On any failure (including one
 * thrown by a content function) the temp file is removed and the original error rethrown; a
 * crash can still leave one, which `isAtomicTempName` recognises for a sweep.
 */
export async function writeFileAtomic(path: string, data: AtomicContent, options: WriteFileAtomicOptions = {}): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined = await open(temp, 'wx', options.mode ?? 0o644)
  try {
    if (typeof data === 'function') await data(handle)
    else await writeAll(handle, typeof data === 'string' ? Buffer.from(data) : data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temp, path)
  } catch (err) {
    await handle?.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw err
  }
  await fsyncPath(dir)
}

/** Whether `entry` is a temp file that `writeFileAtomic(…/target)` left behind in a crash. */
export function isAtomicTempName(entry: string, target: string): boolean {
  const prefix = `.${target}.`
  return entry.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(entry.slice(prefix.length))
}

export interface EnsureDirOptions {
  /** Mode of every directory created (the umask still applies); 0o777 unless given. */
  readonly mode?: number
}

/**
 * `mkdir -p` whose new directories survive a crash. Each created directory's entry lives in its
 * parent, so the parent of every created level is fsynced, not only the deepest one's: fsyncing
 * just `dirname(dir)` would leave an upper new level, and with it the whole new branch, able to
 * vanish.
 */
export async function ensureDirDurable(dir: string, options: EnsureDirOptions = {}): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: options.mode ?? 0o777 })
  if (created === undefined) return
  const first = resolve(created)
  for (let child = resolve(dir); ; child = dirname(child)) {
    await fsyncPath(dirname(child))
    if (child === first || dirname(child) === child) break
  }
}
