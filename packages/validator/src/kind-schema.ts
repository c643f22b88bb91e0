import type { Ajv } from 'ajv'
import { entriesFromAjv } from './ajv-entries.ts'
import { type KindCheck, reportOutcome } from './kind-check.ts'
import { BUILTIN_ENTRY_OPTIONS } from './payload-ajv.ts'
import { SCHEMA_PAYLOAD_SCHEMA } from './payload-schemas.ts'
import type { SchemaCompiler } from './schema-compiler.ts'

const DATA_ENTRY_OPTIONS = Object.freeze({ base: '$.data', lengthAsKind: false })

/**
 * `{schema, data}`: the caller's JSON Schema applied to the caller's data. A schema that does
 * not compile is the caller's input being wrong, so it rejects the request (400) rather than
 * failing the data (422).
 */
export function createSchemaCheck(ajv: Ajv, compiler: SchemaCompiler): KindCheck {
  const validate = ajv.compile(SCHEMA_PAYLOAD_SCHEMA)
  return {
    check(payload) {
      if (!validate(payload)) return reportOutcome(entriesFromAjv(validate.errors, payload, BUILTIN_ENTRY_OPTIONS))
      const compiled = compiler.compile(payload.schema)
      if (!compiled.ok) {
        return {
          type: 'rejected',
          rejection: {
            code: 'VALIDATOR_INVALID_SCHEMA',
            detail: `$.schema does not compile: ${compiled.message}`,
            errors: [
              { kind: 'schema', field: '$.schema', reason: 'invalid_schema', message: `$.schema does not compile: ${compiled.message}` },
            ],
          },
        }
      }
      compiled.validate(payload.data)
      return reportOutcome(entriesFromAjv(compiled.validate.errors, payload.data, DATA_ENTRY_OPTIONS))
    },
  }
}
