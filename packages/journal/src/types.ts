/**
 * A kernel advisory lock on an open file descriptor (flock(2) semantics: per open file
 * description, released by the kernel when the holder dies). The journal never judges a lock
 * by "is that pid alive"; the apps inject the runtime's implementation (fs-ext on Node,
 * bun:ffi on Bun), and both map to the same syscall, so Node and Bun writers exclude each other.
 */
export interface FileLock {
  /** Takes the exclusive lock without blocking; `false` when another open file holds it. */
  tryLock(fd: number): boolean
  unlock(fd: number): void
}

/** One durable record as stored and replayed. `seq` is global to the store and strictly rising in file order. */
export interface JournalRecord<T = unknown> {
  readonly seq: number
  readonly kind: string
  /** ISO-8601 time the writer framed the record (informational; order is `seq`). */
  readonly at: string
  /** Writer identity, `<pid>:<nonce>`. */
  readonly writer: string
  readonly data: T
}

export interface AppendInput {
  readonly kind: string
  readonly data: unknown
}

export interface ReadResult {
  readonly records: JournalRecord[]
  /** The watermark to pass as `after` next time (the last returned seq, or `after` when none). */
  readonly next: number
  /** True when records after `after` were archived away (the cursor is older than what is kept). */
  readonly gap: boolean
}

export interface Checkpoint<S = unknown> {
  /** Every record with seq <= this is folded into `state`. */
  readonly seq: number
  readonly state: S
}

export interface JournalStats {
  readonly dir: string
  readonly last_seq: number
  readonly segments: number
  readonly archived_segments: number
  /** Records appended by this process, and how many write+fsync rounds carried them (group commit). */
  readonly appended: number
  readonly commits: number
  /** Replay counters (the last full replay by this process). */
  readonly replayed: number
  readonly corrupt_skipped: number
  readonly torn_tails: number
  /** Times the seq was healed upward on lock acquisition (persisted hint ahead of the tail). */
  readonly seq_repairs: number
  readonly large_record_warnings: number
  readonly checkpoint_seq: number | null
}

export interface Journal {
  readonly dir: string
  /** Appends one record; resolves after it is on disk (write + fsync). Rejects with a journal Problem, never half-acks. */
  append(kind: string, data: unknown): Promise<JournalRecord>
  /** Appends records with consecutive seqs in one write (all or none are acknowledged). */
  appendMany(items: readonly AppendInput[]): Promise<JournalRecord[]>
  /** Every intact record with seq > `after` (default 0) in seq order; corrupt records are skipped and counted. */
  replay(options?: { readonly after?: number }): AsyncIterable<JournalRecord>
  /** Cursor read: up to `limit` records with seq > `after`. */
  read(after: number, limit: number): Promise<ReadResult>
  /** Writes and verifies a checkpoint, then archives the segments it fully covers. */
  checkpoint(seq: number, state: unknown): Promise<void>
  /** The newest checkpoint that verifies (CRC), or undefined. */
  loadCheckpoint<S = unknown>(): Promise<Checkpoint<S> | undefined>
  stats(): JournalStats
  /** Waits for in-flight appends, then refuses new ones (JOURNAL_CLOSED). */
  close(): Promise<void>
}

/** Appends above this many bytes (the framed record body) are logged as a warning. */
export const RECORD_WARN_BYTES = 64 * 1024
/** Appends above this many bytes are refused before any byte is written. */
export const RECORD_MAX_BYTES = 256 * 1024
