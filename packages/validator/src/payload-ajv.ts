import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import type { AjvEntryOptions } from './ajv-entries.ts'
import { PHONE_PATTERN } from './phone-format.ts'

/**
 * The ajv instance for our own payload schemas (the built-in kinds). Strict, because a
 * typo in one of our schemas is a bug to catch at create time; caller schemas get their own
 * lenient instances in schema-compiler.ts.
 */
export function createPayloadAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, logger: false })
  addFormats(ajv, ['email'])
  ajv.addFormat('phone', PHONE_PATTERN)
  return ajv
}

/** Entry mapping for payloads of the built-in kinds. */
export const BUILTIN_ENTRY_OPTIONS: AjvEntryOptions = Object.freeze({ base: '$', lengthAsKind: true })
