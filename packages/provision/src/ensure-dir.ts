import { chmod, lstat, mkdir, stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative } from 'node:path'
import { fsyncPath } from '@lakehouse/kit'
import { errnoOf } from './errno.ts'
import { ELSEWHERE, fsFailure, provisionProblem, shellQuote, step } from './failure.ts'

/** What stands at `path` when a directory was expected, for the message. */
async function kindOf(path: string): Promise<string> {
  const st = await lstat(path)
  if (st.isSymbolicLink()) return 'a dangling symbolic link'
  if (st.isFile()) return 'a regular file'
  if (st.isFIFO()) return 'a FIFO'
  if (st.isSocket()) return 'a socket'
  return 'not a directory'
}

async function notADirectory(path: string, dataDir: string): Promise<never> {
  const kind = await step('cannot inspect', path, dataDir, () => kindOf(path))
  throw provisionProblem('PROVISION_NOT_A_DIRECTORY', {
    what: `${path} exists but is ${kind}`,
    path,
    fix: `move ${shellQuote(path)} aside or remove it, ${ELSEWHERE}`,
  })
}

/** Whether `path` is an existing directory (following links); false when nothing is there. */
async function existingDirectory(path: string, dataDir: string): Promise<boolean> {
  try {
    const st = await stat(path)
    if (!st.isDirectory()) return notADirectory(path, dataDir)
    return true
  } catch (err) {
    const errno = errnoOf(err)
    // ENOTDIR: a component above is a file; the walk up reaches it and reports it by name.
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return false
    throw fsFailure('cannot inspect', path, err, dataDir)
  }
}

/** How a created path is reported: relative to the data directory, absolute above it. */
export function reportPath(dataDir: string, path: string): string {
  const rel = relative(dataDir, path)
  if (rel === '') return '.'
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/**
 * `mkdir -p` that says what it created. Missing components are created top-down with `mode`
 * (then chmod'ed, since the umask may have narrowed it), and after each mkdir the parent is
 * fsynced, so a directory this run reports as created survives a crash. Losing a race to a
 * concurrent provisioner (EEXIST on a directory) is success; the winner reports it.
 *
 * Durability: each created entry is durable (parent directory fsynced) before returning.
 * Not kit's ensureDirDurable: provisioning must report what it created and which step failed
 * (a PROVISION_* problem naming the directory to fix), and set the mode past the umask.
 */
export async function ensureDirectory(path: string, mode: number, dataDir: string): Promise<string[]> {
  const missing: string[] = []
  let cursor = path
  while (!(await existingDirectory(cursor, dataDir))) {
    missing.push(cursor)
    const parent = dirname(cursor)
    if (parent === cursor) break // the filesystem root itself is missing: mkdir below reports it
    cursor = parent
  }
  const created: string[] = []
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, { mode })
    } catch (err) {
      const errno = errnoOf(err)
      if (errno === 'EEXIST') {
        if (await existingDirectory(dir, dataDir)) continue
        return notADirectory(dir, dataDir) // a dangling link answers ENOENT to stat but EEXIST to mkdir
      }
      throw fsFailure('cannot create directory', dir, err, dataDir, { blame: dirname(dir) })
    }
    await step('cannot set the mode of', dir, dataDir, () => chmod(dir, mode))
    await step('cannot fsync directory', dirname(dir), dataDir, () => fsyncPath(dirname(dir)))
    created.push(dir)
  }
  return created
}
