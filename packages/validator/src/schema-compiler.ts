import { createLruCache, resolvePointer } from '@lakehouse/kit'
import { Ajv, type AnySchema, type Options, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import {
  createCallerRegExp,
  createPatternMeter,
  type PatternMeter,
  PatternUnsupportedError,
  PatternWorkExceededError,
} from './caller-regexp.ts'

/**
 * Compiles caller-supplied JSON Schemas (kind `schema`).
 *
 * Risks of untrusted schemas, and what is done about them:
 *  - `pattern` / `patternProperties` (and `propertyNames.pattern`) run the caller's regular
 *    expression on the caller's data. They run on RE2 (caller-regexp.ts: linear time, work
 *    metered per request); a pattern RE2 cannot run (backreferences, lookaround) is refused
 *    with VALIDATOR_PATTERN_UNSUPPORTED (issue 11: `^(a+)+$` held Node's event loop for 20 s).
 *    The only other place caller text becomes a RegExp is ajv-formats' `regex` format, which
 *    constructs (parses, never executes) the data string, as isInvalidPattern below does.
 *  - Every distinct schema costs a compile (~0.2 ms, more for big schemas); compiled
 *    validators are cached by the schema's JSON text in a bounded LRU.
 *  - ajv keeps every compiled schema in an internal map and registers nested `$id`s on the
 *    instance. Root ids are not registered (`addUsedSchema: false`), nested ones are removed
 *    after each compile so one caller's schema cannot change how another's `$ref` resolves, and
 *    each instance is replaced after RECYCLE_AFTER compiles so its internal map stays bounded.
 *  - No remote `$ref` is ever fetched (no `loadSchema`); an unresolvable ref fails the compile.
 */

export type CompiledSchema =
  | { readonly ok: true; readonly validate: ValidateFunction }
  | {
      readonly ok: false
      readonly code: 'VALIDATOR_INVALID_SCHEMA' | 'VALIDATOR_PATTERN_UNSUPPORTED'
      readonly message: string
      /** JSONPath (from the payload) of what is wrong: `$.schema`, or the refused pattern. */
      readonly field: string
    }

export interface SchemaCompiler {
  compile(schema: unknown): CompiledSchema
  clear(): void
  readonly cached: number
}

const BASE_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  logger: false,
  addUsedSchema: false,
  // ajv's default, stated because the JSONPath mapping assumes data is never changed in place.
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
}

const RECYCLE_AFTER = 1024

interface SchemaAjv {
  compile(schema: AnySchema): ValidateFunction
  readonly refs: Record<string, unknown>
  readonly schemas: Record<string, unknown>
}

interface Draft {
  /** Matches the `$schema` URI this draft answers for; draft-07 (ajv's default) takes the rest. */
  readonly match: RegExp | undefined
  readonly create: (options: Options) => SchemaAjv
}

const DRAFTS: readonly Draft[] = [
  { match: /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, create: (o) => new Ajv2020(o) },
  { match: /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, create: (o) => new Ajv2019(o) },
  { match: undefined, create: (o) => new Ajv(o) },
]

interface Slot {
  ajv: SchemaAjv
  baseRefs: ReadonlySet<string>
  baseSchemas: ReadonlySet<string>
  compiles: number
}

function freshSlot(draft: Draft, options: Options): Slot {
  const ajv = draft.create(options)
  addFormats(ajv as Ajv)
  // Compiling once pulls in the meta-schemas, so the baseline below includes everything ajv adds itself.
  ajv.compile({})
  return { ajv, baseRefs: new Set(Object.keys(ajv.refs)), baseSchemas: new Set(Object.keys(ajv.schemas)), compiles: 0 }
}

function forgetCallerRefs(slot: Slot): void {
  for (const key of Object.keys(slot.ajv.refs)) if (!slot.baseRefs.has(key)) delete slot.ajv.refs[key]
  for (const key of Object.keys(slot.ajv.schemas)) if (!slot.baseSchemas.has(key)) delete slot.ajv.schemas[key]
}

/** First `pattern` value or `patternProperties` key for which `wanted` holds, with its JSON Pointer. */
function findPattern(node: unknown, wanted: (pattern: string) => boolean, pointer = ''): { pointer: string; pattern: string } | undefined {
  if (node === null || typeof node !== 'object') return undefined
  const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node)
  for (const [key, value] of entries) {
    const here = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
    const candidates =
      key === 'pattern' && typeof value === 'string'
        ? [value]
        : key === 'patternProperties' && value !== null && typeof value === 'object'
          ? Object.keys(value)
          : []
    for (const pattern of candidates) {
      if (wanted(pattern))
        return { pointer: key === 'pattern' ? here : `${here}/${pattern.replaceAll('~', '~0').replaceAll('/', '~1')}`, pattern }
    }
    const nested = findPattern(value, wanted, here)
    if (nested !== undefined) return nested
  }
  return undefined
}

