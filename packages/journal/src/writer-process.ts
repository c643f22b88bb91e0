import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { isProblem } from '@lakehouse/kit'
import { JOURNAL_DEFAULTS, lockOwnerStamp, openJournal, STORE_LAYOUT } from './file-journal.ts'
import { FRAME_OVERHEAD, recordBody } from './frame.ts'
import { acquireLock } from './lock-acquire.ts'
import { SEGMENT_NAME } from './segment-names.ts'
import type { FileLock, Journal } from './types.ts'
import { formatWriterLine, type WriterStats } from './writer-protocol.ts'

/**
 * A journal writer as a process of its own, for the failure tests, `lakehouse doctor collide`
 * and benchmarks. The apps inject their runtime's flock (apps/node and apps/bun each have a
 * `journal-writer.ts` of a few lines), so the same code runs as a Node and as a Bun process.
 *
 * Its stdout is the protocol of writer-protocol.ts. On failure stderr gets `<CODE> <detail>` and the exit code is 1 (2 for a usage error).
 */

export interface WriterOutput {
  stdout(text: string): void
  stderr(text: string): void
}

/** Record kind of the writer's appends. */
export const WRITER_RECORD_KIND = 'writer.append'
/** The `data` of every writer record. */
export interface WriterRecordData {
  readonly writer: string
  readonly i: number
  readonly pad: string
}

export const WRITER_USAGE = `journal-writer --dir STORE [--id LABEL] [--appends M] [--record-bytes B] [--concurrency C]
  [--start-file F] [--segment-max-bytes N] [--lock-timeout-ms N] [--crash-after-roll]
journal-writer --dir STORE --hold-lock-ms N
journal-writer --dir STORE --stamp-owner PID:NONCE`

const START_POLL_MS = 2
const START_WAIT_MS = 30_000

function writeAllSync(fd: number, text: string): void {
  let buf = Buffer.from(text)
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf))
    } catch (err) {
      // A non-blocking pipe whose reader is slow: retry rather than drop an ack.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
    }
  }
}

/** Synchronous writes to fds 1 and 2: nothing sits in a userland buffer when the process is killed. */
export const FD_OUTPUT: WriterOutput = {
  stdout: (text) => writeAllSync(1, text),
  stderr: (text) => writeAllSync(2, text),
}

class UsageError extends Error {}

