import type { BigIntStats } from 'node:fs'
import { readFile } from 'node:fs/promises'

/**
 * The etag sidecar `<root>/.meta/<key>`: the SHA-256 computed while the object streamed in, plus
 * the identity (inode, mtime in ns, size) of the file it describes. head/list/get trust it only
 * when that identity matches a fresh stat, so a sidecar left stale by a crash between the two
 * renames of a commit (or by someone editing the file by hand) is detected and recomputed
 * instead of served. That keeps head and list at one stat + one small read per object, never a
 * re-read of the object itself. Integers are strings so Node and Bun read them back identically.
 */
export interface Sidecar {
  readonly etag: string
  readonly size: string
  readonly ino: string
  readonly mtimeNs: string
}

export interface FileIdentity {
  readonly size: bigint
  readonly ino: bigint
  readonly mtimeNs: bigint
}

export function encodeSidecar(etag: string, id: FileIdentity): string {
  const sidecar: Sidecar = { etag, size: String(id.size), ino: String(id.ino), mtimeNs: String(id.mtimeNs) }
  return `${JSON.stringify({ v: 1, ...sidecar })}\n`
}

/** The sidecar at `path`, or undefined when it is missing, unreadable or not ours. */
export async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed === null || typeof parsed !== 'object') return undefined
    const { v, etag, size, ino, mtimeNs } = parsed as Record<string, unknown>
    if (v !== 1 || typeof etag !== 'string' || typeof size !== 'string' || typeof ino !== 'string' || typeof mtimeNs !== 'string') {
      return undefined
    }
    return { etag, size, ino, mtimeNs }
  } catch {
    return undefined
  }
}

/** The sidecar's etag when it describes exactly the file behind `st`. */
export function sidecarEtag(sidecar: Sidecar | undefined, st: BigIntStats | FileIdentity): string | undefined {
  if (sidecar === undefined) return undefined
  const same = sidecar.size === String(st.size) && sidecar.ino === String(st.ino) && sidecar.mtimeNs === String(st.mtimeNs)
  return same ? sidecar.etag : undefined
}
