import { copyFile, lstat, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { STORE_LAYOUT } from './file-journal.ts'
import { listCheckpoints, listSegments } from './segment-names.ts'

/** Copies a regular file; false when it vanished or is not a regular file (never follows a link to a device). */
async function copyRegular(from: string, to: string): Promise<boolean> {
  try {
    if (!(await lstat(from)).isFile()) return false
    await copyFile(from, to)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/**
 * Copies a store's meta, segments, archive and checkpoints (not the lock), reading the live
 * store only: a server may be appending. Active segments are listed first, so one archived by
 * a live checkpoint between listing and copying is taken from archive/.
 */
export async function copyStore(from: string, to: string): Promise<void> {
  for (const sub of [STORE_LAYOUT.segments, STORE_LAYOUT.archive, STORE_LAYOUT.checkpoints]) await mkdir(join(to, sub), { recursive: true })
  await copyRegular(join(from, STORE_LAYOUT.meta), join(to, STORE_LAYOUT.meta))
  for (const { name } of await listSegments(join(from, STORE_LAYOUT.segments))) {
    if (!(await copyRegular(join(from, STORE_LAYOUT.segments, name), join(to, STORE_LAYOUT.segments, name)))) {
      await copyRegular(join(from, STORE_LAYOUT.archive, name), join(to, STORE_LAYOUT.archive, name))
    }
  }
  for (const { name } of await listSegments(join(from, STORE_LAYOUT.archive))) {
    await copyRegular(join(from, STORE_LAYOUT.archive, name), join(to, STORE_LAYOUT.archive, name))
  }
  for (const { name } of await listCheckpoints(join(from, STORE_LAYOUT.checkpoints))) {
    await copyRegular(join(from, STORE_LAYOUT.checkpoints, name), join(to, STORE_LAYOUT.checkpoints, name))
  }
}

/** The stores directly under `root` (every child directory that has `segments/`), by name; none when `root` is missing. */
export async function listStores(root: string): Promise<string[]> {
  let entries: string[]
  try {
    entries = (await readdir(root)).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const stores: string[] = []
  for (const name of entries) {
    const segments = await lstat(join(root, name, STORE_LAYOUT.segments)).catch(() => undefined)
    if (segments?.isDirectory() === true) stores.push(join(root, name))
  }
  return stores
}
