/**
 * Bytes and a content type → `ObservedBody`, by the rule the parity client applies to the
 * answers it gets (targets/http-client.ts): so a recorded body and a replayed one are
 * classified alike and compare kind for kind.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { ObservedBody } from '../model.ts'

export function classifyBody(contentType: string | undefined, bytes: Uint8Array): ObservedBody {
  if (bytes.byteLength === 0) return { kind: 'empty' }
  const ct = (contentType ?? '').toLowerCase()
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { kind: 'binary', base64: Buffer.from(bytes).toString('base64'), size: bytes.byteLength }
  }
  if (ct.includes('json')) return { kind: 'json', text }
  // Parse-sniff untyped bodies: a target that forgets the content type still gets a shape diff.
  if (ct === '' && /^\s*[[{]/.test(text)) {
    try {
      JSON.parse(text)
      return { kind: 'json', text }
    } catch {
      // not JSON after all
    }
  }
  return { kind: 'text', text }
}

/**
 * The decoded bytes of a `content-encoding: gzip | deflate | br` body, or undefined when the
 * coding is unknown, stacked, or the bytes do not decode (then the raw bytes are recorded).
 * Browsers always ask for compression; without this a recorded corpus would hold opaque
 * binary where the service sent JSON. `maxBytes` bounds what a small body may expand to.
 */
export function decodeContentEncoding(encoding: string, bytes: Uint8Array, maxBytes: number): Uint8Array | undefined {
  const coding = encoding.trim().toLowerCase()
  const opts = { maxOutputLength: maxBytes }
  try {
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(bytes, opts)
    if (coding === 'deflate') return inflateSync(bytes, opts)
    if (coding === 'br') return brotliDecompressSync(bytes, opts)
  } catch {
    return undefined
  }
  return undefined
}
