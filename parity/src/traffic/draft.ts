/**
 * A recorded exchange on its way to a case step: the request taken apart into the pieces a
 * step writes (path segments, query, kept headers, body) so captures can put `{{var}}` into
 * exactly one whole token, and redaction and folding can look at values and shapes.
 */
import type { Exchange } from './exchange.ts'
import { type RedactionRules, redactHeaders, redactJson } from './redact.ts'

export type DraftBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: Buffer }

export interface Draft {
  /** Position in the exchange list (0-based): names captures (`etag_3`) and fixtures. */
  readonly index: number
  readonly exchange: Exchange
  readonly method: string
  /** The path split on `/` (raw, still percent-encoded); the first element is the empty string before the leading slash. */
  segments: string[]
  /** Set when the whole path became one variable (a captured `location`). */
  wholePath?: string
  /** Decoded query pairs, or undefined when the query is kept verbatim in the path (repeated keys). */
  query?: [string, string][]
  /** The query string as sent, when it cannot be a `query:` map. */
  rawQuery?: string
  headers: Record<string, string>
  body: DraftBody
  /** Variables this step's response defines: name → where to read them. */
  readonly capture: Record<string, { from: 'body' | 'header'; path: string }>
  /** True when the request uses a captured value. */
  usesCapture: boolean
}

/**
 * Request headers that describe what is asked for, kept; the rest (hop-by-hop, browser and
 * proxy noise: host, content-length, connection, accept-encoding, user-agent, cookies without
 * meaning to another service, `sec-*`, HTTP/2 pseudo headers) would make targets answer
 * differently for reasons that are not the service's.
 */
const KEPT_HEADERS = new Set([
  'content-type',
  'accept',
  'accept-language',
  'if-match',
  'if-none-match',
  'prefer',
  'range',
  'idempotency-key',
])
const DROPPED_X = /^x-(forwarded-|real-ip$|amzn-trace-id$|b3-|cloud-trace-context$)/

export function keepHeader(name: string, extra: ReadonlySet<string>): boolean {
  if (extra.has(name) || KEPT_HEADERS.has(name)) return true
  return name.startsWith('x-') && !DROPPED_X.test(name)
}

function splitTarget(target: string): { path: string; query: string | undefined } {
  const bare = target.replace(/#.*$/s, '')
  const q = bare.indexOf('?')
  return q < 0 ? { path: bare, query: undefined } : { path: bare.slice(0, q), query: bare.slice(q + 1) }
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

/** `a=1&b=x` → pairs; undefined when a key repeats or a part does not decode (then the query stays in the path). */
function parseQuery(query: string): [string, string][] | undefined {
  const pairs: [string, string][] = []
  const seen = new Set<string>()
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const key = decode(eq < 0 ? part : part.slice(0, eq))
    const value = decode(eq < 0 ? '' : part.slice(eq + 1))
    if (key === undefined || value === undefined || key === '' || seen.has(key)) return undefined
    seen.add(key)
    pairs.push([key, value])
  }
  return pairs
}

function draftBody(e: Exchange): DraftBody {
  const b = e.requestBody
  switch (b.kind) {
    case 'empty':
      return { kind: 'none' }
    case 'json':
      try {
        return { kind: 'json', value: JSON.parse(b.text) }
      } catch {
        return { kind: 'text', text: b.text }
      }
    case 'text':
      return b.text === '' ? { kind: 'none' } : { kind: 'text', text: b.text }
    case 'binary':
      return b.size === 0 ? { kind: 'none' } : { kind: 'binary', bytes: Buffer.from(b.base64, 'base64') }
  }
}

/** One exchange → a draft with kept, redacted headers and a redacted body; `redactions` counts what was touched. */
export function draftOf(
  e: Exchange,
  index: number,
  rules: RedactionRules,
  keep: ReadonlySet<string>,
): { draft: Draft; redactions: number } {
  const { path, query } = splitTarget(e.target)
  const pairs = query === undefined ? undefined : parseQuery(query)
  const filtered: Record<string, string> = {}
  for (const [k, v] of Object.entries(e.requestHeaders)) {
    const name = k.toLowerCase()
    if (keepHeader(name, keep) || rules.headers.has(name)) filtered[name] = v
  }
  const redacted = redactHeaders(filtered, rules)
  const body = draftBody(e)
  const bodyRedactions = body.kind === 'json' ? redactJson(body.value, rules) : 0
  const draft: Draft = {
    index,
    exchange: e,
    method: e.method.toUpperCase(),
    segments: path.split('/'),
    ...(pairs === undefined ? (query === undefined || query === '' ? {} : { rawQuery: query }) : { query: pairs }),
    headers: redacted.headers,
    body,
    capture: {},
    usesCapture: false,
  }
  return { draft, redactions: redacted.count + bodyRedactions }
}

/** The path a step writes: segments joined, or the whole-path variable; a verbatim query appended. */
export function stepPath(d: Draft): string {
  const path = d.wholePath ?? (d.segments.join('/') || '/')
  return d.rawQuery === undefined ? path : `${path}?${d.rawQuery}`
}
