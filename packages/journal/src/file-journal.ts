import { randomBytes } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { createKeyedMutex, fsyncPath, isProblem, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { loadNewestCheckpoint, writeCheckpoint } from './checkpoints.ts'
import { journalErrors } from './errors.ts'
import { FRAME_OVERHEAD, frameBody, recordBody } from './frame.ts'
import { type JournalIo, NODE_FS_IO } from './io.ts'
import { acquireLock } from './lock-acquire.ts'
import { readMeta, saveMeta } from './meta.ts'
import { iterateStore, type ReplayCounters } from './replay.ts'
import { listSegments, listSegmentsSync, segmentName } from './segment-names.ts'
import { scanTail } from './tail-scan.ts'
import {
  type AppendInput,
  type Checkpoint,
  type FileLock,
  type Journal,
  type JournalRecord,
  type JournalStats,
  RECORD_MAX_BYTES,
  RECORD_WARN_BYTES,
  type ReadResult,
} from './types.ts'

export interface CommitObservation {
  readonly records: number
  readonly bytes: number
  /** Time spent waiting for the kernel lock (other processes committing). */
  readonly lockWaitMs: number
  readonly fsyncMs: number
}

export interface JournalOptions {
  /** The store directory (created 0700 if missing). One kernel lock per store. */
  readonly dir: string
  /** The runtime's flock (apps inject fs-ext on Node, bun:ffi on Bun). */
  readonly lock: FileLock
  readonly logger?: Logger
  /** A new segment is started when the current one would grow past this (default 64 MiB). */
  readonly segmentMaxBytes?: number
  /** How long an append waits for another process's lock before JOURNAL_LOCK_TIMEOUT (default 10 s). */
  readonly lockTimeoutMs?: number
  /** Upper bound on the bytes one group commit writes (default 4 MiB). */
  readonly maxBatchBytes?: number
  readonly io?: JournalIo
  readonly now?: () => Date
  /** Called after every durable commit (benchmarks, diagnostics); must not throw. */
  readonly observe?: (commit: CommitObservation) => void
  /** Crash-test hooks: called at the named point while the lock is held. */
  readonly faults?: { readonly afterSegmentCreated?: (firstSeq: number) => void }
}

export const JOURNAL_DEFAULTS = {
  segmentMaxBytes: 64 * 1024 * 1024,
  lockTimeoutMs: 10_000,
  maxBatchBytes: 4 * 1024 * 1024,
} as const

/** Store layout, relative to the store directory. */
export const STORE_LAYOUT = {
  lock: 'lock',
  meta: 'meta.json',
  segments: 'segments',
  archive: 'archive',
  checkpoints: 'checkpoints',
} as const

const KIND_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/
/** Record fields besides `data`, generously: seq, kind, ISO time, writer id and JSON punctuation. */
const BODY_OVERHEAD = 160
const OWNER_STAMP_BYTES = 64

interface Pending {
  readonly items: readonly { readonly kind: string; readonly dataJson: string }[]
  readonly bytes: number
  readonly resolve: (records: JournalRecord[]) => void
  readonly reject: (err: unknown) => void
}

interface OpenSegment {
  readonly first: number
  readonly name: string
  readonly fd: number
  /** Bytes of the file accounted for (written or scanned by us); -1 before the first scan. */
  known: number
}

function openFailed(path: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
  return journalErrors.problem('JOURNAL_OPEN_FAILED', {
    detail: `cannot open the journal store ${path} (${code}); run \`lakehouse provision\` or fix the directory's owner and mode`,
    cause: err,
  })
}

function writeFailed(dir: string, what: string, err: unknown) {
  if (isProblem(err)) return err
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
  return journalErrors.problem('JOURNAL_WRITE_FAILED', {
    detail: `${what} in ${dir} failed (${code}); nothing was acknowledged`,
    cause: err,
  })
}

/**
 * Opens (creating if needed) a journal store. Durability: an append resolves only after its
 * bytes were written in one O_APPEND write of the full length and fsynced; segment creation is
 * followed by a directory fsync; the seq floor in meta.json is saved by temp+fsync+rename.
 */
export async function openJournal(options: JournalOptions): Promise<Journal> {
  const dir = options.dir
  const logger = (options.logger ?? SILENT_LOGGER).child({ component: 'journal', store: dir })
  const io = options.io ?? NODE_FS_IO
  const now = options.now ?? (() => new Date())
  const segmentMaxBytes = options.segmentMaxBytes ?? JOURNAL_DEFAULTS.segmentMaxBytes
  const lockTimeoutMs = options.lockTimeoutMs ?? JOURNAL_DEFAULTS.lockTimeoutMs
  const maxBatchBytes = options.maxBatchBytes ?? JOURNAL_DEFAULTS.maxBatchBytes
  const segDir = join(dir, STORE_LAYOUT.segments)
  const archiveDir = join(dir, STORE_LAYOUT.archive)
  const ckptDir = join(dir, STORE_LAYOUT.checkpoints)
  const metaPath = join(dir, STORE_LAYOUT.meta)

  let lockFd: number
  try {
    for (const d of [dir, segDir, archiveDir, ckptDir]) await mkdir(d, { recursive: true, mode: 0o700 })
    lockFd = openSync(join(dir, STORE_LAYOUT.lock), constants.O_RDWR | constants.O_CREAT, 0o600)
  } catch (err) {
    throw openFailed(dir, err)
  }
  const meta = await readMeta(metaPath, logger)
  const writer = `${process.pid}:${randomBytes(6).toString('hex')}`
  const ownerStamp = lockOwnerStamp(writer)
  // Commits, roll-overs and archiving share the one lock fd: flock on the same open file is
  // re-entrant within a process, so in-process exclusion must come from this mutex.
  const exclusive = createKeyedMutex()

  let seqFloor = meta.seqFloor
  let lastSeq = 0
  let current: OpenSegment | undefined
  let closed = false
  const queue: Pending[] = []
  let pumping: Promise<void> | undefined
  const counters: ReplayCounters = { replayed: 0, corruptSkipped: 0, tornTails: 0 }
  const segmentCounts = { active: 0, archived: 0 }
  const totals = { appended: 0, commits: 0, seqRepairs: 0, largeWarnings: 0, checkpointSeq: null as number | null }

  const openSegment = (first: number, flags: number): OpenSegment => {
    const name = segmentName(first)
    const fd = openSync(join(segDir, name), flags | constants.O_RDWR | constants.O_APPEND, 0o600)
    return { first, name, fd, known: flags & constants.O_CREAT ? 0 : -1 }
  }

  /** Creates the segment that starts at `first` (O_EXCL), fsyncs the directory, then raises the seq floor. */
  const createSegment = async (first: number): Promise<void> => {
    const seg = openSegment(first, constants.O_CREAT | constants.O_EXCL)
    await fsyncPath(segDir)
    options.faults?.afterSegmentCreated?.(first)
    if (current !== undefined) closeSync(current.fd)
    current = seg
    seqFloor = Math.max(seqFloor, first)
    await saveMeta(metaPath, { seqFloor })
  }

  /**
   * Under the lock: find the newest segment (another process may have rolled), read what was
   * appended since we last looked, learn the tail seq and notice a torn tail. Returns the notes
   * to write ahead of the batch. The next seq is never below the tail, the segment's first seq
   * or the persisted floor (self-heal upward, recorded as a note).
   */
  const refresh = async (): Promise<AppendInput[]> => {
    const notes: AppendInput[] = []
    const segments = listSegmentsSync(segDir)
    segmentCounts.active = Math.max(segments.length, 1)
    const newest = segments.at(-1)
    if (newest === undefined) {
      await createSegment(Math.max(lastSeq + 1, seqFloor, 1))
      return notes
    }
    if (current?.first !== newest.seq) {
      if (current !== undefined) closeSync(current.fd)
      current = openSegment(newest.seq, 0)
    }
    const seg = current
    const size = fstatSync(seg.fd).size
    if (size === seg.known) return notes
    const tail = scanTail(seg.fd, seg.known, size)
    seg.known = size
    if (tail.trailing !== undefined) {
      logger.warn('journal torn tail skipped', { segment: seg.name, offset: tail.trailing.offset, length: tail.trailing.length })
      notes.push({ kind: 'journal.torn_tail', data: { segment: seg.name, offset: tail.trailing.offset, length: tail.trailing.length } })
    }
    const tailSeq = tail.lastSeq ?? seg.first - 1
    const expected = Math.max(lastSeq, seqFloor - 1)
    if (tailSeq < expected) {
      totals.seqRepairs++
      logger.warn('journal seq healed upward', { segment: seg.name, tail_seq: tailSeq, resume_after: expected })
      notes.push({ kind: 'journal.seq_repair', data: { segment: seg.name, tail_seq: tailSeq, resume_after: expected } })
    }
    lastSeq = Math.max(tailSeq, expected)
    return notes
  }

  const commit = async (batch: readonly Pending[]): Promise<void> => {
    let lockWaitMs: number
    try {
      lockWaitMs = await acquireLock(options.lock, lockFd, lockTimeoutMs, dir)
    } catch (err) {
      for (const p of batch) p.reject(writeFailed(dir, 'taking the lock', err))
      return
    }
    try {
      writeSync(lockFd, ownerStamp, 0, ownerStamp.length, 0)
      const notes = await refresh()
      const at = now().toISOString()
      const first = lastSeq + 1
      let seq = lastSeq
      const chunks: Buffer[] = []
      for (const note of notes) chunks.push(frameBody(recordBody(++seq, note.kind, at, writer, JSON.stringify(note.data))))
      const results = batch.map((p) =>
        p.items.map((item) => {
          chunks.push(frameBody(recordBody(++seq, item.kind, at, writer, item.dataJson)))
          return { seq, kind: item.kind, at, writer, data: JSON.parse(item.dataJson) as unknown }
        }),
      )
      const buf = Buffer.concat(chunks)
      const seg = current as OpenSegment
      if (seg.known > 0 && seg.known + buf.length > segmentMaxBytes) await createSegment(first)
      const target = current as OpenSegment
      const written = await io.write(target.fd, buf)
      if (written !== buf.length) {
        throw journalErrors.problem('JOURNAL_WRITE_FAILED', {
          detail: `short write in ${dir}: ${written} of ${buf.length} bytes; nothing was acknowledged`,
        })
      }
      const fsyncStarted = performance.now()
      await io.fsync(target.fd)
      const fsyncMs = performance.now() - fsyncStarted
      target.known += buf.length
      lastSeq = seq
      totals.appended += seq - first + 1 - notes.length
      totals.commits++
      options.observe?.({ records: seq - first + 1, bytes: buf.length, lockWaitMs, fsyncMs })
      for (const [i, p] of batch.entries()) p.resolve(results[i] as JournalRecord[])
    } catch (err) {
      const problem = writeFailed(dir, 'appending', err)
      logger.error('journal append failed', { err: problem.detail })
      for (const p of batch) p.reject(problem)
    } finally {
      options.lock.unlock(lockFd)
    }
  }

  const pump = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch: Pending[] = []
      let bytes = 0
      // Everything queued while the previous commit was on disk goes out in one write+fsync.
      while (queue.length > 0 && (batch.length === 0 || bytes + (queue[0] as Pending).bytes <= maxBatchBytes)) {
        const next = queue.shift() as Pending
        bytes += next.bytes
        batch.push(next)
      }
      await exclusive.run('store', () => commit(batch))
    }
  }

  // An append that lands after the pump's last queue check but before it clears `pumping` must
  // still be written: the pump re-schedules itself when it finds the queue non-empty.
  const schedule = (): void => {
    if (pumping !== undefined) return
    pumping = pump().finally(() => {
      pumping = undefined
      if (queue.length > 0) schedule()
    })
  }

  const appendMany = (items: readonly AppendInput[]): Promise<JournalRecord[]> => {
    if (closed) return Promise.reject(journalErrors.problem('JOURNAL_CLOSED', { detail: `the journal ${dir} is closed` }))
    const encoded: { kind: string; dataJson: string }[] = []
    let bytes = 0
    for (const item of items) {
      if (!KIND_PATTERN.test(item.kind) || item.kind.startsWith('journal.')) {
        return Promise.reject(new TypeError(`invalid journal record kind ${JSON.stringify(item.kind)}`))
      }
      const dataJson = JSON.stringify(item.data ?? null) ?? 'null'
      const size = Buffer.byteLength(dataJson) + BODY_OVERHEAD + FRAME_OVERHEAD
      if (size > RECORD_MAX_BYTES) {
        return Promise.reject(
          journalErrors.problem('JOURNAL_RECORD_TOO_LARGE', {
            detail: `a ${item.kind} record of ${size} bytes is over the ${RECORD_MAX_BYTES}-byte limit; nothing was written`,
            extensions: { limit_bytes: RECORD_MAX_BYTES, record_bytes: size },
          }),
        )
      }
      if (size > RECORD_WARN_BYTES) {
        totals.largeWarnings++
        logger.warn('journal record over 64 KiB', { kind: item.kind, bytes: size })
      }
      encoded.push({ kind: item.kind, dataJson })
      bytes += size
    }
    if (encoded.length === 0) return Promise.resolve([])
    return new Promise((resolve, reject) => {
      queue.push({ items: encoded, bytes, resolve, reject })
      schedule()
    })
  }

  const segmentFiles = async () => {
    const [archived, active] = await Promise.all([listSegments(archiveDir), listSegments(segDir)])
    segmentCounts.active = active.length
    segmentCounts.archived = archived.length
    const activeSeqs = new Set(active.map((s) => s.seq))
    return [
      ...archived.filter((s) => !activeSeqs.has(s.seq)).map((s) => ({ ...s, path: join(archiveDir, s.name) })),
      ...active.map((s) => ({ ...s, path: join(segDir, s.name) })),
    ].sort((a, b) => a.seq - b.seq)
  }

  const journal: Journal = {
    dir,
    append: async (kind, data) => (await appendMany([{ kind, data }]))[0] as JournalRecord,
    appendMany,
    async *replay(opts) {
      counters.replayed = 0
      counters.corruptSkipped = 0
      counters.tornTails = 0
      yield* iterateStore(await segmentFiles(), opts?.after ?? 0, counters, (path) => readFile(path))
    },
    async read(after, limit) {
      const files = await segmentFiles()
      const oldest = files[0]?.seq
      const records: JournalRecord[] = []
      const scratch: ReplayCounters = { replayed: 0, corruptSkipped: 0, tornTails: 0 }
      if (limit > 0) {
        for await (const r of iterateStore(files, after, scratch, (path) => readFile(path))) {
          records.push(r)
          if (records.length >= limit) break
        }
      }
      const result: ReadResult = {
        records,
        next: records.at(-1)?.seq ?? after,
        gap: oldest !== undefined && oldest > 1 && after + 1 < oldest,
      }
      return result
    },
    async checkpoint(seq, state) {
      if (!Number.isSafeInteger(seq) || seq < 0) throw new TypeError(`checkpoint seq must be a non-negative integer, got ${seq}`)
      let verified: boolean
      try {
        verified = await writeCheckpoint(ckptDir, seq, state)
      } catch (err) {
        throw writeFailed(dir, 'writing a checkpoint', err)
      }
      if (!verified)
        throw journalErrors.problem('JOURNAL_WRITE_FAILED', { detail: `checkpoint ${seq} in ${dir} did not verify; nothing was archived` })
      totals.checkpointSeq = seq
      // Only segments whose every record is <= seq (i.e. the next segment starts at or before seq + 1) move.
      await exclusive.run('store', async () => {
        await acquireLock(options.lock, lockFd, lockTimeoutMs, dir)
        try {
          const segments = await listSegments(segDir)
          let moved = 0
          for (let i = 0; i < segments.length - 1; i++) {
            const seg = segments[i] as (typeof segments)[number]
            const next = segments[i + 1] as (typeof segments)[number]
            if (next.seq - 1 > seq) break
            await rename(join(segDir, seg.name), join(archiveDir, seg.name))
            moved++
            segmentCounts.active--
            segmentCounts.archived++
          }
          if (moved > 0) {
            await fsyncPath(archiveDir)
            await fsyncPath(segDir)
            logger.info('journal segments archived', { moved, checkpoint: seq })
          }
        } finally {
          options.lock.unlock(lockFd)
        }
      })
    },
    async loadCheckpoint<S>() {
      const { checkpoint, skipped } = await loadNewestCheckpoint(ckptDir)
      if (skipped > 0) logger.warn('journal checkpoints failed verification and were skipped', { skipped })
      if (checkpoint !== undefined) totals.checkpointSeq = checkpoint.seq
      return checkpoint as Checkpoint<S> | undefined
    },
    stats(): JournalStats {
      return {
        dir,
        last_seq: lastSeq,
        segments: segmentCounts.active,
        archived_segments: segmentCounts.archived,
        appended: totals.appended,
        commits: totals.commits,
        replayed: counters.replayed,
        corrupt_skipped: counters.corruptSkipped,
        torn_tails: counters.tornTails,
        seq_repairs: totals.seqRepairs,
        large_record_warnings: totals.largeWarnings,
        checkpoint_seq: totals.checkpointSeq,
      }
    },
    async close() {
      closed = true
      while (pumping !== undefined) await pumping
      await exclusive.idle()
      if (current !== undefined) closeSync(current.fd)
      current = undefined
      closeSync(lockFd)
    },
  }
  // The tail is learnt now so stats report last_seq before the first append.
  try {
    await exclusive.run('store', async () => {
      const segments = await listSegments(segDir)
      segmentCounts.active = segments.length
      segmentCounts.archived = (await listSegments(archiveDir)).length
      const newest = segments.at(-1)
      if (newest === undefined) return
      current = openSegment(newest.seq, 0)
      const size = fstatSync(current.fd).size
      const tail = scanTail(current.fd, -1, size)
      lastSeq = Math.max(tail.lastSeq ?? newest.seq - 1, 0)
      // Not `known = size`: the first commit rescans under the lock and notes a torn tail if any.
    })
  } catch (err) {
    closeSync(lockFd)
    throw openFailed(dir, err)
  }
  return journal
}

/**
 * The bytes a writer stamps at offset 0 of the lock file once it holds the kernel lock: its
 * `<pid>:<nonce>` identity, space-padded to a fixed width so a shorter stamp fully overwrites
 * a longer one. Diagnostics only; nothing ever trusts a stamp as a lock.
 */
export function lockOwnerStamp(writer: string): Buffer {
  return Buffer.from(`${writer}\n`.padEnd(OWNER_STAMP_BYTES, ' '))
}

/** The identity stamped into the lock file by the last writer to take it (diagnostics only: the kernel lock decides). */
export function readLockOwner(dir: string): string | undefined {
  try {
    const fd = openSync(join(dir, STORE_LAYOUT.lock), 'r')
    try {
      const buf = Buffer.alloc(OWNER_STAMP_BYTES)
      const n = readSync(fd, buf, 0, buf.length, 0)
      const text = buf.toString('utf8', 0, n).trim()
      return text === '' ? undefined : text
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
}
