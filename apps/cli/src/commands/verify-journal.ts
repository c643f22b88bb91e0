import { copyFile, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppendInput, type FileLock, type JournalRecord, openJournal, STORE_LAYOUT } from '@lakehouse/journal'

/**
 * `lakehouse doctor --verify-journal`: for every journal store under `<data dir>/journal/*`,
 * copy it (the live store is only read; a server may be appending), replay the copy, rebuild
 * it by appending every replayed record into a fresh journal, replay that and diff the two
 * record lists; check the newest checkpoint verifies and is not ahead of the log.
 */

export interface StoreVerification {
  readonly store: string
  readonly records: number
  readonly last_seq: number
  readonly segments: number
  readonly archived: number
  readonly checkpoint_seq: number | null
  /** The newest checkpoint file verifies (CRC) and its seq is ≤ the last seq; true when there is none. */
  readonly checkpoint_ok: boolean
  readonly checkpoint_problem: string | undefined
  readonly torn: number
  readonly corrupt: number
  readonly rebuilt_records: number
  readonly differences: number
  readonly first_differences: readonly string[]
  readonly ok: boolean
}

const SEGMENT = /^\d{20}\.seg$/
const CHECKPOINT = /^\d{20}\.ckpt$/
/** Bytes of records per rebuild append (one write+fsync each). */
const REBUILD_CHUNK_BYTES = 1024 * 1024

async function names(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => pattern.test(n)).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** Copies a regular file; false when it vanished or is not a regular file (never follows a link to a device). */
async function copyRegular(from: string, to: string): Promise<boolean> {
  try {
    if (!(await lstat(from)).isFile()) return false
    await copyFile(from, to)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/**
 * Copies meta, segments, archive and checkpoints (not the lock). Active segments are listed
 * first: one archived by a live checkpoint between listing and copying is taken from archive/.
 */
export async function copyStore(from: string, to: string): Promise<void> {
  for (const sub of [STORE_LAYOUT.segments, STORE_LAYOUT.archive, STORE_LAYOUT.checkpoints]) await mkdir(join(to, sub), { recursive: true })
  await copyRegular(join(from, STORE_LAYOUT.meta), join(to, STORE_LAYOUT.meta))
  for (const name of await names(join(from, STORE_LAYOUT.segments), SEGMENT)) {
    if (!(await copyRegular(join(from, STORE_LAYOUT.segments, name), join(to, STORE_LAYOUT.segments, name)))) {
      await copyRegular(join(from, STORE_LAYOUT.archive, name), join(to, STORE_LAYOUT.archive, name))
    }
  }
  for (const name of await names(join(from, STORE_LAYOUT.archive), SEGMENT)) {
    await copyRegular(join(from, STORE_LAYOUT.archive, name), join(to, STORE_LAYOUT.archive, name))
  }
  for (const name of await names(join(from, STORE_LAYOUT.checkpoints), CHECKPOINT)) {
    await copyRegular(join(from, STORE_LAYOUT.checkpoints, name), join(to, STORE_LAYOUT.checkpoints, name))
  }
}

/** Store directories under `<dataDir>/journal/`: every child directory that has `segments/`. */
export async function findJournalStores(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'journal')
  let entries: string[]
  try {
    entries = (await readdir(root)).sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const stores: string[] = []
  for (const name of entries) {
    const segments = await lstat(join(root, name, STORE_LAYOUT.segments)).catch(() => undefined)
    if (segments?.isDirectory() === true) stores.push(join(root, name))
  }
  return stores
}

const line = (r: Pick<JournalRecord, 'kind' | 'data'>) => `${r.kind} ${JSON.stringify(r.data)}`
const clip = (s: string | undefined) => (s === undefined ? '(absent)' : s.length > 80 ? `${s.slice(0, 77)}...` : s)

function diff(a: readonly JournalRecord[], b: readonly JournalRecord[]): { count: number; first: string[] } {
  let count = 0
  const first: string[] = []
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k] === undefined ? undefined : line(a[k] as JournalRecord)
    const y = b[k] === undefined ? undefined : line(b[k] as JournalRecord)
    if (x === y) continue
    count++
    if (first.length < 3) first.push(`#${k}: ${clip(x)} ≠ ${clip(y)}`)
  }
  return { count, first }
}

async function replayAll(dir: string, lock: FileLock) {
  const journal = await openJournal({ dir, lock })
  try {
    const records: JournalRecord[] = []
    for await (const r of journal.replay()) records.push(r)
    const checkpoint = await journal.loadCheckpoint()
    return { records, stats: journal.stats(), checkpoint }
  } finally {
    await journal.close()
  }
}

