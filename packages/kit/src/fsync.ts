import { closeSync, fsyncSync, openSync } from 'node:fs'
import { open } from 'node:fs/promises'

/**
 * fsync a file or a directory. A file's own fsync covers its data and inode, not the name that
 * points at it: a rename, link or unlink is durable only once the directory holding the entry
 * is fsynced too. Linux (and both runtimes, see docs/runtime-facts.md) accept fsync on a read-only handle.
 */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export function fsyncPathSync(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
