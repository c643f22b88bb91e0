import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { type FileHandle, link, lstat, open, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { configError, fsyncPath } from '@lakehouse/kit'
import { errnoOf } from './errno.ts'
import { ELSEWHERE, foldFailures, fsFailure, provisionProblem, shellQuote, step, withCleanup } from './failure.ts'
import { KEY_MAX_BYTES, KEY_MODE, KEY_PATTERN, SECRET_KEY_FILE } from './layout.ts'

/** What to do with an existing key whose mode is not 0600: chmod it (and say so) or fail. */
export type KeyPolicy = 'repair' | 'refuse'
export const KEY_POLICIES: readonly KeyPolicy[] = ['repair', 'refuse']

export interface KeyReport {
  readonly path: string
  /** True only for the process whose link() won; a concurrent loser reads the winner's key. */
  readonly created: boolean
  readonly repaired: boolean
  readonly mode: '0600'
}

export type KeyExamination =
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-regular'; readonly what: string }
  | {
      readonly kind: 'file'
      /** Open on the examined inode; the caller closes it. */
      readonly handle: FileHandle
      readonly mode: number
      readonly uid: number
      readonly size: number
      readonly valid: boolean
    }

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0')
}

// O_NOFOLLOW: a symlinked key could point anywhere, and chmod through it would "repair" a
// file that is not ours. O_NONBLOCK: opening a FIFO planted at the key path must not hang boot.
const KEY_OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

async function describeNonRegular(path: string, dataDir: string): Promise<string> {
  const st = await step('cannot inspect the secret key', path, dataDir, () => lstat(path))
  if (st.isSymbolicLink()) return 'a symbolic link'
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a FIFO'
  if (st.isSocket()) return 'a socket'
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device'
  return 'not a regular file'
}

