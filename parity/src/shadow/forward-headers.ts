/**
 * The headers shadow mode passes on: a client's request headers to each target, and the
 * primary's response headers back to the client. Hop-by-hop headers (RFC 9110 §7.6.1) belong
 * to one connection and are never forwarded; `host` is the target's own (undici sets it).
 */
import type { IncomingHttpHeaders } from 'node:http'

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
])

export type HeaderMap = Record<string, string | string[]>

/**
 * A client's request headers for one target: hop-by-hop headers, `host` and `expect` dropped
 * (undici answers `100-continue` itself), then the target's own headers applied — an empty
 * value removes the header (an `authorization:` with nothing after it sends no token).
 * `keepLength` keeps `content-length`, for a body streamed on as it arrives.
 */
export function requestHeadersFor(incoming: IncomingHttpHeaders, own: Readonly<Record<string, string>>, keepLength: boolean): HeaderMap {
  const out: HeaderMap = {}
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'host' || name === 'expect') continue
    if (name === 'content-length' && !keepLength) continue
    out[name] = value
  }
  for (const [name, value] of Object.entries(own)) {
    const key = name.toLowerCase()
    if (value === '') delete out[key]
    else out[key] = value
  }
  return out
}

/** The primary's response headers as the client gets them: all but the hop-by-hop ones. */
export function responseHeadersFrom(headers: Readonly<Record<string, string | string[] | undefined>>): HeaderMap {
  const out: HeaderMap = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value
  return out
}

/** Lower-case names, repeated headers joined with ", " — as `Observed` and `Exchange` keep them. */
export function flatHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return out
}
