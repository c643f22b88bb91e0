import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { join } from 'node:path'
import { isProblem } from '@lakehouse/kit'
import { SECRET_KEY_FILE } from '@lakehouse/provision'
import { grantErrors } from './errors.ts'
import { GRANT_KEY_BYTES } from './token.ts'

/**
 * Where provisioning puts the key (0600) and the grant records, relative to the data
 * directory: grants use them and never create the key (seed 002: an unprovisioned key left
 * grants inert, silently).
 */
export const GRANT_KEY_FILE = SECRET_KEY_FILE
export const GRANTS_SUBDIR = 'grants'
const KEY_MODE = 0o600
/** 64 lowercase hex characters and an optional newline, exactly what `provision` writes. */
const KEY_PATTERN = /^([0-9a-f]{64})\n?$/
const KEY_MAX_BYTES = 65
// O_NOFOLLOW: a symlinked key could be anyone's file. O_NONBLOCK: a FIFO at the path must not hang.
const KEY_OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

export function grantsDirOf(dataDir: string): string {
  return join(dataDir, GRANTS_SUBDIR)
}

function unavailable(path: string, what: string, fix: string, cause?: unknown): never {
  throw grantErrors.problem('GRANT_KEY_UNAVAILABLE', {
    detail: `the grant key ${path} ${what} — fix: ${fix}`,
    extensions: { path, fix },
    cause,
  })
}

/** Quotes a path for the copy-pasteable commands in a fix. */
function shellQuote(path: string): string {
  return /^[\w/.,:@%+=-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}

function errnoOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}

async function readHead(handle: FileHandle): Promise<Buffer> {
  // One byte past the longest valid key is enough to refuse an oversized file without reading it all.
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
 * Reads `<dataDir>/secret.key` and returns its 32 bytes. Read-only: unlike provisioning it
 * never repairs, because a CLI or server that silently chmods the key hides the problem from
 * whoever loosened it. Every refusal is GRANT_KEY_UNAVAILABLE naming the path and the fix.
 */
export async function loadGrantKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, GRANT_KEY_FILE)
  const provisionFix = `run \`lakehouse provision --data-dir ${shellQuote(dataDir)}\``
  let handle: FileHandle
  try {
    handle = await open(path, KEY_OPEN_FLAGS)
  } catch (err) {
    const errno = errnoOf(err)
    if (errno === 'ENOENT' || errno === 'ENOTDIR')
      return unavailable(path, 'does not exist (data directory not provisioned)', provisionFix, err)
    if (errno === 'ELOOP') return unavailable(path, 'is a symbolic link', `replace it with the key file itself, then ${provisionFix}`, err)
    return unavailable(path, `cannot be opened (${errno ?? String(err)})`, `check its owner and permissions, then ${provisionFix}`, err)
  }
  try {
    const st = await handle.stat()
    if (!st.isFile()) return unavailable(path, 'is not a regular file', `move it aside and ${provisionFix} to create a new key`)
    const mode = st.mode & 0o7777
    if (mode !== KEY_MODE) {
      return unavailable(
        path,
        `has mode ${mode.toString(8).padStart(4, '0')}, expected 0600`,
        `${provisionFix} (it repairs the mode) or \`chmod 600 ${shellQuote(path)}\`; if others could read it, move it aside so a new key is created`,
      )
    }
    const head = await readHead(handle)
    // Never echo the content: it is (or was meant to be) a secret.
    const m = head.length <= KEY_MAX_BYTES ? KEY_PATTERN.exec(head.toString('latin1')) : null
    if (m?.[1] === undefined) {
      return unavailable(
        path,
        `does not hold 64 lowercase hex characters (${st.size} bytes)`,
        `move it aside and ${provisionFix} to create a new key (grants signed with the old key stop verifying)`,
      )
    }
    const key = Buffer.from(m[1], 'hex')
    if (key.length !== GRANT_KEY_BYTES) return unavailable(path, 'is not a 32-byte key', provisionFix)
    return key
  } catch (err) {
    if (isProblem(err)) throw err
    return unavailable(
      path,
      `cannot be read (${errnoOf(err) ?? String(err)})`,
      `check the file and its filesystem, then ${provisionFix}`,
      err,
    )
  } finally {
    await handle.close()
  }
}
