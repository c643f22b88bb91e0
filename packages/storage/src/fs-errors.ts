import { isProblem, type Problem } from '@lakehouse/kit'
import { storageErrors } from './errors.ts'
import { errno } from './fs-durable.ts'

const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR'])
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT'])

/**
 * Filesystem error → coded problem. The detail names the operation and errno only: paths are
 * internal (they reveal the state directory) and never reach a client.
 */
export function fsProblem(operation: string, err: unknown): Problem {
  if (isProblem(err)) return err
  const code = errno(err) ?? 'unknown error'
  if (NO_SPACE.has(code)) {
    return storageErrors.problem('STORAGE_INSUFFICIENT_SPACE', { detail: `filesystem ${operation} failed: ${code}`, cause: err })
  }
  if (TRANSIENT.has(code)) {
    return storageErrors.problem('STORAGE_BACKEND_UNAVAILABLE', {
      detail: `filesystem ${operation} failed: ${code}`,
      headers: { 'retry-after': '5' },
      cause: err,
    })
  }
  return storageErrors.problem('STORAGE_BACKEND_ERROR', { detail: `filesystem ${operation} failed: ${code}`, cause: err })
}

export function keyConflictProblem(key: string, err: unknown): Problem {
  return storageErrors.problem('STORAGE_KEY_CONFLICT', {
    detail: `key ${JSON.stringify(key)} collides with an existing key: on the filesystem backend a key cannot also be the parent "directory" of another key`,
    cause: err,
  })
}

export function closedProblem(): Problem {
  return storageErrors.problem('STORAGE_BACKEND_UNAVAILABLE', { detail: 'the object store is closed', headers: { 'retry-after': '5' } })
}
