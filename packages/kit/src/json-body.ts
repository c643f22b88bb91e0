import { parse as losslessParse } from 'lossless-json'
import { kitErrors } from './errors.ts'

export interface JsonBodyLimits {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number
  /** Deepest nesting of arrays/objects accepted. */
  readonly maxDepth: number
}

export const DEFAULT_JSON_BODY_LIMITS: JsonBodyLimits = Object.freeze({ maxBytes: 1024 * 1024, maxDepth: 64 })

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** `application/json` or any `application/*+json`, with no charset or charset=utf-8. */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false
  const [type = '', ...params] = header.split(';')
  const mime = type.trim().toLowerCase()
  if (mime !== 'application/json' && !(mime.startsWith('application/') && mime.endsWith('+json'))) return false
  for (const p of params) {
    const [name = '', value = ''] = p.split('=')
    if (name.trim().toLowerCase() === 'charset') {
      const cs = value.trim().replace(/^"|"$/g, '').toLowerCase()
      if (cs !== 'utf-8' && cs !== 'utf8') return false
    }
  }
  return true
}

/**
 * How much of an over-limit body is read and discarded so the 413 reaches the client. A server
 * that answers and closes while the client is still sending makes most clients (undici's fetch
 * among them) fail with EPIPE instead of showing the 413; a server that answers without
 * reading the rest cannot reuse the connection. Up to this many extra bytes we drain and keep
 * the connection; beyond it we stop reading and say `Connection: close`.
 */
export const OVERSIZE_DRAIN_BYTES = 8 * 1024 * 1024

function tooLarge(maxBytes: number, drained: boolean): never {
  throw kitErrors.problem('HTTP_BODY_TOO_LARGE', {
    detail: `request body exceeds the limit of ${maxBytes} bytes`,
    extensions: { limit_bytes: maxBytes },
    ...(drained ? {} : { headers: { connection: 'close' } }),
  })
}

/** Reads and drops the rest of a body; true when it ended within `budget` bytes (else cancels it). */
export async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<boolean> {
  let left = budget
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return true
      left -= value.byteLength
      if (left < 0) break
    }
  } catch {
    // The client went away: there is no connection left to keep.
  }
  await reader.cancel().catch(() => undefined)
  return false
}

/**
 * Reads the whole body, refusing early from Content-Length and again while streaming
 * (a client may lie about or omit the length). Never buffers more than maxBytes + one chunk.
 */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length')
  const declaredBytes = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined
  if (declaredBytes !== undefined && declaredBytes > maxBytes) {
    const reader = req.body?.getReader()
    const drained = reader !== undefined && declaredBytes - maxBytes <= OVERSIZE_DRAIN_BYTES && (await drain(reader, declaredBytes))
    if (!drained) await reader?.cancel().catch(() => undefined)
    tooLarge(maxBytes, drained)
  }
  // Within the limit, the declared length bounds what the runtime hands over (HTTP/1.1
  // framing), so the body is read in one call: the runtime's own reader, without a web stream
  // and a promise per chunk (on Node, @hono/node-server reads the socket directly).
  if (declaredBytes !== undefined) {
    const bytes = new Uint8Array(await req.arrayBuffer())
    if (bytes.byteLength > maxBytes) tooLarge(maxBytes, true)
    return bytes
  }
  if (req.body === null) return new Uint8Array(0)
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) tooLarge(maxBytes, await drain(reader, OVERSIZE_DRAIN_BYTES - (total - maxBytes)))
    chunks.push(value)
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0]
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

/**
 * Deepest array/object nesting in JSON text, ignoring brackets inside strings. Run before
 * JSON.parse because V8 and JavaScriptCore overflow their stacks at different depths, which
 * would make the two runtimes disagree on the same body.
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/**
 * Parses JSON text. On failure the detail comes from lossless-json rather than the engine,
 * because V8 and JavaScriptCore word their SyntaxErrors differently and both runtimes must
 * return identical problem bodies.
 */
export function parseJsonText(text: string, maxDepth: number = DEFAULT_JSON_BODY_LIMITS.maxDepth): unknown {
  if (text.trim() === '') throw kitErrors.problem('HTTP_MALFORMED_JSON', { detail: 'request body is empty' })
  if (jsonNestingExceeds(text, maxDepth)) {
    throw kitErrors.problem('HTTP_JSON_TOO_DEEP', {
      detail: `JSON nests deeper than ${maxDepth} levels`,
      extensions: { max_depth: maxDepth },
    })
  }
  try {
    return JSON.parse(text)
  } catch (engineError) {
    let detail = 'request body is not valid JSON'
    try {
      losslessParse(text)
    } catch (e) {
      if (e instanceof Error) detail = e.message
    }
    throw kitErrors.problem('HTTP_MALFORMED_JSON', { detail, cause: engineError })
  }
}

/** Content-Type check (415), size limit (413), UTF-8 (400), depth (400), then parse (400). */
/** The codes readJsonBody answers with; the OpenAPI document lists them on every JSON-body route. */
export const JSON_BODY_ERRORS = ['HTTP_UNSUPPORTED_MEDIA_TYPE', 'HTTP_BODY_TOO_LARGE', 'HTTP_MALFORMED_JSON', 'HTTP_JSON_TOO_DEEP'] as const

export async function readJsonBody(req: Request, limits: JsonBodyLimits = DEFAULT_JSON_BODY_LIMITS): Promise<unknown> {
  if (!isJsonContentType(req.headers.get('content-type'))) {
    throw kitErrors.problem('HTTP_UNSUPPORTED_MEDIA_TYPE', {
      detail: `expected Content-Type application/json (UTF-8), got ${JSON.stringify(req.headers.get('content-type') ?? '')}`,
    })
  }
  const bytes = await readBodyBytes(req, limits.maxBytes)
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch (cause) {
    throw kitErrors.problem('HTTP_MALFORMED_JSON', { detail: 'request body is not valid UTF-8', cause })
  }
  return parseJsonText(text, limits.maxDepth)
}
