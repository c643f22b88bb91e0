import { isProblem, type Problem } from '@lakehouse/kit'
import { storageErrors } from './errors.ts'

// S3 error names that mean "try again later" rather than "this will never work".
const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'TimeoutError',
  'AbortError',
])
const SAFE_LABEL = /^[A-Za-z0-9._-]{1,64}$/

interface SdkErrorShape {
  readonly name?: unknown
  readonly code?: unknown
  readonly $metadata?: { readonly httpStatusCode?: unknown }
}

function label(err: SdkErrorShape): string {
  // Network failures surface as a plain Error with an errno code (ECONNREFUSED, ETIMEDOUT, …).
  const name = typeof err.name === 'string' && err.name !== 'Error' ? err.name : err.code
  return typeof name === 'string' && SAFE_LABEL.test(name) ? name : 'unknown error'
}

/** True for "no such object" (not for "no such bucket", which is a configuration fault). */
export function isS3NotFound(err: unknown): boolean {
  const name = (err as SdkErrorShape | null)?.name
  return name === 'NoSuchKey' || name === 'NotFound'
}

/**
 * SDK error → coded problem. The detail carries the operation, the S3 error name and the HTTP
 * status only: SDK messages can echo endpoints and request details, and the cause (kept for
 * the server log) never holds the secret key, which is never sent over the wire.
 */
export function s3Problem(operation: string, err: unknown): Problem {
  if (isProblem(err)) return err
  const shape = (err ?? {}) as SdkErrorShape
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined
  const name = label(shape)
  const detail = `S3 ${operation} failed: ${name}${status === undefined ? '' : ` (HTTP ${status})`}`
  if (name === 'EntityTooLarge') return storageErrors.problem('STORAGE_TOO_LARGE', { detail, cause: err })
  if (status === undefined || status >= 500 || status === 429 || TRANSIENT_NAMES.has(name)) {
    return storageErrors.problem('STORAGE_BACKEND_UNAVAILABLE', { detail, headers: { 'retry-after': '5' }, cause: err })
  }
  return storageErrors.problem('STORAGE_BACKEND_ERROR', { detail, cause: err })
}
