import { kitErrors, type Problem } from '@lakehouse/kit'
import { validatorErrors } from './errors.ts'
import type { Rejection } from './kind-check.ts'
import type { ValidationResult } from './types.ts'

export function rejectionProblem(rejection: Rejection): Problem {
  const init = { detail: rejection.detail, errors: rejection.errors }
  return rejection.code === 'HTTP_INVALID_REQUEST' ? kitErrors.problem(rejection.code, init) : validatorErrors.problem(rejection.code, init)
}

/**
 * The 422 for an invalid payload. `kind` and `warnings` ride along as RFC 9457 extension
 * members so a single-request caller sees what a batch caller sees for the same payload.
 */
export function validationFailedProblem(result: ValidationResult): Problem {
  const [first] = result.errors
  const count = `${result.errors.length}${result.errors_truncated === true ? '+' : ''} ${result.errors.length === 1 ? 'error' : 'errors'}`
  return validatorErrors.problem('VALIDATION_FAILED', {
    detail: `${result.kind} payload is invalid (${count})${first === undefined ? '' : `; first: ${first.message}`}`,
    errors: result.errors,
    extensions: { kind: result.kind, warnings: result.warnings, ...(result.errors_truncated === true ? { errors_truncated: true } : {}) },
  })
}
