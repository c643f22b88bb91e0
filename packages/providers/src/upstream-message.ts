/** Longest upstream error text quoted in a PROVIDER_REJECTED detail. */
const MAX_QUOTED_CHARS = 300

function messageOf(text: string): string {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return text // not JSON: quote the text itself
  }
  // OpenAI: {error: {message}}; Ollama: {error: "…"}; others: {message}.
  const { error, message } = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown }
  if (typeof error === 'string') return error
  const nested = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined
  if (typeof nested === 'string') return nested
  return typeof message === 'string' ? message : text
}

/**
 * The human part of an upstream error body, on one line, at most 300 characters, with the API
 * key cut out: some servers quote the Authorization header they rejected.
 */
export function quoteUpstreamError(text: string, apiKey: string | undefined): string {
  const flat = messageOf(text)
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
  const safe = apiKey === undefined ? flat : flat.split(apiKey).join('[redacted]')
  if (safe === '') return '(empty body)'
  return safe.length > MAX_QUOTED_CHARS ? `${safe.slice(0, MAX_QUOTED_CHARS)}…` : safe
}
