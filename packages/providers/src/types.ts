/**
 * The provider seam shared by embed (embeddings) and draft (chat): remote model servers
 * reached over HTTP. Shared contract — change deliberately.
 */

export type ProviderKind = 'ollama' | 'openai'

export interface ProviderEndpoint {
  readonly kind: ProviderKind
  /** e.g. http://127.0.0.1:11434 (Ollama) or http://127.0.0.1:8000/v1 (OpenAI-compatible). */
  readonly baseUrl: string
  /** Bearer token for OpenAI-compatible servers; never logged or echoed. */
  readonly apiKey?: string
  /** Per attempt: connect + headers + body. */
  readonly timeoutMs?: number
  /** Retries on 429/503 (honouring Retry-After) and on connection errors. */
  readonly maxRetries?: number
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant'
  readonly content: string
}

export interface ChatOptions {
  readonly temperature?: number
  readonly maxTokens?: number
}

export interface ChatCompletion {
  readonly content: string
  readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number }
}

export interface EmbeddingProvider {
  /** One vector per text, in order. */
  embed(model: string, texts: readonly string[]): Promise<number[][]>
}

export interface ChatProvider {
  chat(model: string, messages: readonly ChatMessage[], options?: ChatOptions): Promise<ChatCompletion>
}

export interface ProviderClient extends EmbeddingProvider, ChatProvider {
  readonly kind: ProviderKind
  close(): Promise<void>
}
