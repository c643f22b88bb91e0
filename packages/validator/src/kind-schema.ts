import type { Ajv } from 'ajv'
import { entriesFromAjv } from './ajv-entries.ts'
import { PatternWorkExceededError } from './caller-regexp.ts'
import { type KindCheck, type KindOutcome, reportOutcome } from './kind-check.ts'
import { BUILTIN_ENTRY_OPTIONS } from './payload-ajv.ts'
import { SCHEMA_PAYLOAD_SCHEMA } from './payload-schemas.ts'
import { patternField, type SchemaCompiler } from './schema-compiler.ts'

const DATA_ENTRY_OPTIONS = Object.freeze({ base: '$.data', lengthAsKind: false })

type SchemaRejectionCode = 'VALIDATOR_INVALID_SCHEMA' | 'VALIDATOR_PATTERN_UNSUPPORTED' | 'VALIDATOR_PATTERN_WORK_EXCEEDED'

const REASONS: Readonly<Record<SchemaRejectionCode, string>> = Object.freeze({
  VALIDATOR_INVALID_SCHEMA: 'invalid_schema',
  VALIDATOR_PATTERN_UNSUPPORTED: 'unsupported_pattern',
  VALIDATOR_PATTERN_WORK_EXCEEDED: 'pattern_work_exceeded',
})

function rejected(code: SchemaRejectionCode, field: string, message: string): KindOutcome {
  return { type: 'rejected', rejection: { code, detail: message, errors: [{ kind: 'schema', field, reason: REASONS[code], message }] } }
}

/**
 * `{schema, data}`: the caller's JSON Schema applied to the caller's data. A schema that does
 * not compile, a pattern RE2 cannot run and a request whose patterns cost more than
 * `maxPatternWork` are the caller's input being wrong, so they reject the request (400) rather
 * than failing the data (422).
 */
export function createSchemaCheck(ajv: Ajv, compiler: SchemaCompiler): KindCheck {
  const validate = ajv.compile(SCHEMA_PAYLOAD_SCHEMA)
  return {
    check(payload) {
      if (!validate(payload)) return reportOutcome(entriesFromAjv(validate.errors, payload, BUILTIN_ENTRY_OPTIONS))
      try {
        const compiled = compiler.compile(payload.schema)
        if (!compiled.ok) {
          return compiled.code === 'VALIDATOR_INVALID_SCHEMA'
            ? rejected(compiled.code, compiled.field, `$.schema does not compile: ${compiled.message}`)
            : rejected(compiled.code, compiled.field, compiled.message)
        }
        compiled.validate(payload.data)
        return reportOutcome(entriesFromAjv(compiled.validate.errors, payload.data, DATA_ENTRY_OPTIONS))
      } catch (err) {
        if (!(err instanceof PatternWorkExceededError)) throw err
        return rejected('VALIDATOR_PATTERN_WORK_EXCEEDED', patternField(payload.schema, err.pattern).field, err.message)
      }
    },
  }
}
