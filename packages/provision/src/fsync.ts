import { open } from 'node:fs/promises'

/**
 * fsync a directory, making the entries created, linked or removed in it durable: a file's
 * own fsync covers its data and inode, not the name that points at it. Linux (and both
 * runtimes, see STACK.md) accept fsync on a directory opened read-only.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
