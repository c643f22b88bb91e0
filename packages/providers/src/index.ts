export { createProviderClient, type ProviderClientDeps } from './client.ts'
export { PROVIDER_KINDS, providerEndpointDefaults } from './endpoint.ts'
export { type ProvidersErrorCode, providersErrors } from './errors.ts'
export { backoffMs, MAX_RETRY_WAIT_MS, parseRetryAfterMs, RETRY_BASE_MS, retryWaitMs } from './retry-policy.ts'
export type {
  ChatCompletion,
  ChatMessage,
  ChatOptions,
  ChatProvider,
  EmbeddingProvider,
  ProviderClient,
  ProviderEndpoint,
  ProviderKind,
} from './types.ts'
