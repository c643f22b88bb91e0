export { type MemoryConfig, memoryDefaults, resolveMemoryConfig } from './config.ts'
export { type MemoryErrorCode, memoryErrors } from './errors.ts'
export {
  type AddRecordData,
  type KeyReplayRecordData,
  MEMORY_RECORD_KINDS,
  type MemoryRecordKind,
  type RetireRecordData,
  type UpdateRecordData,
} from './records.ts'
export { MEMORY_MOUNT } from './routes.ts'
export { tokenize } from './search-index.ts'
export { createMemoryService, type MemoryDeps, type MemoryService } from './service.ts'
export { type MemorySnapshot, SNAPSHOT_VERSION } from './snapshot.ts'
export { isUid, TAG_PATTERN, UID_PATTERN } from './trace.ts'
export type {
  AddInput,
  AddResult,
  HistoryResult,
  Memory,
  MemoryStats,
  ReviseInput,
  SearchHit,
  SearchInput,
  SearchResult,
  Trace,
  UpdateInput,
} from './types.ts'
