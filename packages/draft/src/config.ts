import { type Check, HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, resolveWith } from '@lakehouse/kit'

export interface DraftConfig extends HttpLimits {
  /** Model used by `POST /v1/draft/*` when the request names none; must be routable at create time. */
  readonly defaultModel: string
  /** Most messages one `POST /v1/chat` may carry. */
  readonly maxMessages: number
  /** Largest `max_tokens` a chat request may ask for. */
  readonly maxTokensLimit: number
  /** Temperature sent to a provider when it drafts a body; low, because outreach should read the same twice. */
  readonly providerTemperature: number
  /** `maxTokens` sent to a provider drafting an email body. */
  readonly emailMaxTokens: number
  /** `maxTokens` sent to a provider drafting an SMS (160 characters is about 40 tokens; the rest is slack). */
  readonly smsMaxTokens: number
}

export const draftDefaults: DraftConfig = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 64,
  defaultModel: 'local/template',
  maxMessages: 256,
  maxTokensLimit: 32_768,
  providerTemperature: 0.2,
  emailMaxTokens: 600,
  smsMaxTokens: 120,
})

const temperature: Check<number> = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 2 ? undefined : `must be a number in 0..2, got ${String(v)}`

const modelName: Check<string> = (v) =>
  typeof v === 'string' && /^[a-z]+\/\S+$/.test(v) ? undefined : `must look like <prefix>/<model>, got ${JSON.stringify(v)}`

export function resolveDraftConfig(input?: Partial<DraftConfig>): Readonly<DraftConfig> {
  return resolveWith(
    draftDefaults,
    input,
    {
      ...HTTP_LIMIT_CHECKS,
      defaultModel: modelName,
      maxMessages: intBetween(1, 10_000),
      maxTokensLimit: intBetween(1, 1_000_000),
      providerTemperature: temperature,
      emailMaxTokens: intBetween(16, 1_000_000),
      smsMaxTokens: intBetween(16, 1_000_000),
    },
    'draft.',
  )
}
