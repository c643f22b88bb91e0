import { codePointLength } from '@lakehouse/kit'
import type { Ajv } from 'ajv'
import { entriesFromAjv } from './ajv-entries.ts'
import { type KindCheck, reportOutcome } from './kind-check.ts'
import { BUILTIN_ENTRY_OPTIONS } from './payload-ajv.ts'
import { EMAIL_PAYLOAD_SCHEMA } from './payload-schemas.ts'
import { textPolicyEntries } from './text-policy.ts'
import type { ValidationWarning } from './types.ts'

/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; longer subjects get folded or cut by clients. */
const SUBJECT_SOFT_LIMIT = 78

export function createEmailCheck(ajv: Ajv): KindCheck {
  const validate = ajv.compile(EMAIL_PAYLOAD_SCHEMA)
  return {
    check(payload) {
      validate(payload)
      const errors = entriesFromAjv(validate.errors, payload, BUILTIN_ENTRY_OPTIONS)
      const warnings: ValidationWarning[] = []
      const { subject, body } = payload
      if (typeof subject === 'string') {
        // A CR or LF in a subject would let the text start a new mail header (header injection).
        if (/[\r\n]/.test(subject)) {
          errors.push({
            kind: 'policy',
            field: '$.subject',
            reason: 'line_break',
            message: '$.subject must be a single line (no CR or LF)',
          })
        }
        const n = codePointLength(subject)
        if (n > SUBJECT_SOFT_LIMIT && n <= EMAIL_PAYLOAD_SCHEMA.properties.subject.maxLength) {
          warnings.push({
            field: '$.subject',
            reason: 'long_subject',
            message: `$.subject has ${n} characters; mail clients may cut subjects longer than ${SUBJECT_SOFT_LIMIT}`,
          })
        }
        errors.push(...textPolicyEntries('$.subject', subject))
      }
      if (typeof body === 'string') errors.push(...textPolicyEntries('$.body', body))
      return reportOutcome(errors, warnings)
    },
  }
}
