import { configError } from '@lakehouse/kit'

/** Methods a browser may send cross-origin that must not change state (RFC 9110 §9.2.1). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** What a permitted browser origin may send and read (the grant header is how drift is accepted). */
export interface CorsShape {
  readonly allowHeaders: readonly string[]
  readonly exposeHeaders: readonly string[]
  readonly maxAgeSeconds: number
}

export interface OriginGuard {
  /** Whether a request's origin may change state here: a refusal reason, or undefined. */
  refusal(req: Request): string | undefined
  /** `Access-Control-*` headers for a configured origin, or undefined (no CORS headers at all). */
  corsHeaders(req: Request): Record<string, string> | undefined
  /** A CORS preflight (OPTIONS + Origin + Access-Control-Request-Method) is answered here, before auth. */
  isPreflight(req: Request): boolean
  /** Preflight answer headers, or undefined when the origin is not configured (→ 403). */
  preflightHeaders(req: Request): Record<string, string> | undefined
}

/** Canonical origin text (`https://a.example:443` → `https://a.example`); CONFIG_INVALID otherwise. */
function canonicalOrigin(text: string, setting: string): string {
  if (text === '*') return text
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return configError(setting, `${JSON.stringify(text)} is not an origin such as https://app.example`)
  }
  if (url.origin === 'null' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return configError(setting, `${JSON.stringify(text)} is not an origin (scheme://host[:port], no path)`)
  }
  return url.origin
}

function sameOrigin(origin: string, hostHeader: string | null): boolean {
  if (hostHeader === null) return false
  const host = hostHeader.toLowerCase()
  // TLS terminates in front of Lakehouse (docs/security.md), so the browser may have used https.
  return origin === `http://${host}` || origin === `https://${host}`
}

/**
 * The cross-site request defence. HTML forms and `fetch` with a "simple" content type
 * (multipart, text/plain, urlencoded) reach the server without a CORS preflight, so refusing
 * foreign origins on state-changing methods is what stops any page a user opens from
 * uploading, ingesting or minting here. Clients that are not browsers send no Origin and
 * no Sec-Fetch-Site, and pass.
 */
export function createOriginGuard(allowedOrigins: readonly string[], shape: CorsShape, setting = 'allow-origin'): OriginGuard {
  const origins = new Set(allowedOrigins.map((o) => canonicalOrigin(o, setting)))
  const anyOrigin = origins.has('*')
  const configured = (origin: string | null): boolean =>
    origin !== null && origin !== 'null' && (anyOrigin || origins.has(origin.toLowerCase()))

  return {
    refusal(req) {
      if (SAFE_METHODS.has(req.method)) return undefined
      const origin = req.headers.get('origin')
      if (origin !== null) {
        if (configured(origin) || sameOrigin(origin.toLowerCase(), req.headers.get('host'))) return undefined
        return `${req.method} from origin ${JSON.stringify(origin.slice(0, 120))} is refused; allow it with --allow-origin`
      }
      const site = req.headers.get('sec-fetch-site')
      if (site === 'cross-site' || site === 'same-site')
        return `${req.method} from a ${site} page is refused; allow its origin with --allow-origin`
      return undefined
    },
    corsHeaders(req) {
      const origin = req.headers.get('origin')
      if (origin === null || !configured(origin)) return undefined
      return {
        'access-control-allow-origin': anyOrigin ? '*' : origin,
        'access-control-expose-headers': shape.exposeHeaders.join(', '),
        vary: 'Origin',
      }
    },
    isPreflight(req) {
      return req.method === 'OPTIONS' && req.headers.has('origin') && req.headers.has('access-control-request-method')
    },
    preflightHeaders(req) {
      const origin = req.headers.get('origin')
      if (origin === null || !configured(origin)) return undefined
      return {
        'access-control-allow-origin': anyOrigin ? '*' : origin,
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE',
        'access-control-allow-headers': shape.allowHeaders.join(', '),
        'access-control-max-age': String(shape.maxAgeSeconds),
        vary: 'Origin',
      }
    },
  }
}
