export { type QueryConfig, queryDefaults, resolveQueryConfig } from './config.ts'
export { type QueryErrorCode, queryErrors } from './errors.ts'
export { ALLOWED_SYSTEM_RELATIONS, DENIED_FUNCTIONS } from './reference-policy.ts'
export { QUERY_MOUNT } from './routes.ts'
export { scrubPaths } from './scrub-paths.ts'
export { createQueryService, type QueryDeps, type QueryService } from './service.ts'
export { ALLOWED_TABLE_FUNCTIONS } from './table-functions.ts'
export type {
  QueryColumn,
  QueryObject,
  QueryOptions,
  QueryParam,
  QueryParams,
  QueryResult,
  QueryStats,
  QueryValue,
  ViewError,
} from './types.ts'
