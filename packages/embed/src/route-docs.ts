import type { BodyCheck, BodySchema, ErrorRegistry, RouteDoc } from '@lakehouse/kit'
import { providersErrors } from '@lakehouse/providers'
import { embedErrors } from './errors.ts'
import type { EmbedRequest } from './request-shape.ts'

/**
 * What an embedding can fail with, whoever asked for it: a model nothing serves, or a provider
 * that failed. Vector and matrix embed texts and queries through this service and let these pass
 * through unchanged, so their routes that embed list the same codes.
 */
export const EMBEDDING_ERRORS: readonly string[] = ['EMBED_UNKNOWN_MODEL', ...Object.keys(providersErrors.specs)]

/** Where EMBEDDING_ERRORS are defined, for the route-doc tests of components that embed. */
export const EMBEDDING_ERROR_REGISTRIES: readonly ErrorRegistry<string>[] = [embedErrors, providersErrors]

/** `{model, dim, vectors}` as encodeEmbedResult writes it. */
export const EMBED_RESULT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['model', 'dim', 'vectors'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', description: 'The model that embedded the texts (the default one when none was named).' },
    dim: { type: 'integer', minimum: 1, description: 'Components per vector.' },
    vectors: {
      type: 'array',
      description: 'One vector per text, in text order; float32 values written as the shortest JSON number that reads back to them.',
      items: { type: 'array', items: { type: 'number' } },
    },
  },
}

/** `POST /v1/embed`; the body check carries the configured count and length limits. */
export function embedRouteDoc(check: BodyCheck<EmbedRequest>): RouteDoc {
  return {
    summary: 'Embed texts into vectors',
    description:
      'The built-in `local/lexical-<dim>` model, or a configured provider (`ollama/<model>`, `openai/<model>`); provider failures keep their PROVIDER_* codes (docs/embed.md).',
    body: check,
    responses: { 200: { description: 'One vector per text.', schema: EMBED_RESULT_SCHEMA } },
    errors: EMBEDDING_ERRORS,
  }
}
