import { HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, resolveWith } from '@lakehouse/kit'

export interface ValidatorConfig extends HttpLimits {
  /** Most items one `POST /v1/validate/batch` may carry. */
  readonly maxBatchItems: number
  /** Most error entries reported for one payload; the rest are dropped and `errors_truncated` is set. */
  readonly maxErrors: number
  /** Compiled caller schemas (kind `schema`) kept, least recently used evicted first. */
  readonly schemaCacheSize: number
  /**
   * Work units one request may spend on caller patterns (kind `schema`, RE2): matching costs
   * program size × (characters + 1), compiling 5000 per instruction. The default keeps the
   * worst measured case near 0.1–0.3 s of CPU (docs/validator.md, "Regular expressions").
   */
  readonly maxPatternWork: number
}

export const validatorDefaults: ValidatorConfig = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 64,
  maxBatchItems: 500,
  maxErrors: 100,
  schemaCacheSize: 256,
  maxPatternWork: 10_000_000,
})

export function resolveValidatorConfig(input?: Partial<ValidatorConfig>): Readonly<ValidatorConfig> {
  return resolveWith(
    validatorDefaults,
    input,
    {
      ...HTTP_LIMIT_CHECKS,
      maxBatchItems: intBetween(1, 100_000),
      maxErrors: intBetween(1, 100_000),
      schemaCacheSize: intBetween(1, 100_000),
      maxPatternWork: intBetween(1000, 1_000_000_000_000),
    },
    'validator.',
  )
}
