import { isProblem, type Logger, type Problem } from '@lakehouse/kit'
// The file path, not the bare name: Bun 1.4 answers `import 'undici'` with its own partial shim
// (a Pool whose request() does nothing, a request() built on fetch with no timeouts), while a
// path into the package loads the real undici on both runtimes (see docs/embed.md, Providers).
import { Pool } from 'undici/index.js'
import type { ResolvedEndpoint } from './endpoint.ts'
import { providersErrors } from './errors.ts'
import { backoffMs, parseRetryAfterMs, retryWaitMs } from './retry-policy.ts'
import { quoteUpstreamError } from './upstream-message.ts'

export interface TransportDeps {
  readonly logger: Logger
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  readonly now: () => number
}

/** POSTs JSON to one model server and returns the parsed JSON of a 2xx answer, retrying what retrying can fix. */
export interface JsonTransport {
  postJson(path: string, payload: unknown): Promise<unknown>
  close(): Promise<void>
}

/** Keeps a runaway upstream from filling memory: 256 texts × 4096 dims as JSON text is ≈ 20 MB. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024
/** Concurrent sockets per model server; further calls queue in the pool. */
const POOL_CONNECTIONS = 16
/** Retry-After sent with PROVIDER_UNAVAILABLE when the upstream gave none (it was unreachable or did not say). */
const UNAVAILABLE_RETRY_AFTER_S = 5
const MAX_ADVERTISED_RETRY_AFTER_S = 3600

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])
// Abort reasons are compared by identity, so a server can never fake one.
const DEADLINE = Symbol('deadline')
const CLOSED = Symbol('closed')

type Retryable =
  | { readonly reason: 'status'; readonly status: number; readonly retryAfter: string | undefined }
  | { readonly reason: 'timeout' }
  | { readonly reason: 'connection'; readonly errorCode: string }

type Attempt = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failure: Retryable }

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown'
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function createJsonTransport(endpoint: ResolvedEndpoint, deps: TransportDeps): JsonTransport {
  const { kind, timeoutMs, maxRetries, apiKey } = endpoint
  const pool = new Pool(endpoint.origin, {
    connections: POOL_CONNECTIONS,
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    maxResponseSize: MAX_RESPONSE_BYTES,
  })
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`
  const closing = new AbortController()

  const closedProblem = (): Problem =>
    providersErrors.problem('PROVIDER_UNAVAILABLE', {
      detail: `${kind} provider client is closed`,
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) },
      extensions: { provider: kind },
    })

  async function attempt(label: string, path: string, body: string): Promise<Attempt> {
    const attemptAbort = new AbortController()
    const forwardClose = () => attemptAbort.abort(CLOSED)
    closing.signal.addEventListener('abort', forwardClose, { once: true })
    // One deadline over connect, headers and body together; undici's own timeouts bound each phase.
    const timer = setTimeout(() => attemptAbort.abort(DEADLINE), timeoutMs)
    timer.unref()
    try {
      const res = await pool.request({ path, method: 'POST', headers, body, signal: attemptAbort.signal })
      if (res.statusCode === 429 || res.statusCode === 503) {
        await res.body.dump()
        return { ok: false, failure: { reason: 'status', status: res.statusCode, retryAfter: header(res.headers['retry-after']) } }
      }
      const text = await res.body.text()
      if (res.statusCode < 200 || res.statusCode > 299) {
        throw providersErrors.problem('PROVIDER_REJECTED', {
          detail: `${label} answered ${res.statusCode}: ${quoteUpstreamError(text, apiKey)}`,
          extensions: { provider: kind, upstream_status: res.statusCode },
        })
      }
      try {
        return { ok: true, value: JSON.parse(text) }
      } catch {
        // No cause: engines quote the start of the body in their SyntaxError, and the body may echo the key.
        throw providersErrors.problem('PROVIDER_BAD_RESPONSE', { detail: `${label} answered with a body that is not JSON` })
      }
    } catch (err) {
      if (isProblem(err)) throw err
      const reason: unknown = attemptAbort.signal.reason
      if (reason === CLOSED) throw closedProblem()
      const code = errorCode(err)
      if (reason === DEADLINE || TIMEOUT_CODES.has(code)) return { ok: false, failure: { reason: 'timeout' } }
      if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        throw providersErrors.problem('PROVIDER_BAD_RESPONSE', {
          detail: `${label} answered with more than ${MAX_RESPONSE_BYTES} bytes`,
          cause: err,
        })
      }
      // Refused, reset, closed mid-answer, DNS: a restarting server looks like this, so it is worth another attempt.
      return { ok: false, failure: { reason: 'connection', errorCode: code } }
    } finally {
      clearTimeout(timer)
      closing.signal.removeEventListener('abort', forwardClose)
    }
  }

  function exhausted(label: string, failure: Retryable, attempts: number): Problem {
    const extensions = { provider: kind, attempts }
    if (failure.reason === 'timeout') {
      return providersErrors.problem('PROVIDER_TIMEOUT', {
        detail: `${label} did not answer within ${timeoutMs} ms (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`,
        extensions: { ...extensions, timeout_ms: timeoutMs },
      })
    }
    if (failure.reason === 'connection') {
      return providersErrors.problem('PROVIDER_UNAVAILABLE', {
        detail: `${label} could not be reached (${failure.errorCode}) after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`,
        headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) },
        extensions,
      })
    }
    // Pass the upstream's own estimate on (it knows its load better than we do), within an hour.
    const askedMs = parseRetryAfterMs(failure.retryAfter, deps.now())
    const retryAfterS =
      askedMs === undefined ? UNAVAILABLE_RETRY_AFTER_S : Math.min(MAX_ADVERTISED_RETRY_AFTER_S, Math.max(1, Math.ceil(askedMs / 1000)))
    return providersErrors.problem('PROVIDER_UNAVAILABLE', {
      detail: `${label} answered ${failure.status} on each of ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`,
      headers: { 'retry-after': String(retryAfterS) },
      extensions: { ...extensions, upstream_status: failure.status },
    })
  }

  return {
    async postJson(path, payload) {
      const fullPath = endpoint.basePath + path
      const label = `${kind} POST ${path}`
      const body = JSON.stringify(payload)
      for (let retry = 0; ; retry++) {
        if (closing.signal.aborted) throw closedProblem()
        const outcome = await attempt(label, fullPath, body)
        if (outcome.ok) return outcome.value
        const { failure } = outcome
        if (retry >= maxRetries) throw exhausted(label, failure, retry + 1)
        const waitMs =
          failure.reason === 'status' ? retryWaitMs(retry, failure.retryAfter, deps.now(), deps.random) : backoffMs(retry, deps.random)
        deps.logger.warn('provider call failed; retrying', {
          component: 'providers',
          provider: kind,
          path,
          attempt: retry + 1,
          reason: failure.reason,
          ...(failure.reason === 'status' ? { status: failure.status } : {}),
          ...(failure.reason === 'connection' ? { code: failure.errorCode } : {}),
          waitMs,
        })
        await deps.sleep(waitMs)
      }
    },
    async close() {
      if (closing.signal.aborted) return
      closing.abort()
      await pool.destroy()
    },
  }
}
