import { fsyncSync, writeSync } from 'node:fs'

/**
 * The two calls whose failures matter most, behind an interface so tests can inject a short
 * write or ENOSPC without a special filesystem (a `/dev/full` test covers the real thing).
 */
export interface JournalIo {
  /** Writes `buf` at the end (the fd is O_APPEND); resolves with the bytes the kernel took. */
  write(fd: number, buf: Buffer): Promise<number>
  fsync(fd: number): Promise<void>
}

/**
 * Synchronous write + fsync behind a promise. Measured on this disk (bench/src/journal.ts): the
 * thread-pool versions cost ~0.1 ms more per commit (0.27 vs 0.16 ms), which capped one writer
 * at ~3k appends/s; the event loop is blocked for the fsync (~0.2 ms here), as better-sqlite3's
 * commits are. Group commit still forms: appends arriving meanwhile queue and go out together.
 */
export const NODE_FS_IO: JournalIo = {
  write: async (fd, buf) => writeSync(fd, buf, 0, buf.length, null),
  fsync: async (fd) => fsyncSync(fd),
}
