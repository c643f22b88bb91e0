import type { ValidationEntry, ValidationWarning } from './types.ts'

/** What a kind found in a payload. */
export interface KindReport {
  readonly errors: readonly ValidationEntry[]
  readonly warnings: readonly ValidationWarning[]
}

/** HTTP_INVALID_REQUEST (kit) when the `{kind, payload}` envelope does not fit its schema; the rest are the validator's. */
export type RejectionCode =
  | 'HTTP_INVALID_REQUEST'
  | 'VALIDATOR_UNKNOWN_KIND'
  | 'VALIDATOR_INVALID_SCHEMA'
  | 'VALIDATOR_PATTERN_UNSUPPORTED'
  | 'VALIDATOR_PATTERN_WORK_EXCEEDED'

/**
 * The request itself is wrong (not the payload's content): a 400 for a single request, an
 * invalid item for a batch.
 */
export interface Rejection {
  readonly code: RejectionCode
  readonly detail: string
  readonly errors: readonly ValidationEntry[]
}

/**
 * Kinds run synchronously; a kind that needs the workers dataset hands back the ids instead,
 * so a whole request (a batch included) costs one `WorkerLookup.existing` call.
 */
export type KindOutcome =
  | { readonly type: 'report'; readonly report: KindReport }
  | { readonly type: 'needs_workers'; readonly ids: readonly string[]; finish(existing: ReadonlySet<string>): KindReport }
  | { readonly type: 'rejected'; readonly rejection: Rejection }

export interface KindCheck {
  check(payload: Readonly<Record<string, unknown>>): KindOutcome
}

export function reportOutcome(errors: readonly ValidationEntry[], warnings: readonly ValidationWarning[] = []): KindOutcome {
  return { type: 'report', report: { errors, warnings } }
}
