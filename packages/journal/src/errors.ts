import { defineErrors } from '@lakehouse/kit'

/** The journal's codes. Components let these propagate: a failed append is never acknowledged. */
export const journalErrors = defineErrors('journal', {
  JOURNAL_RECORD_TOO_LARGE: {
    status: 413,
    title: 'Journal Record Too Large',
    description: 'The record is over 256 KiB once framed; it was refused before any byte was written (the store is byte-identical).',
  },
  JOURNAL_LOCK_TIMEOUT: {
    status: 503,
    title: 'Journal Lock Timeout',
    description:
      "Another process held the store's kernel lock for longer than the lock timeout; nothing was written. Retry after `Retry-After` seconds.",
  },
  JOURNAL_WRITE_FAILED: {
    status: 503,
    title: 'Journal Write Failed',
    description:
      'The write or fsync failed (disk full, I/O error, short write); the record was not acknowledged. A partial write becomes a torn tail that replay skips and counts.',
  },
  JOURNAL_OPEN_FAILED: {
    status: 503,
    title: 'Journal Open Failed',
    description: 'Boot-time: the store directory could not be created, opened or written (the problem names the path and the errno).',
  },
  JOURNAL_CLOSED: {
    status: 503,
    title: 'Journal Closed',
    description: 'The journal is shutting down and refuses new appends.',
  },
})

export type JournalErrorCode = keyof typeof journalErrors.specs
