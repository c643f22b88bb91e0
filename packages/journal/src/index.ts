export { type JournalErrorCode, journalErrors } from './errors.ts'
export {
  type CommitObservation,
  JOURNAL_DEFAULTS,
  type JournalOptions,
  lockOwnerStamp,
  openJournal,
  readLockOwner,
  STORE_LAYOUT,
} from './file-journal.ts'
export type { JournalIo } from './io.ts'
export { type RawFrame, type RawScan, scanStoreRaw } from './raw-scan.ts'
export { CHECKPOINT_NAME, listCheckpoints, listSegments, type NamedFile, SEGMENT_NAME } from './segment-names.ts'
export { copyStore, listStores } from './store-copy.ts'
export {
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
export { type StoreVerification, verifyStore } from './verify-store.ts'
export {
  FD_OUTPUT,
  runWriterProcess,
  WRITER_RECORD_KIND,
  WRITER_USAGE,
  type WriterOutput,
  type WriterRecordData,
} from './writer-process.ts'
export { formatWriterLine, lineSplitter, parseWriterLine, type WriterAck, type WriterLine, type WriterStats } from './writer-protocol.ts'