function isInvalidPattern(pattern: string): boolean {
  try {
    // Parsed, never executed.
    new RegExp(pattern, 'u')
    return false
  } catch {
    return true
  }
}

/** JSONPath (from the payload) of the first place `pattern` appears in the caller's schema. */
export function patternField(schema: unknown, pattern: string): { field: string; pointer: string } {
  const found = findPattern(schema, (p) => p === pattern)
  if (found === undefined) return { field: '$.schema', pointer: '' }
  return { field: resolvePointer(schema, found.pointer, '$.schema').path, pointer: found.pointer }
}

function compileFailure(err: unknown, schema: unknown): CompiledSchema {
  if (err instanceof PatternUnsupportedError) {
    const { field, pointer } = patternField(schema, err.pattern)
    return {
      ok: false,
      code: 'VALIDATOR_PATTERN_UNSUPPORTED',
      message: `pattern ${JSON.stringify(err.pattern)} at #${pointer} cannot run on the linear-time (RE2) engine: ${err.why}`,
      field,
    }
  }
  return { ok: false, code: 'VALIDATOR_INVALID_SCHEMA', message: compileErrorMessage(err, schema), field: '$.schema' }
}

/**
 * ajv's own messages are deterministic, but a bad regular expression surfaces as the engine's
 * SyntaxError, which V8 and JavaScriptCore word differently; both runtimes must answer alike.
 */
function compileErrorMessage(err: unknown, schema: unknown): string {
  if (err instanceof SyntaxError) {
    const bad = findPattern(schema, isInvalidPattern)
    return bad === undefined
      ? 'a regular expression in the schema is invalid'
      : `pattern ${JSON.stringify(bad.pattern)} at #${bad.pointer} is not a valid regular expression`
  }
  return err instanceof Error ? err.message : 'the schema failed to compile'
}

/**
 * `meter` is charged for every caller pattern compiled and matched; the validator resets it per
 * request. A compile that runs out of budget throws PatternWorkExceededError and is not cached.
 */
export function createSchemaCompiler(
  cacheSize: number,
  meter: PatternMeter = createPatternMeter(Number.POSITIVE_INFINITY),
): SchemaCompiler {
  const cache = createLruCache<string, CompiledSchema>(cacheSize)
  const options: Options = { ...BASE_OPTIONS, code: { regExp: createCallerRegExp(meter) } }
  // Built up front (~10 ms for the three drafts) so no request pays for meta-schema compilation.
  const fresh = (draft: Draft) => meter.exempt(() => freshSlot(draft, options))
  const slots = new Map<Draft, Slot>(DRAFTS.map((d) => [d, fresh(d)]))

  const slotFor = (schema: unknown): Slot => {
    const uri = schema !== null && typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined
    const draft = DRAFTS.find((d) => d.match === undefined || (typeof uri === 'string' && d.match.test(uri))) as Draft
    let slot = slots.get(draft)
    if (slot === undefined || slot.compiles >= RECYCLE_AFTER) {
      slot = fresh(draft)
      slots.set(draft, slot)
    }
    return slot
  }

  return {
    compile(schema) {
      const key = JSON.stringify(schema)
      const hit = cache.get(key)
      if (hit !== undefined) return hit
      const slot = slotFor(schema)
      let compiled: CompiledSchema
      try {
        const validate = slot.ajv.compile(schema as AnySchema)
        compiled =
          (validate as { $async?: unknown }).$async === true
            ? { ok: false, code: 'VALIDATOR_INVALID_SCHEMA', message: '$async schemas are not supported', field: '$.schema' }
            : { ok: true, validate }
      } catch (err) {
        if (err instanceof PatternWorkExceededError) throw err
        compiled = compileFailure(err, schema)
      } finally {
        forgetCallerRefs(slot)
        slot.compiles++
      }
      // Failures are cached too, so a client retrying a broken schema does not recompile it each time.
      cache.set(key, compiled)
      return compiled
    },
    clear() {
      cache.clear()
    },
    get cached() {
      return cache.size
    },
  }
}
