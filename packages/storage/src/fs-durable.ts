import { mkdir, open, rename, rmdir } from 'node:fs/promises'
import { dirname, relative, sep } from 'node:path'
import { fsyncPath, fsyncPathSync } from '@lakehouse/kit'

/**
 * Directory-level durability helpers. A rename or unlink is only durable once the directory
 * holding the entry is fsynced; a created directory is only durable once its parent is.
 */

/**
 * mkdir -p, adding to `dirty` every directory whose entries changed: the parent of the first
 * directory created and each created directory below it (their own entries change once the
 * caller renames into the deepest one, which the caller adds itself). Not kit's
 * ensureDirDurable, which fsyncs as it goes: a put fsyncs each dirty directory once, after its
 * rename, so a deep new key costs one fsync per level instead of two.
 */
export async function mkdirMarkingDirty(dir: string, dirty: Set<string>): Promise<void> {
  const first = await mkdir(dir, { recursive: true })
  if (first === undefined) return
  dirty.add(dirname(first))
  let current = dir
  while (current.length >= first.length) {
    dirty.add(current)
    const parent = dirname(current)
    if (parent === current) break
    current = parent
  }
}

export function errno(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * Renames `from` onto `to`, creating parents. A concurrent delete may prune an empty parent
 * between our mkdir and our rename (ENOENT), so that case retries a few times. An empty
 * directory left where a file must go (EISDIR) is removed once; a non-empty one is a conflict
 * the caller reports.
 */
export async function renameInto(from: string, to: string, dirty: Set<string>): Promise<void> {
  const dir = dirname(to)
  for (let attempt = 0; ; attempt++) {
    await mkdirMarkingDirty(dir, dirty)
    try {
      await rename(from, to)
      dirty.add(dir)
      return
    } catch (err) {
      const code = errno(err)
      if (attempt < 4 && code === 'ENOENT') continue
      if (
        attempt < 4 &&
        code === 'EISDIR' &&
        (await rmdir(to).then(
          () => true,
          () => false,
        ))
      )
        continue
      throw err
    }
  }
}

/**
 * Removes empty directories from `dir` up to (not including) `root`. Best effort: ENOTEMPTY or a
 * racing writer just stops it, and an empty directory that survives a crash is harmless.
 */
export async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  let current = dir
  while (current !== root && relative(root, current).split(sep)[0] !== '..') {
    const removed = await rmdir(current).then(
      () => true,
      () => false,
    )
    if (!removed) return
    current = dirname(current)
  }
}

/** Writes a small file and fsyncs it; the caller renames it into place. */
export async function writeSmallFile(path: string, text: string): Promise<void> {
  const fh = await open(path, 'wx', 0o644)
  try {
    await fh.writeFile(text)
    await fh.sync()
  } finally {
    await fh.close()
  }
}
