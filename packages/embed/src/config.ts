import { HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, resolveWith } from '@lakehouse/kit'

export interface EmbedConfig extends HttpLimits {
  /** Dimension of the default built-in model: the default model is `local/lexical-<dim>`. */
  readonly dim: number
  /** Most texts one `POST /v1/embed` may carry; also the batch size used towards providers. */
  readonly maxTexts: number
  /** Longest text accepted, in characters (Unicode code points, as JSON Schema's maxLength counts). */
  readonly maxTextChars: number
}

export const embedDefaults: EmbedConfig = Object.freeze({
  dim: 384,
  maxTexts: 256,
  maxTextChars: 32_768,
  // 256 texts × 32,768 ASCII characters is 8 MiB of JSON; twice that leaves room for escapes and non-ASCII.
  maxBodyBytes: 16 * 1024 * 1024,
  // `{texts: [...]}` nests 2 deep; a little slack, but no reason to parse deep structures.
  maxJsonDepth: 8,
})

/** The dimensions a built-in model may have. */
export const LEXICAL_MIN_DIM = 8
export const LEXICAL_MAX_DIM = 4096

export function resolveEmbedConfig(input?: Partial<EmbedConfig>): Readonly<EmbedConfig> {
  return resolveWith(
    embedDefaults,
    input,
    {
      dim: intBetween(LEXICAL_MIN_DIM, LEXICAL_MAX_DIM),
      maxTexts: intBetween(1, 100_000),
      maxTextChars: intBetween(1, 16 * 1024 * 1024),
      ...HTTP_LIMIT_CHECKS,
    },
    'embed.',
  )
}