function int(values: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const text = values[key]
  if (text === undefined) return fallback
  const n = Number(text)
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${key} must be an integer in ${min}..${max}, got ${JSON.stringify(text)}`)
  }
  return n
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      dir: { type: 'string' },
      id: { type: 'string' },
      appends: { type: 'string' },
      'record-bytes': { type: 'string' },
      'start-file': { type: 'string' },
      'segment-max-bytes': { type: 'string' },
      'lock-timeout-ms': { type: 'string' },
      'crash-after-roll': { type: 'boolean' },
      'hold-lock-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'stamp-owner': { type: 'string' },
    },
  })
  if (values.dir === undefined || values.dir === '') throw new UsageError('--dir is required')
  const holdLockMs = values['hold-lock-ms'] === undefined ? undefined : int(values, 'hold-lock-ms', 0, 0, 3_600_000)
  return {
    dir: values.dir,
    id: values.id ?? `w${process.pid}`,
    appends: int(values, 'appends', 100, 0, 100_000_000),
    recordBytes: int(values, 'record-bytes', 128, 1, 64 * 1024 * 1024),
    concurrency: int(values, 'concurrency', 1, 1, 4096),
    startFile: values['start-file'],
    segmentMaxBytes: int(values, 'segment-max-bytes', JOURNAL_DEFAULTS.segmentMaxBytes, 1, Number.MAX_SAFE_INTEGER),
    lockTimeoutMs: int(values, 'lock-timeout-ms', JOURNAL_DEFAULTS.lockTimeoutMs, 0, 3_600_000),
    crashAfterRoll: values['crash-after-roll'] === true,
    holdLockMs,
    stampOwner: values['stamp-owner'],
  }
}

type WriterOptions = ReturnType<typeof parse>

/** The pad that makes one framed writer record about `bytes` long (exact up to the digits of seq and i). */
function padFor(id: string, bytes: number): string {
  const data = JSON.stringify({ writer: id, i: 0, pad: '' } satisfies WriterRecordData)
  const base = Buffer.byteLength(recordBody(100_000, WRITER_RECORD_KIND, new Date(0).toISOString(), `${process.pid}:000000000000`, data))
  return 'x'.repeat(Math.max(0, bytes - base - FRAME_OVERHEAD))
}

function openLockFile(dir: string): number {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // Not O_APPEND: the stamp is written at offset 0, as the journal does.
  return openSync(join(dir, STORE_LAYOUT.lock), constants.O_RDWR | constants.O_CREAT, 0o600)
}

/** Writes a forged owner identity into the lock file without taking the kernel lock (a stale stamp / pid reuse). */
function stampOwner(dir: string, identity: string, out: WriterOutput): number {
  const fd = openLockFile(dir)
  try {
    writeSync(fd, lockOwnerStamp(identity), 0, undefined, 0)
  } finally {
    closeSync(fd)
  }
  out.stdout(formatWriterLine({ word: 'stamped', identity }))
  return 0
}

/** Takes the store's kernel lock directly, says so, holds it for `ms`, then lets go (or is killed holding it). */
async function holdLock(opts: WriterOptions, ms: number, lock: FileLock, out: WriterOutput): Promise<number> {
  const fd = openLockFile(opts.dir)
  await acquireLock(lock, fd, opts.lockTimeoutMs, opts.dir)
  writeSync(fd, lockOwnerStamp(`${process.pid}:holder`), 0, undefined, 0)
  out.stdout(formatWriterLine({ word: 'locked', pid: process.pid }))
  await sleep(ms)
  lock.unlock(fd)
  closeSync(fd)
  return 0
}

async function waitForStartFile(path: string, out: WriterOutput): Promise<void> {
  out.stdout(formatWriterLine({ word: 'ready', pid: process.pid }))
  const deadline = performance.now() + START_WAIT_MS
  while (!existsSync(path)) {
    if (performance.now() > deadline) throw new UsageError(`the start file ${path} did not appear within ${START_WAIT_MS} ms`)
    await sleep(START_POLL_MS)
  }
}

async function appendAll(journal: Journal, opts: WriterOptions, out: WriterOutput): Promise<{ acked: number; failure: unknown }> {
  const pad = padFor(opts.id, opts.recordBytes)
  let next = 0
  let acked = 0
  let failure: unknown
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < opts.appends) {
      const i = next++
      try {
        const record = await journal.append(WRITER_RECORD_KIND, { writer: opts.id, i, pad } satisfies WriterRecordData)
        out.stdout(formatWriterLine({ word: 'ack', seq: record.seq, writer: opts.id, i }))
        acked++
      } catch (err) {
        failure ??= err
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(opts.appends, 1)) }, worker))
  return { acked, failure }
}

function report(err: unknown, out: WriterOutput): number {
  if (err instanceof UsageError) {
    out.stderr(`WRITER_USAGE ${err.message}\n${WRITER_USAGE}\n`)
    return 2
  }
  if (isProblem(err)) out.stderr(`${err.code} ${err.detail}\n`)
  else out.stderr(`WRITER_FAILED ${err instanceof Error ? err.message : String(err)}\n`)
  return 1
}

/** Runs one writer with `argv` (the process's arguments after the script) and resolves with its exit code. */
export async function runWriterProcess(argv: readonly string[], lock: FileLock, out: WriterOutput): Promise<number> {
  let opts: WriterOptions
  try {
    opts = parse(argv)
  } catch (err) {
    return report(err instanceof TypeError ? new UsageError(err.message) : err, out)
  }
  const started = performance.now()
  try {
    if (opts.stampOwner !== undefined) return stampOwner(opts.dir, opts.stampOwner, out)
    if (opts.holdLockMs !== undefined) return await holdLock(opts, opts.holdLockMs, lock, out)
    const segDir = join(opts.dir, STORE_LAYOUT.segments)
    const lockWait = { total: 0, max: 0 }
    const journal = await openJournal({
      dir: opts.dir,
      lock,
      segmentMaxBytes: opts.segmentMaxBytes,
      lockTimeoutMs: opts.lockTimeoutMs,
      observe: (c) => {
        lockWait.total += c.lockWaitMs
        lockWait.max = Math.max(lockWait.max, c.lockWaitMs)
      },
      faults: opts.crashAfterRoll
        ? {
            // A roll, not the birth of the first segment: another segment exists besides the new one.
            afterSegmentCreated: () => {
              if (readdirSync(segDir).filter((n) => SEGMENT_NAME.test(n)).length > 1) process.kill(process.pid, 'SIGKILL')
            },
          }
        : undefined,
    })
    try {
      if (opts.startFile !== undefined) await waitForStartFile(opts.startFile, out)
      const appendStarted = performance.now()
      const { acked, failure } = await appendAll(journal, opts, out)
      const s = journal.stats()
      const stats: WriterStats = {
        appended: s.appended,
        commits: s.commits,
        lock_wait_ms: Math.round(lockWait.total * 10) / 10,
        lock_wait_max_ms: Math.round(lockWait.max * 10) / 10,
        append_ms: Math.round((performance.now() - appendStarted) * 10) / 10,
        elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
      }
      out.stdout(formatWriterLine({ word: 'stats', stats }))
      if (failure !== undefined) return report(failure, out)
      out.stdout(formatWriterLine({ word: 'done', writer: opts.id, count: acked }))
      return 0
    } finally {
      await journal.close()
    }
  } catch (err) {
    return report(err, out)
  }
}
