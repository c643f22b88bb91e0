/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) → exchanges: the shape Chromium
 * and Firefox devtools export ("Save all as HAR"). Only one origin is kept — a page load also
 * fetches fonts, analytics and CDN assets from elsewhere, which are not the service under
 * test — and entries that never reached a server (status 0: blocked, cancelled) or are not
 * HTTP (`data:`, `blob:`, `chrome-extension:`, `ws:`) are skipped, each with its reason.
 */
import { Ajv, type ErrorObject } from 'ajv'
import type { ObservedBody } from '../model.ts'
import type { Exchange } from './exchange.ts'

/** The members the importer reads; everything else in a HAR (timings, cache, cookies, pages) is allowed and ignored. */
const NAME_VALUE = {
  type: 'object',
  required: ['name', 'value'],
  properties: { name: { type: 'string' }, value: { type: 'string' } },
} as const

const HAR_SCHEMA = {
  type: 'object',
  required: ['log'],
  properties: {
    log: {
      type: 'object',
      required: ['entries'],
      properties: {
        version: { type: 'string' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['startedDateTime', 'request', 'response'],
            properties: {
              startedDateTime: { type: 'string', minLength: 1 },
              time: { type: 'number' },
              request: {
                type: 'object',
                required: ['method', 'url', 'headers'],
                properties: {
                  method: { type: 'string', minLength: 1 },
                  url: { type: 'string', minLength: 1 },
                  headers: { type: 'array', items: NAME_VALUE },
                  queryString: { type: 'array', items: NAME_VALUE },
                  postData: {
                    type: 'object',
                    properties: {
                      mimeType: { type: 'string' },
                      text: { type: 'string' },
                      params: {
                        type: 'array',
                        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
                      },
                    },
                  },
                },
              },
              response: {
                type: 'object',
                required: ['status', 'headers'],
                properties: {
                  status: { type: 'integer', minimum: 0, maximum: 999 },
                  headers: { type: 'array', items: NAME_VALUE },
                  content: {
                    type: 'object',
                    properties: { mimeType: { type: 'string' }, text: { type: 'string' }, encoding: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const

const validateHar = new Ajv({ allErrors: true, strict: true }).compile(HAR_SCHEMA)

type NameValue = { name: string; value: string }
interface HarEntry {
  startedDateTime: string
  time?: number
  request: {
    method: string
    url: string
    headers: NameValue[]
    postData?: { mimeType?: string; text?: string; params?: { name: string; value?: string }[] }
  }
  response: { status: number; headers: NameValue[]; content?: { mimeType?: string; text?: string; encoding?: string } }
}

/** A HAR that cannot be read: names the file's problem (the JSON path into it), exit 2. */
export class HarFormatError extends Error {
  override readonly name = 'HarFormatError'
}

export interface HarOptions {
  /** Keep entries of this origin (`https://api.example.com`); default: the most frequent one. */
  readonly origin?: string
}

export interface HarSkip {
  /** 1-based position in `log.entries`. */
  readonly entry: number
  readonly url: string
  readonly reason: string
}

export interface HarImport {
  readonly exchanges: Exchange[]
  /** The origin kept. */
  readonly origin: string
  /** Entries in the file. */
  readonly entries: number
  readonly skipped: readonly HarSkip[]
}

/** `/log/entries/3/request/url` → `log.entries[3].request.url`: how people read a HAR. */
function where(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1)
  const text = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('')
  return text === '' ? '(root)' : text
}

function describe(errors: readonly ErrorObject[]): string {
  const shown = errors.slice(0, 3).map((e) => {
    const missing = e.keyword === 'required' ? ` (${String((e.params as { missingProperty?: string }).missingProperty)})` : ''
    return `${where(e)} ${e.message ?? e.keyword}${missing}`
  })
  return `${shown.join('; ')}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}`
}

/** Lower-case names, repeats joined with ", " (as `Observed` does); HTTP/2 pseudo headers (`:authority`) left out. */
function headerMap(list: readonly NameValue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const { name, value } of list) {
    const n = name.toLowerCase()
    if (n.startsWith(':')) continue
    out[n] = n in out ? `${out[n]}, ${value}` : value
  }
  return out
}

const JSON_MIME = /^application\/(?:[\w.+-]*\+)?json\b|^text\/json\b/i
const TEXT_MIME = /^text\/|^application\/(?:[\w.+-]*\+)?(?:json|xml)\b|^application\/(?:javascript|x-www-form-urlencoded|graphql)\b/i

function bodyOf(text: string, mimeType: string): ObservedBody {
  if (text === '') return { kind: 'empty' }
  if (JSON_MIME.test(mimeType)) {
    try {
      JSON.parse(text)
      return { kind: 'json', text }
    } catch {
      return { kind: 'text', text }
    }
  }
  return { kind: 'text', text }
}

function requestBody(post: HarEntry['request']['postData']): ObservedBody {
  if (post === undefined) return { kind: 'empty' }
  const mime = post.mimeType ?? ''
  // Form posts may come as params only (Firefox); rebuild the urlencoded text they were sent as.
  const text = post.text ?? (post.params ?? []).map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value ?? '')}`).join('&')
  return bodyOf(text, mime)
}

function responseBody(content: HarEntry['response']['content']): ObservedBody {
  const text = content?.text ?? ''
  const mime = content?.mimeType ?? ''
  if (content?.encoding === 'base64') {
    const bytes = Buffer.from(text, 'base64')
    if (bytes.length === 0) return { kind: 'empty' }
    if (TEXT_MIME.test(mime)) return bodyOf(bytes.toString('utf8'), mime)
    return { kind: 'binary', base64: bytes.toString('base64'), size: bytes.length }
  }
  return bodyOf(text, mime)
}

function parseOrigin(text: string): string {
  try {
    const u = new URL(text)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http')
    return u.origin
  } catch {
    throw new HarFormatError(`origin ${JSON.stringify(text)} is not an http(s) URL like https://api.example.com`)
  }
}

/** Reads a HAR and keeps one origin's answered HTTP entries, in start order. */
export function readHar(text: string, options: HarOptions = {}): HarImport {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    throw new HarFormatError(`not JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (!validateHar(doc)) throw new HarFormatError(`not a HAR 1.2 file: ${describe(validateHar.errors ?? [])}`)
  const entries = (doc as { log: { entries: HarEntry[] } }).log.entries
  const skipped: HarSkip[] = []
  const http: { entry: HarEntry; n: number; url: URL }[] = []
  for (const [i, entry] of entries.entries()) {
    const raw = entry.request.url
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new HarFormatError(`log.entries[${i}].request.url ${JSON.stringify(raw.slice(0, 80))} is not a URL`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      skipped.push({ entry: i + 1, url: raw.slice(0, 80), reason: `${url.protocol} is not HTTP` })
    else if (entry.response.status === 0)
      skipped.push({ entry: i + 1, url: raw, reason: 'status 0 (blocked or cancelled, never answered)' })
    else http.push({ entry, n: i + 1, url })
  }
  const origin = options.origin === undefined ? mostFrequent(http.map((h) => h.url.origin)) : parseOrigin(options.origin)
  if (origin === undefined) throw new HarFormatError(`no answered HTTP entry among ${entries.length} entries`)
  const kept: { entry: HarEntry; n: number; url: URL }[] = []
  for (const h of http) {
    if (h.url.origin === origin) kept.push(h)
    else skipped.push({ entry: h.n, url: h.url.href, reason: `other origin ${h.url.origin}` })
  }
  // Devtools list entries in start order already; a stable sort keeps ties (same millisecond) as written.
  const at = (h: { entry: HarEntry }) => Date.parse(h.entry.startedDateTime) || 0
  kept.sort((a, b) => at(a) - at(b))
  const exchanges = kept.map(
    ({ entry, url }): Exchange => ({
      startedAt: entry.startedDateTime,
      method: entry.request.method.toUpperCase(),
      target: `${url.pathname}${url.search}`,
      requestHeaders: headerMap(entry.request.headers),
      requestBody: requestBody(entry.request.postData),
      status: entry.response.status,
      responseHeaders: headerMap(entry.response.headers),
      responseBody: responseBody(entry.response.content),
      durationMs: typeof entry.time === 'number' && entry.time >= 0 ? entry.time : 0,
    }),
  )
  skipped.sort((a, b) => a.entry - b.entry)
  return { exchanges, origin, entries: entries.length, skipped }
}

/** The HAR's exchanges of one origin (readHar without the bookkeeping). */
export function importHar(text: string, options: HarOptions = {}): Exchange[] {
  return readHar(text, options).exchanges
}

/** The value seen most often; the first seen wins a tie. */
function mostFrequent(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best: string | undefined
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v
  return best
}
