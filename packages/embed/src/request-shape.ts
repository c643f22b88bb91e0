import type { ProblemEntry } from '@lakehouse/kit'
import type { EmbedConfig } from './config.ts'
import { embedErrors } from './errors.ts'
import { MAX_MODEL_NAME_CHARS } from './model-route.ts'

export interface EmbedRequest {
  readonly texts: readonly string[]
  readonly model: string | undefined
}

/** Enough entries to fix a request; 256 identical "too long" entries would drown the first one. */
const MAX_ENTRIES = 20
const MEMBERS = new Set(['texts', 'model'])

/**
 * Checks a parsed `POST /v1/embed` body. Every problem found becomes an entry (up to 20), so a
 * client fixes its request in one round trip; any entry → 400 EMBED_INVALID_REQUEST.
 */
export function parseEmbedRequest(body: unknown, config: Readonly<EmbedConfig>): EmbedRequest {
  const errors: ProblemEntry[] = []
  const fail = (kind: string, field: string, reason: string, message: string) => {
    if (errors.length < MAX_ENTRIES) errors.push({ kind, field, reason, message })
  }

  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail('schema', '$', 'type', '$ must be an object {texts, model?}')
  } else {
    const record = body as Record<string, unknown>
    const { texts, model } = record
    if (texts === undefined) fail('schema', '$.texts', 'required', '$.texts is required')
    else if (!Array.isArray(texts)) fail('schema', '$.texts', 'type', '$.texts must be an array of strings')
    else if (texts.length === 0) fail('length', '$.texts', 'too_few', '$.texts must hold at least 1 text')
    else if (texts.length > config.maxTexts) fail('length', '$.texts', 'too_many', `$.texts must hold at most ${config.maxTexts} texts`)
    else {
      for (let i = 0; i < texts.length; i++) {
        const text: unknown = texts[i]
        if (typeof text !== 'string') fail('schema', `$.texts[${i}]`, 'type', `$.texts[${i}] must be a string`)
        else if (text.length > config.maxTextChars) {
          fail('length', `$.texts[${i}]`, 'too_long', `$.texts[${i}] must be at most ${config.maxTextChars} characters`)
        }
      }
    }
    if (model !== undefined) {
      if (typeof model !== 'string') fail('schema', '$.model', 'type', '$.model must be a string')
      else if (model.length === 0 || model.length > MAX_MODEL_NAME_CHARS) {
        fail('length', '$.model', 'length', `$.model must be 1..${MAX_MODEL_NAME_CHARS} characters`)
      }
    }
    for (const key of Object.keys(record)) {
      if (!MEMBERS.has(key)) fail('schema', `$.${key}`, 'additional_property', `$.${key} is not allowed; expected only texts and model`)
    }
  }

  const [first] = errors
  if (first !== undefined) {
    throw embedErrors.problem('EMBED_INVALID_REQUEST', {
      detail: `embed request is invalid (${errors.length}${errors.length === MAX_ENTRIES ? '+' : ''} ${errors.length === 1 ? 'error' : 'errors'}); first: ${first.message}`,
      errors,
    })
  }
  const { texts, model } = body as { texts: string[]; model?: string }
  return { texts, model }
}
