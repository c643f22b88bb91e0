export { resolveValidatorConfig, type ValidatorConfig, validatorDefaults } from './config.ts'
export { BATCH_REQUEST_SCHEMA, VALIDATION_REQUEST_SCHEMA } from './envelope.ts'
export { type ValidatorErrorCode, validatorErrors } from './errors.ts'
export { EMAIL_PAYLOAD_SCHEMA, FILL_PAYLOAD_SCHEMA, SCHEMA_PAYLOAD_SCHEMA, SMS_PAYLOAD_SCHEMA } from './payload-schemas.ts'
export { isPhoneNumber, PHONE_PATTERN } from './phone-format.ts'
export { findPlaceholders, type PlaceholderMatch } from './placeholder-guard.ts'
export {
  VALIDATION_BATCH_SCHEMA,
  VALIDATION_ERROR_ENTRY_SCHEMA,
  VALIDATION_OK_SCHEMA,
  VALIDATION_PROBLEM_SCHEMA,
  VALIDATION_WARNING_SCHEMA,
  VALIDATOR_REQUEST_PROBLEM_SCHEMA,
} from './response-schemas.ts'
export { VALIDATOR_MOUNT } from './routes.ts'
export { createValidatorService, type ValidatorDeps, type ValidatorService } from './service.ts'
export { GSM7_SEGMENT_LIMIT, measureSms, type SmsEncoding, type SmsMeasure, UCS2_SEGMENT_LIMIT } from './sms-encoding.ts'
export { findSsnPatterns, isIssuableSsn, type SsnForm, type SsnMatch } from './ssn-guard.ts'
export {
  type BatchItemResult,
  type BatchResult,
  VALIDATION_ERROR_KINDS,
  VALIDATION_KINDS,
  type ValidationEntry,
  type ValidationErrorKind,
  type ValidationItem,
  type ValidationKind,
  type ValidationResult,
  type ValidationWarning,
} from './types.ts'
export { createInMemoryWorkerLookup, type WorkerLookup } from './worker-lookup.ts'
export {
  allWorkerIdsSql,
  createQueryWorkerLookup,
  existingWorkerIdsSql,
  isMissingDataset,
  WORKER_ID_COLUMN,
  WORKERS_DATASET,
  type WorkersQuery,
  workerByIdSql,
} from './workers-dataset.ts'
