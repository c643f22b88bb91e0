import { closeSync, constants, ftruncateSync, openSync, readSync, writeSync } from 'node:fs'
import type { FileLock } from '@lakehouse/journal'
import { dataLayout, provisionErrors } from '@lakehouse/provision'

export interface DataDirLock {
  readonly path: string
  /** Unlocks and closes; idempotent. Process death releases the lock too (flock dies with its file description). */
  release(): void
}

/** The pid the holder wrote, for the message; undefined while it has not written it yet. */
function readHolder(fd: number): number | undefined {
  const buf = Buffer.alloc(32)
  const n = readSync(fd, buf, 0, buf.length, 0)
  const text = buf.toString('utf8', 0, n).trim()
  return /^\d+$/.test(text) ? Number(text) : undefined
}

/**
 * Issue 13: two servers on one data directory (two `lakehouse serve`, or Node and Bun) each
 * believed they owned the catalog, the vector files and the journals. A flock(2) on
 * `<dataDir>/server.lock`, taken with the runtime's FileLock (the one the journal uses) and held
 * for the process lifetime, makes the second one fail at boot (exit 2) naming the first one's
 * pid. flock is released by the kernel when the process dies, kill -9 included, so no stale lock
 * survives a crash; the pid in the file is only for the message, never trusted as the lock.
 */
export function lockDataDir(dataDir: string, lock: FileLock, pid: number = process.pid): DataDirLock {
  const path = dataLayout(dataDir).serverLock
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600)
  let locked: boolean
  try {
    locked = lock.tryLock(fd)
  } catch (err) {
    closeSync(fd)
    throw err
  }
  if (!locked) {
    const holder = readHolder(fd)
    closeSync(fd)
    const who = holder === undefined ? 'another lakehouse server' : `another lakehouse server (pid ${holder})`
    throw provisionErrors.problem('PROVISION_DATA_DIR_IN_USE', {
      detail: `${who} is using the data directory ${dataDir}; it holds the lock on ${path}`,
      extensions: {
        path,
        ...(holder === undefined ? {} : { pid: holder }),
        fix: 'stop that server first, or give this one another --data-dir',
      },
    })
  }
  const stamp = Buffer.from(`${pid}\n`)
  ftruncateSync(fd, 0)
  writeSync(fd, stamp, 0, stamp.length, 0)
  let released = false
  return {
    path,
    release() {
      if (released) return
      released = true
      try {
        lock.unlock(fd)
      } finally {
        closeSync(fd)
      }
    },
  }
}
