import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { isProblem } from '@lakehouse/kit'
import { dataLayout, KEY_MAX_BYTES, KEY_MODE, KEY_PATTERN } from '@lakehouse/provision'
import { grantErrors } from './errors.ts'
import { GRANT_KEY_BYTES } from './token.ts'

// Provisioning writes the key (its place, mode and format are provision's) and grants only read
// it, never create it (seed 002: an unprovisioned key left grants inert, silently).

// O_NOFOLLOW: a symlinked key could be anyone's file. O_NONBLOCK: a FIFO at the path must not hang.
const KEY_OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

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
  const path = dataLayout(dataDir).secretKey
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
    const text = head.toString('latin1')
    if (head.length > KEY_MAX_BYTES || !KEY_PATTERN.test(text)) {
      return unavailable(
        path,
        `does not hold 64 lowercase hex characters (${st.size} bytes)`,
        `move it aside and ${provisionFix} to create a new key (grants signed with the old key stop verifying)`,
      )
    }
    const key = Buffer.from(text.slice(0, 64), 'hex')
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
