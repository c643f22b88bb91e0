import { readFile } from 'node:fs/promises'
import { type Logger, writeFileAtomic } from '@lakehouse/kit'

export interface StoreMeta {
  /** No seq below this may be assigned (raised at every segment roll). */
  readonly seqFloor: number
}

/** Reads meta.json; a missing or unreadable file means floor 1 (the tail still bounds the seq). */
export async function readMeta(path: string, logger: Logger): Promise<StoreMeta> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn('journal meta unreadable; using the tail alone', { path })
    return { seqFloor: 1 }
  }
  try {
    const parsed = JSON.parse(text) as { seq_floor?: unknown }
    if (Number.isSafeInteger(parsed.seq_floor) && (parsed.seq_floor as number) >= 1) return { seqFloor: parsed.seq_floor as number }
  } catch {
    // fall through
  }
  logger.warn('journal meta malformed; using the tail alone', { path })
  return { seqFloor: 1 }
}

/** Atomic, so a crash leaves the old or the new meta, never half of one. */
export async function saveMeta(path: string, meta: StoreMeta): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify({ version: 1, seq_floor: meta.seqFloor })}\n`, { mode: 0o600 })
}
