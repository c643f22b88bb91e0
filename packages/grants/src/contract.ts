/**
 * What other components need to know about grants, and nothing else: the header a grant
 * travels in, the scope strings, and the dataset-name rule those scopes embed. This module
 * imports nothing, so catalog, ingest, the gateway and the CLI take it from
 * `@lakehouse/grants/contract` without pulling in the authority (journal, provision, kit).
 *
 * The dataset-name rule is owned here, not by the catalog: the catalog builds
 * `dataset.replace:<name>` scopes (restore) and grants checks the name inside a scope, so with
 * the rule in the catalog grants would import the catalog while the catalog imports grants.
 * A module with no imports that both take it from has no cycle.
 */

/** The request header that carries a grant to an operation refused by default (lowercase: Headers are case-insensitive). */
export const GRANT_HEADER = 'lakehouse-grant'

/** Dataset names become SQL view names (query), so only lower-case identifiers that need no quoting. */
export const DATASET_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/

export function isDatasetName(name: unknown): name is string {
  return typeof name === 'string' && DATASET_NAME_PATTERN.test(name)
}

/** The scope that authorises arbitrary SQL writes. */
export const SQL_WRITE_SCOPE = 'sql.write'
/** `dataset.replace:<name>` authorises replacing that dataset's schema (ingest, restore). */
export const DATASET_REPLACE_PREFIX = 'dataset.replace:'
/** Covers `dataset.replace:<name>` for every name. */
export const DATASET_REPLACE_ANY = `${DATASET_REPLACE_PREFIX}*`

/** The scope an operation replacing dataset `name`'s schema requires. */
export function replaceScope(name: string): string {
  return `${DATASET_REPLACE_PREFIX}${name}`
}

const NAME_BODY = DATASET_NAME_PATTERN.source.slice(1, -1)
const DATASET_REPLACE_SCOPE = new RegExp(`^dataset\\.replace:(\\*|${NAME_BODY})$`)

/** The scope grammar, for messages and documentation. */
export const SCOPE_GRAMMAR = `${DATASET_REPLACE_PREFIX}<name> (name ${DATASET_NAME_PATTERN.source} or *) or ${SQL_WRITE_SCOPE}`

export function isGrantScope(value: unknown): value is string {
  return typeof value === 'string' && (value === SQL_WRITE_SCOPE || DATASET_REPLACE_SCOPE.test(value))
}

/** Whether a grant for `granted` covers an operation that requires `required` (both valid scopes). */
export function scopeSatisfies(granted: string, required: string): boolean {
  if (granted === required) return true
  return granted === DATASET_REPLACE_ANY && required.startsWith(DATASET_REPLACE_PREFIX)
}

/**
 * What a component that checks (and consumes) a grant can answer with: the grant's refusals
 * and, when consuming writes the audit record, the journal's failures. For route docs.
 */
export const GRANT_CHECK_ERRORS: readonly string[] = [
  ...['GRANT_MALFORMED', 'GRANT_TAMPERED', 'GRANT_SCOPE_MISMATCH', 'GRANT_REUSED', 'GRANT_REVOKED', 'GRANT_UNKNOWN', 'GRANT_EXPIRED'],
  ...['JOURNAL_WRITE_FAILED', 'JOURNAL_LOCK_TIMEOUT', 'JOURNAL_CLOSED'],
]
