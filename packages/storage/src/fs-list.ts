import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { compareKeys } from './key-order.ts'
import { keyViolation } from './key-policy.ts'

interface Entry {
  readonly name: string
  readonly dir: boolean
  readonly sortKey: string
}

const NOTHING: ReadonlySet<string> = new Set()

/**
 * Keys under `root` starting with `prefix`, in UTF-8 byte order, lazily (the caller stops after
 * limit + 1). Directories sort as `name/`, because every key below `a` is `a/…`: sorting the
 * entries plainly would list `a/b` before `a-c`, but `-` (0x2d) sorts before `/` (0x2f).
 * Only the directory named by the prefix is read, not the whole tree. Entries that are not
 * valid keys (another process's files, symlinks, sockets) are skipped.
 */
export async function* walkKeys(root: string, prefix: string, skipAtRoot: ReadonlySet<string>): AsyncGenerator<string> {
  const cut = prefix.lastIndexOf('/')
  const base = prefix.slice(0, cut + 1)
  const partial = prefix.slice(cut + 1)
  yield* walkDir(join(root, base), base, partial, base === '' ? skipAtRoot : NOTHING)
}

async function* walkDir(dir: string, keyPrefix: string, namePrefix: string, skip: ReadonlySet<string>): AsyncGenerator<string> {
  let names: { name: string; isFile(): boolean; isDirectory(): boolean }[]
  try {
    names = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    // The prefix names no directory, or a concurrent delete pruned it: nothing to list.
    const code = (err as { code?: unknown }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return
    throw err
  }
  const entries: Entry[] = []
  for (const d of names) {
    if (!d.name.startsWith(namePrefix) || skip.has(d.name)) continue
    const dir = d.isDirectory()
    if (dir || d.isFile()) entries.push({ name: d.name, dir, sortKey: dir ? `${d.name}/` : d.name })
  }
  entries.sort((a, b) => compareKeys(a.sortKey, b.sortKey))
  for (const e of entries) {
    if (e.dir) yield* walkDir(join(dir, e.name), `${keyPrefix}${e.name}/`, '', NOTHING)
    else if (keyViolation(keyPrefix + e.name) === undefined) yield keyPrefix + e.name
  }
}
