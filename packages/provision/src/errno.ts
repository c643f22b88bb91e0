/** The errno code of a Node/Bun system error (`EACCES`, …), or undefined for anything else. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined
}

// Fixed wording per errno rather than the runtime's message: Node and Bun phrase system
// errors differently, and both runtimes must print the same failure for the same cause.
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'file exists',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  EXDEV: 'cross-device link',
}

/** `EACCES (permission denied)`, or the error's own message when it carries no errno. */
export function describeErrno(err: unknown): string {
  const errno = errnoOf(err)
  if (errno === undefined) return err instanceof Error ? err.message : String(err)
  const text = ERRNO_TEXT[errno]
  return text === undefined ? errno : `${errno} (${text})`
}
