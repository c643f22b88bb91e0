import { createLruCache } from '@lakehouse/kit'
import { Ajv, type AnySchema, type Options, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/**
 * Compiles caller-supplied JSON Schemas (kind `schema`).
 *
 * Risks of untrusted schemas, and what is done about them:
 *  - `pattern` / `patternProperties` run the caller's regular expression on the caller's data;
 *    a catastrophic-backtracking pattern (ReDoS) can pin a CPU for as long as the input allows.
 *    Bodies are capped (maxBodyBytes) but nothing bounds the regex engine itself; deployments
 *    that take schemas from untrusted parties should put this kind behind auth.
 *  - Every distinct schema costs a compile (~0.2 ms, more for big schemas); compiled
 *    validators are cached by the schema's JSON text in a bounded LRU.
 *  - ajv keeps every compiled schema in an internal map and registers nested `$id`s on the
 *    instance. Root ids are not registered (`addUsedSchema: false`), nested ones are removed
 *    after each compile so one caller's schema cannot change how another's `$ref` resolves, and
 *    each instance is replaced after RECYCLE_AFTER compiles so its internal map stays bounded.
 *  - No remote `$ref` is ever fetched (no `loadSchema`); an unresolvable ref fails the compile.
 */

export type CompiledSchema = { readonly ok: true; readonly validate: ValidateFunction } | { readonly ok: false; readonly message: string }

export interface SchemaCompiler {
  compile(schema: unknown): CompiledSchema
  clear(): void
  readonly cached: number
}

const OPTIONS: Options = {
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
  readonly create: () => SchemaAjv
}

const DRAFTS: readonly Draft[] = [
  { match: /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, create: () => new Ajv2020(OPTIONS) },
  { match: /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, create: () => new Ajv2019(OPTIONS) },
  { match: undefined, create: () => new Ajv(OPTIONS) },
]

interface Slot {
  ajv: SchemaAjv
  baseRefs: ReadonlySet<string>
  baseSchemas: ReadonlySet<string>
  compiles: number
}

function freshSlot(draft: Draft): Slot {
  const ajv = draft.create()
  addFormats(ajv as Ajv)
  // Compiling once pulls in the meta-schemas, so the baseline below includes everything ajv adds itself.
  ajv.compile({})
  return { ajv, baseRefs: new Set(Object.keys(ajv.refs)), baseSchemas: new Set(Object.keys(ajv.schemas)), compiles: 0 }
}

function forgetCallerRefs(slot: Slot): void {
  for (const key of Object.keys(slot.ajv.refs)) if (!slot.baseRefs.has(key)) delete slot.ajv.refs[key]
  for (const key of Object.keys(slot.ajv.schemas)) if (!slot.baseSchemas.has(key)) delete slot.ajv.schemas[key]
}

/** First `pattern` (or `patternProperties` key) that is not a valid `u`-flag regular expression, as a JSON Pointer. */
function invalidPattern(node: unknown, pointer = ''): { pointer: string; pattern: string } | undefined {
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
      try {
        new RegExp(pattern, 'u')
      } catch {
        return { pointer: here, pattern }
      }
    }
    const nested = invalidPattern(value, here)
    if (nested !== undefined) return nested
  }
  return undefined
}

/**
 * ajv's own messages are deterministic, but a bad regular expression surfaces as the engine's
 * SyntaxError, which V8 and JavaScriptCore word differently; both runtimes must answer alike.
 */
function compileErrorMessage(err: unknown, schema: unknown): string {
  if (err instanceof SyntaxError) {
    const bad = invalidPattern(schema)
    return bad === undefined
      ? 'a regular expression in the schema is invalid'
      : `pattern ${JSON.stringify(bad.pattern)} at #${bad.pointer} is not a valid regular expression`
  }
  return err instanceof Error ? err.message : 'the schema failed to compile'
}

export function createSchemaCompiler(cacheSize: number): SchemaCompiler {
  const cache = createLruCache<string, CompiledSchema>(cacheSize)
  // Built up front (~10 ms for the three drafts) so no request pays for meta-schema compilation.
  const slots = new Map<Draft, Slot>(DRAFTS.map((d) => [d, freshSlot(d)]))

  const slotFor = (schema: unknown): Slot => {
    const uri = schema !== null && typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined
    const draft = DRAFTS.find((d) => d.match === undefined || (typeof uri === 'string' && d.match.test(uri))) as Draft
    let slot = slots.get(draft)
    if (slot === undefined || slot.compiles >= RECYCLE_AFTER) {
      slot = freshSlot(draft)
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
            ? { ok: false, message: '$async schemas are not supported' }
            : { ok: true, validate }
      } catch (err) {
        compiled = { ok: false, message: compileErrorMessage(err, schema) }
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
