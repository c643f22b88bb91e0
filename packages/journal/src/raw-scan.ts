import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { STORE_LAYOUT } from './file-journal.ts'
import { listSegments } from './segment-names.ts'

export interface RawFrame {
  readonly seq: number
  readonly kind: string
  readonly data: unknown
}

export interface RawScan {
  /** Frames in file order (archive and active segments by name), internal notes included. */
  readonly frames: RawFrame[]
  /** Non-empty lines that are not a frame (torn or corrupt bytes). */
  readonly badLines: number
}

/**
 * Every line of every segment that parses as a frame, oldest segment first, without the
 * journal's scanner (no CRC, no torn-tail logic): the failure tests and `doctor collide` check
 * seqs against this, so their verdict does not rest on the code it is checking.
 */
export async function scanStoreRaw(dir: string): Promise<RawScan> {
  const byName = new Map<string, string>()
  for (const sub of [STORE_LAYOUT.archive, STORE_LAYOUT.segments]) {
    for (const { name } of await listSegments(join(dir, sub))) byName.set(name, join(dir, sub, name))
  }
  const frames: RawFrame[] = []
  let badLines = 0
  for (const name of [...byName.keys()].sort()) {
    for (const line of (await readFile(byName.get(name) as string, 'utf8')).split('\n')) {
      if (line === '') continue
      let r: { seq?: unknown; kind?: unknown; data?: unknown } | undefined
      try {
        r = (JSON.parse(line) as { r?: typeof r }).r
      } catch {
        r = undefined
      }
      if (r !== undefined && Number.isSafeInteger(r.seq) && typeof r.kind === 'string')
        frames.push({ seq: r.seq as number, kind: r.kind, data: r.data })
      else badLines++
    }
  }
  return { frames, badLines }
}