async function readHead(handle: FileHandle): Promise<Buffer> {
  // One byte past the longest valid key is enough to reject an oversized file without reading it all.
  const buf = Buffer.alloc(KEY_MAX_BYTES + 1)
  let filled = 0
  while (filled < buf.length) {
    const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buf.subarray(0, filled)
}

/**
 * Opens and reads the key without following links and without changing anything. I/O
 * failures (EACCES, …) throw coded Problems; a missing or odd file is an answer, not an error.
 */
export async function examineKey(path: string, dataDir: string): Promise<KeyExamination> {
  let handle: FileHandle
  try {
    handle = await open(path, KEY_OPEN_FLAGS)
  } catch (err) {
    const errno = errnoOf(err)
    if (errno === 'ENOENT') return { kind: 'missing' }
    // ELOOP is O_NOFOLLOW meeting a symlink; ENXIO is open(2) on a socket.
    if (errno === 'ELOOP' || errno === 'ENXIO') return { kind: 'not-regular', what: await describeNonRegular(path, dataDir) }
    throw fsFailure('cannot open the secret key', path, err, dataDir)
  }
  const close = () => step('cannot close the secret key', path, dataDir, () => handle.close())
  let what: string
  try {
    const st = await step('cannot stat the secret key', path, dataDir, () => handle.stat())
    if (st.isFile()) {
      const head = await step('cannot read the secret key', path, dataDir, () => readHead(handle))
      const valid = head.length <= KEY_MAX_BYTES && KEY_PATTERN.test(head.toString('latin1'))
      return { kind: 'file', handle, mode: st.mode & 0o7777, uid: st.uid, size: st.size, valid }
    }
    what = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : 'not a regular file'
  } catch (err) {
    try {
      await close()
    } catch (closeErr) {
      throw foldFailures(err, closeErr)
    }
    throw err
  }
  await close()
  return { kind: 'not-regular', what }
}

function invalidKey(path: string, what: string) {
  return provisionProblem('PROVISION_KEY_INVALID', {
    what: `the secret key ${path} ${what}`,
    path,
    // Grants are signed with this key, so a new one invalidates outstanding grants; say so.
    fix: `move ${shellQuote(path)} aside (keep it if grants signed with it must stay valid) and run provisioning again to create a new key, ${ELSEWHERE}`,
  })
}

/**
 * Writes a fresh key without ever exposing a partial one: a uniquely named temp file in the
 * key's directory gets the bytes and an fsync, then link() gives it the final name, which
 * fails with EEXIST if a concurrent provisioner got there first (link, unlike rename, never
 * replaces). The temp name is removed either way, then the directory is fsynced.
 *
 * Durability: on return the key's bytes (file fsync) and its name (directory fsync) are on
 * disk. A crash before link() leaves a 0600 `secret.key.*.tmp` and no key (the next run
 * creates one); a crash between link() and unlink() leaves that name as a second link to the key.
 *
 * @returns whether this process's key became the key.
 */
async function createKey(path: string, dataDir: string): Promise<boolean> {
  const dir = dirname(path)
  const temp = join(dir, `${SECRET_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const material = `${randomBytes(32).toString('hex')}\n`
  const handle = await step('cannot create the secret key temp file', temp, dataDir, () => open(temp, 'wx', KEY_MODE), { blame: dir })
  const won = await withCleanup(
    async () => {
      await withCleanup(
        async () => {
          // open()'s mode passes through the umask, which may strip owner bits; set it exactly.
          await step('cannot set the mode of', temp, dataDir, () => handle.chmod(KEY_MODE))
          await step('cannot write the secret key temp file', temp, dataDir, () => handle.writeFile(material))
          await step('cannot fsync the secret key temp file', temp, dataDir, () => handle.sync())
        },
        () => step('cannot close the secret key temp file', temp, dataDir, () => handle.close()),
      )
      try {
        await link(temp, path)
        return true
      } catch (err) {
        if (errnoOf(err) === 'EEXIST') return false
        throw fsFailure('cannot link the secret key into place at', path, err, dataDir, { blame: dir })
      }
    },
    () => step('cannot remove the secret key temp file', temp, dataDir, () => unlink(temp), { blame: dir }),
  )
  await step('cannot fsync directory', dir, dataDir, () => fsyncPath(dir))
  return won
}

/** Checks an existing key against the policy; returns whether its mode was repaired. */
async function acceptExisting(exam: KeyExamination, path: string, policy: KeyPolicy, dataDir: string): Promise<boolean> {
  if (exam.kind === 'missing') {
    throw provisionProblem('PROVISION_FAILED', {
      what: `the secret key ${path} vanished while provisioning (removed by another process?)`,
      path,
      fix: `run provisioning again once nothing else is removing files in ${shellQuote(dataDir)}`,
    })
  }
  if (exam.kind === 'not-regular') throw invalidKey(path, `is ${exam.what}, not a regular file`)
  const { handle } = exam
  return withCleanup(
    async () => {
      // Never echo the content: it is (or was meant to be) a secret.
      if (!exam.valid) throw invalidKey(path, `does not hold 64 lowercase hex characters and an optional newline (${exam.size} bytes)`)
      if (exam.mode === KEY_MODE) return false
      if (policy === 'refuse') {
        throw provisionProblem('PROVISION_KEY_PERMISSIVE', {
          what: `the secret key ${path} has mode ${octal(exam.mode)}, expected 0600 (keyPolicy refuse: left untouched)`,
          path,
          fix: `run \`chmod 600 ${shellQuote(path)}\`; if others could read it, move it aside so a new key is created`,
        })
      }
      // fchmod on the inode we examined, not the name, so a swap in between cannot redirect it.
      try {
        await handle.chmod(KEY_MODE)
      } catch (err) {
        throw fsFailure(`cannot repair (chmod 0600, was ${octal(exam.mode)}) the secret key`, path, err, dataDir, {
          code: 'PROVISION_KEY_PERMISSIVE',
        })
      }
      // Durability: fsync commits the inode, mode included, so the repair survives a crash.
      await step('cannot fsync the secret key', path, dataDir, () => handle.sync())
      return true
    },
    () => step('cannot close the secret key', path, dataDir, () => handle.close()),
  )
}

/**
 * Makes sure `<dataDir>/secret.key` exists, is a regular file, holds a well-formed key and
 * has mode 0600 — creating it atomically if missing, repairing or refusing a loose mode.
 */
export async function ensureSecretKey(dataDir: string, policy: KeyPolicy): Promise<KeyReport> {
  if (!KEY_POLICIES.includes(policy)) configError('keyPolicy', `must be one of ${KEY_POLICIES.join(', ')}, got ${String(policy)}`)
  const path = join(dataDir, SECRET_KEY_FILE)
  let exam = await examineKey(path, dataDir)
  if (exam.kind === 'missing') {
    if (await createKey(path, dataDir)) return { path, created: true, repaired: false, mode: '0600' }
    // Lost the race: the winner's key was complete before it had its name, so check it like any existing key.
    exam = await examineKey(path, dataDir)
  }
  const repaired = await acceptExisting(exam, path, policy, dataDir)
  return { path, created: false, repaired, mode: '0600' }
}
