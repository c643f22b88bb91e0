export { type MatrixConfig, matrixDefaults, resolveMatrixConfig } from './config.ts'
export { type MatrixErrorCode, matrixErrors } from './errors.ts'
export { FILTER_METADATA_KEYS } from './filters.ts'
export type { MatrixIndexes } from './indexes.ts'
export { normaliseQuery } from './query-text.ts'
export { CACHE_HEADER, MATRIX_MOUNT } from './routes.ts'
export { createMatrixService, type MatrixDeps, type MatrixService } from './service.ts'
export {
  type MatrixFilters,
  type MatrixResult,
  type MatrixSearchInput,
  type MatrixSearchResponse,
  PLAYBOOK_OUTCOMES,
  type PlaybookMark,
  type PlaybookMatch,
  type PlaybookOutcome,
  type PlaybookRecordInput,
  type PlaybookRecordResponse,
} from './types.ts'
