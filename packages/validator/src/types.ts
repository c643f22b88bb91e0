import type { ProblemEntry } from '@lakehouse/kit'

/** The payload kinds the validator knows, in the order they are listed to callers. */
export const VALIDATION_KINDS = ['email', 'sms', 'fill', 'schema'] as const
export type ValidationKind = (typeof VALIDATION_KINDS)[number]

/** Categories of failure an error entry can carry (docs/validator.md, "Error entries"). */
export const VALIDATION_ERROR_KINDS = ['schema', 'length', 'policy', 'reference', 'duplicate', 'consistency'] as const
export type ValidationErrorKind = (typeof VALIDATION_ERROR_KINDS)[number]

/** One failure: `field` is a JSONPath relative to the payload, `reason` a stable token. */
export interface ValidationEntry extends ProblemEntry {
  readonly kind: ValidationErrorKind
}

/** Something worth telling the caller that does not make the payload invalid. */
export interface ValidationWarning {
  readonly field: string
  readonly reason: string
  readonly message: string
}

/** The outcome of checking one payload of a known kind. */
export interface ValidationResult {
  readonly kind: ValidationKind
  readonly valid: boolean
  readonly warnings: readonly ValidationWarning[]
  readonly errors: readonly ValidationEntry[]
  /** Present (and true) only when more than `maxErrors` errors were found and the rest dropped. */
  readonly errors_truncated?: true
}

/** One `{kind, payload}` request, as `POST /v1/validate` takes it and as batch items are. */
export interface ValidationItem {
  readonly kind: string
  readonly payload: unknown
}

export interface BatchItemResult {
  readonly index: number
  /** The item's kind as sent; null when the item had no string `kind`. */
  readonly kind: string | null
  readonly valid: boolean
  readonly warnings: readonly ValidationWarning[]
  readonly errors: readonly ValidationEntry[]
  readonly errors_truncated?: true
}

export interface BatchResult {
  readonly results: readonly BatchItemResult[]
  readonly summary: { readonly total: number; readonly valid: number; readonly invalid: number }
}
