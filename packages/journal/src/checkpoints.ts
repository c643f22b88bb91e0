import { readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '@lakehouse/kit'
import { frameBody, parseLine } from './frame.ts'
import { checkpointName, listCheckpoints } from './segment-names.ts'
import type { Checkpoint } from './types.ts'

/** Checkpoints kept besides the newest (an older one is the fallback if the newest fails to verify). */
const KEEP = 2

/**
 * Writes `checkpoints/<seq>.ckpt` (one framed line: CRC over `{seq, state}`) atomically, then
 * reads it back and verifies it. Returns false when the read-back does not verify — the caller
 * must then not archive anything.
 */
export async function writeCheckpoint(dir: string, seq: number, state: unknown): Promise<boolean> {
  const body = JSON.stringify({ seq, state })
  const target = join(dir, checkpointName(seq))
  await writeFileAtomic(target, frameBody(body), { mode: 0o600 })
  const verified = await readCheckpoint(target)
  if (verified?.seq !== seq) return false
  const all = await listCheckpoints(dir)
  for (const old of all.slice(0, Math.max(0, all.length - KEEP))) await unlink(join(dir, old.name)).catch(() => undefined)
  return true
}

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch {
    return undefined
  }
  let start = 0
  let end = buf.length
  while (start < end && buf[start] === 0x0a) start++
  while (end > start && buf[end - 1] === 0x0a) end--
  const parsed = parseLine(buf, start, end) as { seq?: unknown; state?: unknown } | undefined
  if (parsed === undefined || !Number.isSafeInteger(parsed.seq)) return undefined
  return { seq: parsed.seq as number, state: parsed.state }
}

/** The newest checkpoint that verifies; corrupt ones are skipped (and reported via `skipped`). */
export async function loadNewestCheckpoint(dir: string): Promise<{ checkpoint: Checkpoint | undefined; skipped: number }> {
  const all = await listCheckpoints(dir)
  let skipped = 0
  for (const c of all.reverse()) {
    const cp = await readCheckpoint(join(dir, c.name))
    if (cp !== undefined && cp.seq === c.seq) return { checkpoint: cp, skipped }
    skipped++
  }
  return { checkpoint: undefined, skipped }
}
