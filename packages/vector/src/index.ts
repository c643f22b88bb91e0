export { type GraphQuantization, resolveVectorConfig, type VectorConfig, vectorDefaults } from './config.ts'
export { type VectorErrorCode, vectorErrors } from './errors.ts'
export { INDEX_NAME_PATTERN, MAX_DIM, METRICS } from './index-spec.ts'
export { VECTOR_MOUNT } from './routes.ts'
export { createVectorService, type VectorDeps, type VectorService } from './service.ts'
export type {
  Filter,
  Hit,
  IndexInfo,
  IndexSource,
  ItemInput,
  Metadata,
  MetadataValue,
  Metric,
  SearchInput,
  VectorIndexes,
} from './types.ts'
export type { VectorStats } from './vector.ts'
