import { type Logger, SILENT_LOGGER } from '@lakehouse/kit'
import { resolveEndpoint } from './endpoint.ts'
import { createJsonTransport } from './http-transport.ts'
import { ollamaProtocol } from './ollama-protocol.ts'
import { openaiProtocol } from './openai-protocol.ts'
import type { Protocol } from './protocol.ts'
import type { ProviderClient, ProviderEndpoint, ProviderKind } from './types.ts'

export interface ProviderClientDeps {
  /** Receives one `warn` line per retry; errors themselves are thrown, for the edge to log once. */
  readonly logger?: Logger
  /** Waits between attempts; tests inject one that records the requested waits and returns at once. */
  readonly sleep?: (ms: number) => Promise<void>
  /** Jitter source in [0, 1) for backoff without Retry-After. */
  readonly random?: () => number
  /** Clock for HTTP-date Retry-After values, in epoch milliseconds. */
  readonly now?: () => number
}

const PROTOCOLS: Readonly<Record<ProviderKind, Protocol>> = { ollama: ollamaProtocol, openai: openaiProtocol }

// A retry wait is awaited by a caller, so the timer must keep the process alive until it fires.
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A client for one model server. The endpoint is checked here (CONFIG_INVALID at boot); the
 * connection pool opens lazily on the first call. Throws PROVIDER_* problems (5xx) on failure.
 */
export function createProviderClient(endpoint: ProviderEndpoint, deps: ProviderClientDeps = {}): ProviderClient {
  const resolved = resolveEndpoint(endpoint)
  const protocol = PROTOCOLS[resolved.kind]
  const transport = createJsonTransport(resolved, {
    logger: deps.logger ?? SILENT_LOGGER,
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
    now: deps.now ?? Date.now,
  })
  const embedLabel = `${resolved.kind} POST ${protocol.embedPath}`
  const chatLabel = `${resolved.kind} POST ${protocol.chatPath}`

  return {
    kind: resolved.kind,
    async embed(model, texts) {
      // Nothing to ask, and OpenAI rejects an empty `input`.
      if (texts.length === 0) return []
      const json = await transport.postJson(protocol.embedPath, protocol.embedBody(model, texts))
      return protocol.embedVectors(embedLabel, json, texts.length)
    },
    async chat(model, messages, options = {}) {
      const json = await transport.postJson(protocol.chatPath, protocol.chatBody(model, messages, options))
      return protocol.chatCompletion(chatLabel, json)
    },
    close: () => transport.close(),
  }
}
