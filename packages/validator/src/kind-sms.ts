import type { Ajv } from 'ajv'
import { entriesFromAjv } from './ajv-entries.ts'
import { type KindCheck, reportOutcome } from './kind-check.ts'
import { BUILTIN_ENTRY_OPTIONS } from './payload-ajv.ts'
import { SMS_PAYLOAD_SCHEMA } from './payload-schemas.ts'
import { GSM7_SEGMENT_LIMIT, measureSms, smsUnit } from './sms-encoding.ts'
import { textPolicyEntries } from './text-policy.ts'
import type { ValidationWarning } from './types.ts'

export function createSmsCheck(ajv: Ajv): KindCheck {
  const validate = ajv.compile(SMS_PAYLOAD_SCHEMA)
  return {
    check(payload) {
      validate(payload)
      const errors = entriesFromAjv(validate.errors, payload, BUILTIN_ENTRY_OPTIONS)
      const warnings: ValidationWarning[] = []
      const { body } = payload
      if (typeof body === 'string' && body !== '') {
        const m = measureSms(body)
        if (m.length > m.limit) {
          errors.push({
            kind: 'length',
            field: '$.body',
            reason: 'too_long',
            message: `$.body is ${m.length} ${smsUnit(m.encoding)} in ${m.encoding}; the limit for one SMS is ${m.limit}`,
          })
        }
        if (m.firstNonGsm !== undefined) {
          warnings.push({
            field: '$.body',
            reason: 'ucs2_encoding',
            message: `$.body contains ${m.firstNonGsm}, which is outside the GSM-7 alphabet, so the SMS is sent as UCS-2 (limit ${m.limit} instead of ${GSM7_SEGMENT_LIMIT})`,
          })
        }
        errors.push(...textPolicyEntries('$.body', body))
      }
      return reportOutcome(errors, warnings)
    },
  }
}
