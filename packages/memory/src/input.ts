import { type BodyCheck, type BodySchema, compileBodySchema, kitErrors, quoteCallerText } from '@lakehouse/kit'
import type { MemoryConfig } from './config.ts'
import { memoryErrors } from './errors.ts'
import { tokenize } from './search-index.ts'
import { isUid, normaliseTags, TAG_PATTERN, UID_PATTERN } from './trace.ts'

/**
 * Checks untrusted input (HTTP bodies and direct calls alike: a JavaScript caller can pass
 * anything) against one JSON Schema per body, then returns fresh, owned values. A body that does
 * not fit is 400 HTTP_INVALID_REQUEST listing every problem in the shared reasons (docs/errors.md,
 * "Request bodies"). Optional members are absent or valid; `null` is not "absent".
 */

export type InputLimits = Pick<
  MemoryConfig,
  'maxContentChars' | 'maxTags' | 'maxTagChars' | 'maxKeyChars' | 'defaultSearchLimit' | 'maxSearchLimit'
>

/** The four request bodies; the limits are configuration, so the schemas are built when memory is created. */
export interface MemoryRequestSchemas {
  /** `POST /v1/memory/traces` */
  readonly add: BodySchema
  /** `PATCH /v1/memory/traces/{uid}` */
  readonly update: BodySchema
  /** `POST /v1/memory/traces/{uid}/revise` */
  readonly revise: BodySchema
  /** `POST /v1/memory/search` */
  readonly search: BodySchema
}

/** An `anyOf` branch: this member is present (its shape is checked by the body's `properties`). */
const oneOfMembers = (name: string) => ({ required: [name], properties: { [name]: true } })

export function memoryRequestSchemas(limits: InputLimits): MemoryRequestSchemas {
  const content = (description: string) => ({ type: 'string', minLength: 1, maxLength: limits.maxContentChars, description })
  const tags = (description: string) => ({
    type: 'array',
    maxItems: limits.maxTags,
    items: { type: 'string', maxLength: limits.maxTagChars, pattern: TAG_PATTERN.source },
    description,
  })
  return {
    add: {
      type: 'object',
      required: ['content'],
      additionalProperties: false,
      properties: {
        content: content('The trace text.'),
        tags: tags('Lower-case tags; stored sorted and without repeats.'),
        key: {
          type: 'string',
          minLength: 1,
          maxLength: limits.maxKeyChars,
          description: 'Idempotency key: an add with a key already seen answers the trace it made (200).',
        },
      },
    },
    update: {
      type: 'object',
      additionalProperties: false,
      anyOf: [oneOfMembers('content'), oneOfMembers('tags')],
      properties: {
        content: content('The new text; the old one when absent (at least one of content and tags).'),
        tags: tags('The new tags, replacing the old ones; the old ones when absent.'),
        expected_rev: {
          type: 'integer',
          minimum: 1,
          maximum: Number.MAX_SAFE_INTEGER,
          description: 'Refuse the update (MEMORY_REV_CONFLICT) unless the trace is at this rev.',
        },
      },
    },
    revise: {
      type: 'object',
      required: ['content'],
      additionalProperties: false,
      properties: {
        content: content('The text of the new trace that supersedes this one.'),
        tags: tags("The new trace's tags; the predecessor's when absent."),
      },
    },
    search: {
      type: 'object',
      additionalProperties: false,
      anyOf: [oneOfMembers('text'), { required: ['tags'], properties: { tags: { type: 'array', minItems: 1 } } }],
      properties: {
        text: content('Words to match (at least one letter or digit); text or at least one tag is needed.'),
        tags: tags('Traces must carry every one of these tags.'),
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: limits.maxSearchLimit,
          description: `Items to return at most; defaults to ${limits.defaultSearchLimit}.`,
        },
        include_retired: { type: 'boolean', description: 'Also match retired traces (default false).' },
      },
    },
  }
}

export interface AddFields {
  readonly content: string
  readonly tags: string[]
  readonly key: string | undefined
}

