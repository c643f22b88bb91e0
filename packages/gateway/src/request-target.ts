import { resolveDotSegments } from './dot-segments.ts'

/** The request as the components see it, with the path the gateway routes on. */
export interface Target {
  readonly req: Request
  readonly path: string
}

// RFC 9110 §7.2 Host = uri-host [ ":" port ]: a reg-name or an IPv4 or bracketed IPv6 literal.
const HOST_SYNTAX = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * An `http:` URL the WHATWG parser returns unchanged: a lower-case name whose labels start with
 * a letter (so never read as an IPv4 number, never punycode) or a canonical dotted quad; a port
 * without leading zeros; path and query characters it encodes nothing of (no `%`, `\`, `'` in the
 * query, fragment or space). Dot segments are checked apart. What every client we know sends
 * (`http://127.0.0.1:8080/v1/validate`) matches, and skips a parse, a serialisation and a compare
 * per request; anything else takes the full path below.
 */
const NORMAL_URL =
  /^http:\/\/(?:[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::([1-9]\d{0,4}))?(\/[A-Za-z0-9._~!$&()*+,;=:@/-]*)(?:\?[A-Za-z0-9._~!$&()*+,;=:@/?%-]*)?$/

function normalPath(url: string): string | undefined {
  const m = NORMAL_URL.exec(url)
  if (m === null) return undefined
  const port = m[1]
  if (port !== undefined && (port === '80' || Number(port) > 65_535)) return undefined
  const path = m[2] as string
  if (path.includes('/.') || url.includes('xn--')) return undefined
  return path
}

/**
 * The request with an absolute, normalised URL, or undefined when its URL cannot be one.
 * Bun hands over a relative URL when the request has no Host or an empty one (HTTP/1.0): it
 * is served against `localhost`, as Node fills in its own host. Node's adapter passes dot
 * segments through after a `/.x` segment (`/v1/vector/indexes/.tmp/items/..`) where Bun has
 * resolved them: both now reach the components as the WHATWG parser resolves them. A malformed
 * Host (`[::1`, `a:`, `user@a`) is undefined, answered 400 — as Node's adapter does for most.
 */
export function requestTarget(req: Request): Target | undefined {
  const host = req.headers.get('host')
  if (host !== null && host !== '' && !HOST_SYNTAX.test(host)) return undefined
  const fast = normalPath(req.url)
  if (fast !== undefined) return { req, path: fast }
  let url: URL
  if (URL.canParse(req.url)) url = new URL(req.url)
  else if (req.url.startsWith('/') && URL.canParse(req.url, 'http://localhost')) url = new URL(req.url, 'http://localhost')
  else return undefined
  const resolved = resolveDotSegments(url.pathname)
  if (resolved !== url.pathname) url.pathname = resolved
  if (url.href === req.url) return { req, path: url.pathname }
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: req.headers, signal: req.signal }
  if (req.body !== null) {
    init.body = req.body
    init.duplex = 'half'
  }
  return { req: new Request(url, init), path: url.pathname }
}
