import { configError, type Handler, type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import type { ProviderClient } from '@lakehouse/providers'
import { type EmbedConfig, resolveEmbedConfig } from './config.ts'
import { createEmbedCore } from './embed.ts'
import { createEmbedHandler } from './routes.ts'
import type { Embedder, EmbedResult } from './types.ts'

export interface EmbedDeps {
  /**
   * Provider clients keyed by model prefix: `{ollama: …}` serves `ollama/<model>`, `{openai: …}`
   * serves `openai/<model>`. Owned by the caller, which closes them; `local` is reserved.
   */
  readonly providers?: Readonly<Record<string, ProviderClient>>
  readonly logger?: Logger
}

export interface EmbedService extends Embedder {
  /** Serves `POST /v1/embed` on its full path. */
  readonly handler: Handler
  /** `local/lexical-<config.dim>`, `local/lexical-384` by default. */
  readonly defaultModel: string
  /** Vectors in text order. Throws EMBED_UNKNOWN_MODEL / HTTP_INVALID_REQUEST (400, a text that is not a string or too long) or a PROVIDER_* problem (5xx). */
  embed(texts: readonly string[], model?: string): Promise<EmbedResult>
  close(): Promise<void>
}

const PREFIX = /^[a-z][a-z0-9-]*$/

export function createEmbedService(config?: Partial<EmbedConfig>, deps: EmbedDeps = {}): EmbedService {
  const resolved = resolveEmbedConfig(config)
  const providers = { ...deps.providers }
  for (const prefix of Object.keys(providers)) {
    if (prefix === 'local' || !PREFIX.test(prefix))
      configError(`embed.providers.${prefix}`, 'a provider prefix must be lower-case [a-z0-9-], not "local"')
  }
  const core = createEmbedCore(resolved, providers)
  ;(deps.logger ?? SILENT_LOGGER).info('embed ready', {
    component: 'embed',
    defaultModel: core.defaultModel,
    providers: Object.keys(providers).sort(),
    config: resolved,
  })
  return {
    handler: createEmbedHandler(core, resolved),
    defaultModel: core.defaultModel,
    embed: (texts, model) => core.embed(texts, model),
    async close() {
      core.close()
    },
  }
}
