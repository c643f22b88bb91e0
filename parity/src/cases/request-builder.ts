import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import type { CaseStep, MultipartPart } from '../model.ts'
import { fillJson, fillString, type TemplateHelpers, type Vars } from './variables.ts'

/**
 * Turns a case step into bytes on the wire. Shared by the parity runner and the load generator,
 * so both send exactly what the corpus says.
 */
export interface BuiltRequest {
  readonly method: string
  /** Path plus encoded query string. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

const TEXT = new TextEncoder()

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
}

function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Multipart is assembled by hand with a boundary derived from the step, not random as in
 * FormData: every target must receive byte-identical requests, and reruns must too.
 */
function multipartBody(parts: readonly MultipartPart[], seed: string, fill: Filler): { body: Uint8Array; contentType: string } {
  const boundary = `----lakehouse-parity-${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`
  const chunks: Uint8Array[] = []
  for (const p of parts) {
    const filename = p.file === undefined ? p.filename : (p.filename ?? basename(p.file))
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name.replaceAll('"', '%22')}"`
    if (filename !== undefined) head += `; filename="${filename.replaceAll('"', '%22')}"`
    head += '\r\n'
    if (p.file !== undefined || p.contentType !== undefined) head += `Content-Type: ${p.contentType ?? contentTypeFor(p.file ?? '')}\r\n`
    chunks.push(TEXT.encode(`${head}\r\n`))
    chunks.push(p.file === undefined ? TEXT.encode(fill.str(p.value ?? '')) : new Uint8Array(readFileSync(p.file)))
    chunks.push(TEXT.encode('\r\n'))
  }
  chunks.push(TEXT.encode(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

interface Filler {
  str(text: string): string
  json(value: unknown): unknown
}

const LITERAL: Filler = { str: (t) => t, json: (v) => v }

/**
 * `targetHeaders` are what every request to one target carries (its bearer token); a header
 * the step writes wins over them, and a header written empty (`authorization: ""`) is not sent.
 */
export function buildRequest(
  step: CaseStep,
  vars: Vars,
  seed: string,
  helpers?: TemplateHelpers,
  targetHeaders: Readonly<Record<string, string>> = {},
): BuiltRequest {
  // `template: false` sends every `{{…}}` literally (e.g. to exercise a placeholder guard).
  const fill: Filler =
    step.template === false ? LITERAL : { str: (t) => fillString(t, vars, helpers), json: (v) => fillJson(v, vars, helpers) }
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(targetHeaders)) headers[k.toLowerCase()] = v
  for (const [k, v] of Object.entries(step.headers ?? {})) headers[k.toLowerCase()] = fill.str(v)
  let body: Uint8Array | undefined
  let contentType: string | undefined
  const b = step.body
  if (b !== undefined) {
    if ('json' in b) {
      body = TEXT.encode(JSON.stringify(fill.json(b.json)))
      contentType = 'application/json'
    } else if ('text' in b) {
      body = TEXT.encode(fill.str(b.text))
      contentType = 'text/plain; charset=utf-8'
    } else if ('file' in b) {
      body = new Uint8Array(readFileSync(b.file))
      contentType = contentTypeFor(b.file)
    } else if ('repeat' in b) {
      body = TEXT.encode((b.repeat.prefix ?? '') + b.repeat.text.repeat(b.repeat.count) + (b.repeat.suffix ?? ''))
      contentType = 'text/plain; charset=utf-8'
    } else {
      const mp = multipartBody(b.multipart, `${seed}\0${step.name}`, fill)
      body = mp.body
      contentType = mp.contentType
    }
  }
  // A header written in the case wins, including an explicit empty one to send none.
  if (contentType !== undefined && !('content-type' in headers)) headers['content-type'] = contentType
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k]
  const query = Object.entries(step.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(fill.str(v))}`)
    .join('&')
  const path = fill.str(step.path)
  return { method: step.method, path: query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`, headers, body }
}

/** A short, printable view of a request body for reports. */
export function previewBody(body: Uint8Array | undefined, max = 2048): string | undefined {
  if (body === undefined) return undefined
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, max))
  return body.byteLength > max ? `${text}… (${body.byteLength} bytes)` : text
}
