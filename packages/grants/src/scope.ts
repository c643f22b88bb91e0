import { quoteCallerText } from '@lakehouse/kit'
import { grantErrors } from './errors.ts'

export const SQL_WRITE_SCOPE = 'sql.write'
export const DATASET_REPLACE_PREFIX = 'dataset.replace:'

/**
 * The dataset part is the catalog's dataset-name rule (`DATASET_NAME_PATTERN`); grants does not
 * depend on the catalog, so the pattern is restated here. `*` is every dataset.
 */
const DATASET_REPLACE_SCOPE = /^dataset\.replace:(\*|[a-z][a-z0-9_]{0,62})$/

export function isGrantScope(value: unknown): value is string {
  return typeof value === 'string' && (value === SQL_WRITE_SCOPE || DATASET_REPLACE_SCOPE.test(value))
}

export function checkScope(value: unknown): string {
  if (isGrantScope(value)) return value
  const shown = typeof value === 'string' ? quoteCallerText(value) : typeof value
  throw grantErrors.problem('GRANT_INVALID_SCOPE', {
    detail: `scope ${shown} is not dataset.replace:<name> (name ^[a-z][a-z0-9_]{0,62}$ or *) or sql.write`,
  })
}

/** Whether a grant for `granted` covers an operation that requires `required` (both valid scopes). */
export function scopeSatisfies(granted: string, required: string): boolean {
  if (granted === required) return true
  return granted === `${DATASET_REPLACE_PREFIX}*` && required.startsWith(DATASET_REPLACE_PREFIX)
}
