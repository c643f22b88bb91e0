import { type BodyCheck, type BodySchema, compileBodySchema } from '@lakehouse/kit'
import { type EmbedConfig, embedDefaults } from './config.ts'
import { MAX_MODEL_NAME_CHARS } from './model-route.ts'

export interface EmbedRequest {
  readonly texts: readonly string[]
  readonly model: string | undefined
}

/** The texts an embedding takes: strings of at most maxTextChars code points (in-process callers too). */
export function embedTextsSchema(maxTextChars: number): BodySchema {
  return {
    type: 'array',
    items: { type: 'string', maxLength: maxTextChars, description: `One text, at most ${maxTextChars} characters (code points).` },
    description: 'The texts to embed; the vectors come back in this order.',
  }
}

/**
 * `POST /v1/embed`: `{texts, model?}`. The count and length limits are configuration
 * (maxTexts, maxTextChars), so the schema is built, and compiled, when the service is created.
 */
export function embedRequestSchema(config: Pick<EmbedConfig, 'maxTexts' | 'maxTextChars'>): BodySchema {
  return {
    type: 'object',
    required: ['texts'],
    additionalProperties: false,
    properties: {
      texts: { ...embedTextsSchema(config.maxTextChars), minItems: 1, maxItems: config.maxTexts },
      model: {
        type: 'string',
        minLength: 1,
        maxLength: MAX_MODEL_NAME_CHARS,
        description: '`local/lexical-<dim>` or `<provider>/<model>`; defaults to `local/lexical-<dim>` of the configuration.',
      },
    },
  }
}

/** The schema with the default configuration, for the docs and the OpenAPI document. */
export const EMBED_REQUEST_SCHEMA: BodySchema = embedRequestSchema(embedDefaults)

/** A body that does not fit → 400 HTTP_INVALID_REQUEST listing every problem (kit). */
export function embedRequestParser(config: Readonly<EmbedConfig>): BodyCheck<EmbedRequest> {
  return compileBodySchema<EmbedRequest>(embedRequestSchema(config))
}
