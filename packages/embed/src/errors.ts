import { defineErrors } from '@lakehouse/kit'

/**
 * Embed's own codes. Failures of a remote model server keep their providers codes
 * (PROVIDER_UNAVAILABLE, PROVIDER_TIMEOUT, PROVIDER_BAD_RESPONSE, PROVIDER_REJECTED), so a
 * caller sees the same code whichever component reached the provider.
 */
export const embedErrors = defineErrors('embed', {
  EMBED_UNKNOWN_MODEL: {
    status: 400,
    title: 'Unknown Embedding Model',
    description:
      '`model` is not `local/lexical-<8..4096>` and its prefix (`ollama/`, `openai/`, …) names no configured provider; `detail` lists what is available.',
  },
})

export type EmbedErrorCode = keyof typeof embedErrors.specs