export interface UpdateFields {
  readonly content: string | undefined
  readonly tags: string[] | undefined
  readonly expectedRev: number | undefined
}

export interface ReviseFields {
  readonly content: string
  readonly tags: string[] | undefined
}

export interface SearchFields {
  /** Distinct query tokens; empty when the search is by tags only. */
  readonly tokens: string[]
  readonly tags: string[]
  readonly limit: number
  readonly includeRetired: boolean
}

export interface MemoryInputs {
  readonly add: (value: unknown) => AddFields
  readonly update: (value: unknown) => UpdateFields
  readonly revise: (value: unknown) => ReviseFields
  readonly search: (value: unknown) => SearchFields
}

interface Body {
  readonly content?: string
  readonly tags?: string[]
  readonly key?: string
  readonly expected_rev?: number
  readonly text?: string
  readonly limit?: number
  readonly include_retired?: boolean
}

const tagsOf = (tags: readonly string[] | undefined) => (tags === undefined ? undefined : normaliseTags(tags))

/** The compiled checks of the four bodies; the route docs publish their schemas. */
export interface MemoryBodyChecks {
  readonly add: BodyCheck<Body & { content: string }>
  readonly update: BodyCheck<Body>
  readonly revise: BodyCheck<Body & { content: string }>
  readonly search: BodyCheck<Body>
}

const compiled = new WeakMap<InputLimits, MemoryBodyChecks>()

/** Compiled once per resolved config, so the routes document the very checks memory runs. */
export function memoryBodyChecks(limits: InputLimits): MemoryBodyChecks {
  let checks = compiled.get(limits)
  if (checks === undefined) {
    const schemas = memoryRequestSchemas(limits)
    checks = {
      add: compileBodySchema(schemas.add),
      update: compileBodySchema(schemas.update),
      revise: compileBodySchema(schemas.revise),
      search: compileBodySchema(schemas.search),
    }
    compiled.set(limits, checks)
  }
  return checks
}

/** Compiles the four schemas once (when memory is created) and returns the parsers built on them. */
export function createMemoryInputs(limits: InputLimits): MemoryInputs {
  const { add: checkAdd, update: checkUpdate, revise: checkRevise, search: checkSearch } = memoryBodyChecks(limits)
  return {
    add(value) {
      const { content, tags, key } = checkAdd(value)
      return { content, tags: tagsOf(tags) ?? [], key }
    },
    update(value) {
      const { content, tags, expected_rev } = checkUpdate(value)
      return { content, tags: tagsOf(tags), expectedRev: expected_rev }
    },
    revise(value) {
      const { content, tags } = checkRevise(value)
      return { content, tags: tagsOf(tags) }
    },
    search(value) {
      const { text, tags, limit, include_retired } = checkSearch(value)
      const tokens = text === undefined ? [] : tokenize(text)
      // What the tokenizer keeps is not a pattern a schema can state: checked after it.
      if (text !== undefined && tokens.length === 0) {
        const message = '$.text must contain at least one letter or digit'
        throw kitErrors.problem('HTTP_INVALID_REQUEST', {
          detail: `1 problem in the request body; first: ${message}`,
          errors: [{ kind: 'format', field: '$.text', reason: 'no_tokens', message }],
        })
      }
      return {
        tokens,
        tags: tagsOf(tags) ?? [],
        limit: limit ?? limits.defaultSearchLimit,
        includeRetired: include_retired ?? false,
      }
    },
  }
}

/** A uid that no trace could ever have is the caller's mistake (400), not a miss (404). */
export function checkUid(uid: unknown, field = 'uid'): string {
  if (isUid(uid)) return uid
  const message = `${field} ${typeof uid === 'string' ? quoteCallerText(uid) : 'is not a string and'} must match ${UID_PATTERN.source}`
  throw memoryErrors.problem('MEMORY_INVALID_UID', {
    detail: message,
    errors: [{ kind: 'format', field, reason: 'invalid_uid', message }],
  })
}
