import { configError, intBetween, oneOf } from '@lakehouse/kit'
import type { ProviderEndpoint, ProviderKind } from './types.ts'

export const PROVIDER_KINDS: readonly ProviderKind[] = ['ollama', 'openai']

export const providerEndpointDefaults = Object.freeze({
  /** Per attempt: connect, first byte and whole body must all fit in it. */
  timeoutMs: 30_000,
  /** So at most 4 attempts per call. */
  maxRetries: 3,
})

/** A checked endpoint, split into what undici's Pool wants (origin) and what each request path is prefixed with. */
export interface ResolvedEndpoint {
  readonly kind: ProviderKind
  /** `http://host:port`, no trailing slash. */
  readonly origin: string
  /** Path of the base URL without a trailing slash: '' for Ollama at the root, '/v1' for most OpenAI-compatible servers. */
  readonly basePath: string
  readonly apiKey: string | undefined
  readonly timeoutMs: number
  readonly maxRetries: number
}

/** Validates an endpoint at boot; anything wrong is CONFIG_INVALID naming the key, never echoing the API key. */
export function resolveEndpoint(endpoint: ProviderEndpoint): ResolvedEndpoint {
  const prefix = `providers.${String(endpoint.kind)}.`
  const kindProblem = oneOf(...PROVIDER_KINDS)(endpoint.kind)
  if (kindProblem !== undefined) configError(`${prefix}kind`, kindProblem)

  let url: URL
  try {
    url = new URL(endpoint.baseUrl)
  } catch {
    return configError(`${prefix}baseUrl`, `not an absolute URL: ${JSON.stringify(String(endpoint.baseUrl))}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') configError(`${prefix}baseUrl`, `must be http or https, got ${url.protocol}`)
  // Credentials in the URL would travel into logs and error details with it; apiKey is the one place for a secret.
  if (url.username !== '' || url.password !== '') configError(`${prefix}baseUrl`, 'must not carry credentials; use apiKey')
  if (url.search !== '' || url.hash !== '') configError(`${prefix}baseUrl`, 'must not have a query or fragment')

  const timeoutMs = endpoint.timeoutMs ?? providerEndpointDefaults.timeoutMs
  const timeoutProblem = intBetween(1, 600_000)(timeoutMs)
  if (timeoutProblem !== undefined) configError(`${prefix}timeoutMs`, timeoutProblem)
  const maxRetries = endpoint.maxRetries ?? providerEndpointDefaults.maxRetries
  const retriesProblem = intBetween(0, 10)(maxRetries)
  if (retriesProblem !== undefined) configError(`${prefix}maxRetries`, retriesProblem)
  if (endpoint.apiKey !== undefined && (typeof endpoint.apiKey !== 'string' || /[\r\n]/.test(endpoint.apiKey))) {
    configError(`${prefix}apiKey`, 'must be a single-line string')
  }

  return Object.freeze({
    kind: endpoint.kind,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    apiKey: endpoint.apiKey === '' ? undefined : endpoint.apiKey,
    timeoutMs,
    maxRetries,
  })
}
