export { resolveStorageConfig, type StorageConfig, storageDefaults } from './config.ts'
export { type StorageErrorCode, storageErrors } from './errors.ts'
export { createFsObjectStore, type FsObjectStoreOptions } from './fs-object-store.ts'
export { compareKeys } from './key-order.ts'
export {
  assertValidKey,
  assertValidPrefix,
  BACKEND_RESERVED_SEGMENTS,
  type KeyViolation,
  type KeyViolationReason,
  keyViolation,
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  prefixViolation,
} from './key-policy.ts'
export { type ListResult, type ObjectBody, type ObjectInfo, type ObjectStore, type PutOptions, RESERVED_PREFIXES } from './object-store.ts'
export { STORAGE_MOUNT } from './routes.ts'
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts'
export { createStorageService, type StorageDeps, type StorageService } from './service.ts'
