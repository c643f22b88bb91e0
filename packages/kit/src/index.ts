export {
  AUTH_TOKEN_ENV,
  bearerAuthorization,
  bearerTokenOf,
  clientToken,
  MIN_TOKEN_LENGTH,
  SERVICE_TOKEN_ENV,
  secondaryTokensEnv,
  tokenProblem,
} from './bearer.ts'
export { type BodyCheck, type BodyForms, type BodySchema, compileBodyForms, compileBodySchema, MAX_BODY_ENTRIES } from './body-schema.ts'
export { readBounded } from './bounded-read.ts'
export { colorEnabled } from './color.ts'
export { type Check, configError, intBetween, oneOf, parseBytes, parseDurationMs, parseInteger, redact, resolveWith } from './config.ts'
export {
  type AtomicContent,
  type EnsureDirOptions,
  ensureDirDurable,
  isAtomicTempName,
  type WriteFileAtomicOptions,
  type WriteTarget,
  writeAll,
  writeFileAtomic,
} from './durable-file.ts'
export {
  defineErrors,
  ERRORS_TABLE_BEGIN,
  ERRORS_TABLE_END,
  type ErrorRegistry,
  type ErrorRow,
  errorRows,
  renderErrorsTable,
  replaceErrorsTable,
} from './error-registry.ts'
export { configErrors, kitErrors } from './errors.ts'
export { fsyncPath, fsyncPathSync } from './fsync.ts'
export { HTTP_LIMIT_CHECKS, type HttpLimits, jsonBodyLimits, RETRY_AFTER_CHECK } from './http-limits.ts'
export {
  DEFAULT_JSON_BODY_LIMITS,
  drain,
  isJsonContentType,
  JSON_BODY_ERRORS,
  type JsonBodyLimits,
  jsonNestingExceeds,
  OVERSIZE_DRAIN_BYTES,
  parseJsonText,
  readBodyBytes,
  readJsonBody,
} from './json-body.ts'
export { CalendarDate, Decimal, encodeJson, jsonSafeInteger } from './json-codec.ts'
export { indexPath, memberPath, pointerSegment, type ResolvedPointer, resolvePointer } from './json-pointer.ts'
export { createKeyedMutex, type KeyedMutex } from './keyed-mutex.ts'
export { createLogger, LOG_LEVELS, type LogFields, type Logger, type LoggerOptions, type LogLevel, SILENT_LOGGER } from './logger.ts'
export { createLruCache, type LruCache } from './lru-cache.ts'
export { buildOpenApi, type OpenApiDocument, type OpenApiInput, type OpenApiSource, openApiPath, problemAnswerDoc } from './openapi.ts'
export {
  type AnswerChecker,
  type AnswerCheckOptions,
  type AnswerViolation,
  answerChecker,
  answerViolations,
  type SeenAnswer,
} from './openapi-answers.ts'
export {
  type ErrorSpec,
  isProblem,
  PROBLEM_TYPE_PREFIX,
  Problem,
  type ProblemBody,
  type ProblemEntry,
  type ProblemInit,
  problemBody,
} from './problem.ts'
export { QUOTE_MAX_CHARS, quoteCallerText } from './quote.ts'
export { REQUEST_ID_HEADER, requestIdFor } from './request-id.ts'
export {
  JSON_CONTENT_TYPE,
  jsonResponse,
  PROBLEM_CONTENT_TYPE,
  type ProblemMeta,
  problemMetaOf,
  problemResponse,
  toProblem,
} from './responses.ts'
export {
  type DescribedRoute,
  keepRoutes,
  type Method,
  type ParamDoc,
  type RawBodyDoc,
  type ResponseDoc,
  type RouteDoc,
  routesOf,
  withRoutes,
} from './route-doc.ts'
export { createRouter, type Handler, type RouteContext, type RouteHandler, type Router } from './router.ts'
export { BODY_REASONS, type BodyReason, codePointLength, entriesFromSchemaErrors } from './schema-entries.ts'
export { createSlots, type Slots } from './slots.ts'
export { LAKEHOUSE_VERSION } from './version.ts'