async function rebuild(dir: string, records: readonly JournalRecord[], lock: FileLock): Promise<void> {
  const journal = await openJournal({ dir, lock })
  try {
    let chunk: AppendInput[] = []
    let bytes = 0
    for (const r of records) {
      chunk.push({ kind: r.kind, data: r.data })
      bytes += JSON.stringify(r.data ?? null).length + 200
      if (bytes >= REBUILD_CHUNK_BYTES) {
        await journal.appendMany(chunk)
        chunk = []
        bytes = 0
      }
    }
    await journal.appendMany(chunk)
  } finally {
    await journal.close()
  }
}

/** Verifies one store through a copy under `scratch` (which the caller removes). */
export async function verifyJournalStore(store: string, scratch: string, lock: FileLock): Promise<StoreVerification> {
  const copy = join(scratch, 'copy')
  const rebuilt = join(scratch, 'rebuilt')
  await copyStore(store, copy)
  const original = await replayAll(copy, lock)
  await rebuild(rebuilt, original.records, lock)
  const again = await replayAll(rebuilt, lock)
  const d = diff(original.records, again.records)
  const lastSeq = Math.max(original.stats.last_seq, original.records.at(-1)?.seq ?? 0)
  const newest = (await names(join(copy, STORE_LAYOUT.checkpoints), CHECKPOINT)).at(-1)
  const newestSeq = newest === undefined ? undefined : Number(newest.slice(0, 20))
  let checkpointProblem: string | undefined
  if (newestSeq !== undefined && original.checkpoint?.seq !== newestSeq) {
    checkpointProblem = `the newest checkpoint ${newest} does not verify${original.checkpoint === undefined ? '' : ` (fell back to ${original.checkpoint.seq})`}`
  } else if (original.checkpoint !== undefined && original.checkpoint.seq > lastSeq) {
    checkpointProblem = `checkpoint seq ${original.checkpoint.seq} is ahead of the last seq ${lastSeq}`
  }
  const corrupt = original.stats.corrupt_skipped + again.stats.corrupt_skipped
  return {
    store,
    records: original.records.length,
    last_seq: lastSeq,
    segments: original.stats.segments,
    archived: original.stats.archived_segments,
    checkpoint_seq: newestSeq ?? null,
    checkpoint_ok: checkpointProblem === undefined,
    checkpoint_problem: checkpointProblem,
    torn: original.stats.torn_tails,
    corrupt,
    rebuilt_records: again.records.length,
    differences: d.count,
    first_differences: d.first,
    ok: corrupt === 0 && d.count === 0 && checkpointProblem === undefined,
  }
}

/** A store that could not be copied, opened or rebuilt at all. */
export interface StoreFailure {
  readonly store: string
  readonly ok: false
  readonly error: string
}

function describe(v: StoreVerification | StoreFailure): string {
  if ('error' in v) return `  FAIL ${v.store}: ${v.error}`
  const checkpoint =
    v.checkpoint_seq === null ? 'none' : `${v.checkpoint_seq} ${v.checkpoint_ok ? '(verified)' : `(FAIL: ${v.checkpoint_problem})`}`
  const diffText = v.differences === 0 ? 'none' : `${v.differences} differences: ${v.first_differences.join('; ')}`
  return (
    `  ${v.ok ? 'ok  ' : 'FAIL'} ${v.store}: records ${v.records}, last seq ${v.last_seq}, segments ${v.segments}, archived ${v.archived}, ` +
    `checkpoint ${checkpoint}, torn ${v.torn}, corrupt ${v.corrupt}, diff: ${diffText}`
  )
}

/** Runs the check over every store of the data directory; exit 0 when none is corrupt or differs, 1 otherwise. */
export async function verifyJournals(dataDir: string, lock: FileLock, json: boolean): Promise<number> {
  const stores = await findJournalStores(dataDir)
  const results: (StoreVerification | StoreFailure)[] = []
  for (const store of stores) {
    const scratch = await mkdtemp(join(tmpdir(), 'lakehouse-verify-journal-'))
    try {
      results.push(await verifyJournalStore(store, scratch, lock))
    } catch (err) {
      const code = (err as { code?: unknown }).code
      results.push({
        store,
        ok: false,
        error: `${typeof code === 'string' ? `${code} ` : ''}${err instanceof Error ? err.message : String(err)}`,
      })
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }
  const ok = results.every((r) => r.ok)
  if (json) {
    process.stdout.write(`${JSON.stringify({ data_dir: dataDir, ok, stores: results }, null, 2)}\n`)
  } else {
    process.stdout.write(`journal stores under ${join(dataDir, 'journal')}: ${stores.length}\n`)
    for (const r of results) process.stdout.write(`${describe(r)}\n`)
    process.stdout.write(
      ok ? 'journal check passed (torn tails, if any, are expected after a crash)\n' : 'journal check FAILED: corruption or differences\n',
    )
  }
  return ok ? 0 : 1
}
