import { defineErrors } from '@lakehouse/kit'

export const validatorErrors = defineErrors('validator', {
  VALIDATION_FAILED: {
    status: 422,
    title: 'Validation Failed',
    description: 'The payload is well-formed but breaks a rule of its kind; `errors` lists each failure as {kind, field, reason, message}.',
  },
  VALIDATOR_UNKNOWN_KIND: {
    status: 400,
    title: 'Unknown Validation Kind',
    description: '`kind` is not one of email, sms, fill, schema.',
  },
  VALIDATOR_BATCH_TOO_LARGE: {
    status: 400,
    title: 'Validation Batch Too Large',
    description: 'A batch holds more items than the configured limit (default 500); split it.',
  },
  VALIDATOR_INVALID_SCHEMA: {
    status: 400,
    title: 'Invalid JSON Schema',
    description: 'A `schema` payload carries a JSON Schema that does not compile; `detail` has the compiler message.',
  },
  VALIDATOR_PATTERN_UNSUPPORTED: {
    status: 400,
    title: 'Pattern Not Supported',
    description:
      'A `pattern` or `patternProperties` key in a `schema` payload cannot run on the linear-time (RE2) engine: a backreference, lookaround, an unsupported `\\p{…}` property, or a pattern expanding past 1024 RE2 instructions; `detail` quotes the pattern, `errors[0].field` points at it.',
  },
  VALIDATOR_PATTERN_WORK_EXCEEDED: {
    status: 400,
    title: 'Pattern Work Limit Exceeded',
    description:
      'Compiling and matching the caller patterns of one request would exceed `maxPatternWork` (program size × characters matched, plus a charge per compiled instruction); `detail` names the pattern that crossed it.',
  },
})

export type ValidatorErrorCode = keyof typeof validatorErrors.specs
