import { isAbsolute, relative } from 'node:path'
import { isProblem, type Problem } from '@lakehouse/kit'
import { describeErrno, errnoOf } from './errno.ts'
import { type ProvisionErrorCode, provisionErrors } from './errors.ts'

/**
 * Every provisioning failure is built here, so each one names the exact path, the errno and
 * the fix in `detail` (one line, for logs) and again in `extensions` (for
 * formatProvisionFailure and for callers that match on fields, never on text).
 */

export const ELSEWHERE = 'or choose another directory with --data-dir / LAKEHOUSE_DATA_DIR'

/** Separates what failed from the fix inside `detail`; formatProvisionFailure splits on it. */
export const FIX_SEPARATOR = ' — fix: '

export interface FailureInit {
  /** What failed, with the path, e.g. `cannot create directory /srv/lh/journal: EACCES (permission denied)`. */
  readonly what: string
  readonly path: string
  readonly fix: string
  readonly cause?: unknown
}

export function provisionProblem(code: ProvisionErrorCode, init: FailureInit): Problem {
  const errno = errnoOf(init.cause)
  return provisionErrors.problem(code, {
    detail: `${init.what}${FIX_SEPARATOR}${init.fix}`,
    cause: init.cause,
    extensions: errno === undefined ? { path: init.path, fix: init.fix } : { path: init.path, fix: init.fix, errno },
  })
}

/** Quotes a path for the copy-pasteable commands in a fix. */
export function shellQuote(path: string): string {
  return /^[\w/.,:@%+=-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}

function isWithin(dataDir: string, path: string): boolean {
  const rel = relative(dataDir, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** The code an errno maps to when the caller has no more specific one. */
export function codeForErrno(errno: string | undefined): ProvisionErrorCode {
  switch (errno) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'PROVISION_UNWRITABLE'
    case 'ENOSPC':
    case 'EDQUOT':
      return 'PROVISION_NO_SPACE'
    case 'ENOTDIR':
      return 'PROVISION_NOT_A_DIRECTORY'
    default:
      return 'PROVISION_FAILED'
  }
}

export interface FailureOptions {
  /** Overrides the errno mapping where the step knows better. */
  readonly code?: ProvisionErrorCode
  /**
   * The directory whose permissions are at fault, when it is not `path` itself: creating
   * `path` (mkdir, open wx, link) fails on its parent, and the fix must name the parent.
   */
  readonly blame?: string
}

/** A fix an operator can paste: which command, on which path, for this errno. */
export function fixForErrno(errno: string | undefined, path: string, dataDir: string, blame = path): string {
  const q = shellQuote(path)
  const b = shellQuote(blame)
  const d = shellQuote(dataDir)
  switch (errno) {
    case 'EACCES':
    case 'EPERM': {
      // Inside the tree the owner is wrong; when the data directory itself cannot be created
      // its parent was never ours, and chown -R on a parent (say /var/lib) would be wrong advice.
      const own = isWithin(dataDir, blame)
        ? `run \`sudo chown -R $(id -u):$(id -g) ${d}\``
        : `create it for this user: \`sudo install -d -m 0700 -o $(id -u) -g $(id -g) ${d}\``
      // EPERM, unlike EACCES, is what an immutable inode answers even to root.
      const immutable = errno === 'EPERM' ? `; if \`lsattr -d ${b}\` shows the immutable flag \`i\`, run \`sudo chattr -i ${b}\`` : ''
      return `${own}${immutable}, ${ELSEWHERE}`
    }
    case 'EROFS':
      return `the filesystem holding ${b} is read-only: remount it read-write, ${ELSEWHERE}`
    case 'ENOSPC':
    case 'EDQUOT':
      return `free space (or raise the quota) on the filesystem holding ${q} (see \`df -h ${q}\`), ${ELSEWHERE}`
    case 'ENOTDIR':
      return `a component of ${q} is a file, not a directory: move it aside, ${ELSEWHERE}`
    default:
      return `inspect ${q} and the error above, ${ELSEWHERE}`
  }
}

/** Wraps an I/O error from `action` on `path`. A Problem passes through unchanged, so nested steps never wrap twice. */
export function fsFailure(action: string, path: string, err: unknown, dataDir: string, options: FailureOptions = {}): Problem {
  if (isProblem(err)) return err
  const errno = errnoOf(err)
  return provisionProblem(options.code ?? codeForErrno(errno), {
    what: `${action} ${path}: ${describeErrno(err)}`,
    path,
    fix: fixForErrno(errno, path, dataDir, options.blame),
    cause: err,
  })
}

/** Runs one I/O step and turns its failure into a Problem naming `path`; nothing is swallowed. */
export async function step<T>(action: string, path: string, dataDir: string, fn: () => Promise<T>, options?: FailureOptions): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw fsFailure(action, path, err, dataDir, options)
  }
}

function splitDetail(problem: Problem): { what: string; fix: string | undefined } {
  const fix = problem.extensions?.fix
  if (typeof fix !== 'string') return { what: problem.detail, fix: undefined }
  const suffix = FIX_SEPARATOR + fix
  return { what: problem.detail.endsWith(suffix) ? problem.detail.slice(0, -suffix.length) : problem.detail, fix }
}

/** The primary failure, with the cleanup failure that followed it folded in rather than dropped. */
export function foldFailures(primary: unknown, secondary: unknown): unknown {
  if (!isProblem(primary) || !isProblem(secondary))
    return new AggregateError([primary, secondary], 'provisioning failed, then its cleanup failed')
  const first = splitDetail(primary)
  const then = splitDetail(secondary)
  return provisionErrors.problem(primary.code as ProvisionErrorCode, {
    detail: `${first.what}; then ${then.what}${first.fix === undefined ? '' : FIX_SEPARATOR + first.fix}`,
    cause: primary.cause,
    extensions: { ...primary.extensions, also: secondary.detail },
  })
}

/**
 * Runs `body`, then `cleanup` whether or not `body` failed (closing a handle, removing a temp
 * file). If both fail, the body's failure is thrown with the cleanup's folded into it, so
 * neither error is swallowed and the first cause stays the one reported.
 */
export async function withCleanup<T>(body: () => Promise<T>, cleanup: () => Promise<void>): Promise<T> {
  let result: T
  try {
    result = await body()
  } catch (err) {
    try {
      await cleanup()
    } catch (cleanupErr) {
      throw foldFailures(err, cleanupErr)
    }
    throw err
  }
  await cleanup()
  return result
}
