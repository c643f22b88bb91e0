export type { CatalogStats } from './catalog.ts'
export {
  CONTROL_CHARACTERS,
  columnNameLength,
  DEFAULT_MAX_COLUMNS,
  hasControlCharacter,
  MAX_COLUMN_NAME_CHARS,
  MAX_COLUMN_TYPE_CHARS,
  MAX_COLUMNS_CEILING,
} from './column-rules.ts'
export { type CatalogConfig, catalogDefaults, resolveCatalogConfig } from './config.ts'
export { type CatalogErrorCode, catalogErrors } from './errors.ts'
export { fingerprintSchema } from './fingerprint.ts'
export { DATASET_NAMESPACE, datasetIdFor } from './identity.ts'
export { CATALOG_PREFIX, manifestKey } from './manifest-codec.ts'
export { DATASET_OBJECTS_PREFIX, datasetObjectKey } from './object-check.ts'
export { FINGERPRINT_PATTERN } from './register-input.ts'
export { STALE_INDEXES_SCHEMA } from './route-docs.ts'
export { CATALOG_MOUNT, type GrantOf } from './routes.ts'
export { schemaConflictProblem } from './schema-conflict.ts'
export { type CatalogDeps, type CatalogService, createCatalogService } from './service.ts'
export type {
  Catalog,
  CatalogEvent,
  ColumnSpec,
  DatasetManifest,
  DatasetVersion,
  IndexSource,
  IndexSources,
  InspectObject,
  ObjectInspection,
  RegisterInput,
  RegisterOptions,
  RegisterResult,
  ReplaceAuthority,
  RestoreOptions,
  RestoreResult,
  StaleIndex,
  VersionSummary,
} from './types.ts'
export { uuidV5 } from './uuid-v5.ts'
export { parseVersionId } from './versions.ts'
