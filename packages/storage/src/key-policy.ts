import { storageErrors } from './errors.ts'

/**
 * The key policy, applied to every key by the service and again by each backend (a backend
 * is also called directly by catalog and ingest, and the filesystem backend maps keys onto
 * paths, so it cannot afford to trust its caller). The rules make every valid key map to
 * exactly one relative path and back: no empty/`.`/`..` segments, no leading or trailing `/`.
 */

export const MAX_KEY_BYTES = 1024
/** NAME_MAX on Linux filesystems; the fs backend stores each segment as one directory entry. */
export const MAX_SEGMENT_BYTES = 255
/** First segments the fs backend keeps for itself (temp files and etag sidecars); refused on every backend so keys stay portable. */
export const BACKEND_RESERVED_SEGMENTS: readonly string[] = ['.tmp', '.meta']

export type KeyViolationReason =
  | 'empty'
  | 'too_long'
  | 'segment_too_long'
  | 'nul'
  | 'control_character'
  | 'lone_surrogate'
  | 'leading_slash'
  | 'trailing_slash'
  | 'empty_segment'
  | 'dot_segment'
  | 'reserved_segment'
  | 'bad_percent_encoding'

export interface KeyViolation {
  readonly reason: KeyViolationReason
  readonly message: string
}

/**
 * Caseless form of a key for the reserved-prefix check. A case-insensitive file system (APFS and
 * NTFS by default) or object store gateway would put `Datasets/x` and `_SYSTEM/x` into the
 * reserved areas, so reserved names are compared folded (issue 11). NFKC first maps compatibility
 * characters to their letters (U+212A KELVIN SIGN → `K`, U+017F LONG S → `s`, fullwidth
 * `Ｄ` → `D`); upper- then lower-casing is the usual caseless fold on top (`ß` → `ss`).
 * Over-refusing an odd key is harmless; under-refusing is not.
 */
export function foldCase(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase()
}

const FOLDED_BACKEND_RESERVED = new Set(BACKEND_RESERVED_SEGMENTS.map(foldCase))

const encoder = new TextEncoder()
// With the u flag a surrogate pair is one code point, so this only matches unpaired halves,
// which UTF-8 (the filesystem and S3) cannot represent.
const LONE_SURROGATE = /[\ud800-\udfff]/u

/**
 * The first C0 control or DEL in `text`. CR/LF break log lines and HTTP tooling, TAB breaks
 * TSV listings, and the rest are never intended in a name. A loop, not a regex, because the
 * linter (rightly) flags control characters inside regular expressions.
 */
function firstControl(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return c
  }
  return undefined
}

function byteLength(text: string): number {
  return encoder.encode(text).byteLength
}

function violation(reason: KeyViolationReason, message: string): KeyViolation {
  return { reason, message }
}

function textViolation(text: string, what: string): KeyViolation | undefined {
  if (LONE_SURROGATE.test(text)) return violation('lone_surrogate', `${what} contains an unpaired UTF-16 surrogate`)
  if (byteLength(text) > MAX_KEY_BYTES) return violation('too_long', `${what} is longer than ${MAX_KEY_BYTES} UTF-8 bytes`)
  if (text.includes('\u0000')) return violation('nul', `${what} contains a NUL character`)
  const control = firstControl(text)
  if (control !== undefined) {
    const code = `U+${control.toString(16).toUpperCase().padStart(4, '0')}`
    return violation('control_character', `${what} contains the control character ${code} (CR, LF, TAB and other C0 controls are refused)`)
  }
  if (text.startsWith('/')) return violation('leading_slash', `${what} starts with "/"`)
  return undefined
}

function segmentViolation(segment: string, what: string): KeyViolation | undefined {
  if (segment === '') return violation('empty_segment', `${what} contains an empty segment ("//")`)
  if (segment === '.' || segment === '..') return violation('dot_segment', `${what} contains a "${segment}" segment`)
  if (byteLength(segment) > MAX_SEGMENT_BYTES) {
    return violation('segment_too_long', `${what} has a segment longer than ${MAX_SEGMENT_BYTES} UTF-8 bytes`)
  }
  return undefined
}

/** Why `key` is not a valid object key, or undefined when it is. */
export function keyViolation(key: string): KeyViolation | undefined {
  if (key === '') return violation('empty', 'key is empty')
  const text = textViolation(key, 'key')
  if (text !== undefined) return text
  if (key.endsWith('/')) return violation('trailing_slash', 'key ends with "/"')
  const segments = key.split('/')
  for (const segment of segments) {
    const bad = segmentViolation(segment, 'key')
    if (bad !== undefined) return bad
  }
  const first = segments[0] ?? ''
  if (FOLDED_BACKEND_RESERVED.has(foldCase(first))) {
    return violation('reserved_segment', `key starts with "${first}/", which the storage backend keeps for its own files`)
  }
  return undefined
}

/**
 * Why `prefix` is not a valid list prefix. Empty is fine, and the last (partial) segment may be
 * anything a key segment may start with; complete segments follow the key rules.
 */
export function prefixViolation(prefix: string): KeyViolation | undefined {
  if (prefix === '') return undefined
  const text = textViolation(prefix, 'prefix')
  if (text !== undefined) return text
  const complete = prefix.split('/').slice(0, -1)
  for (const segment of complete) {
    const bad = segmentViolation(segment, 'prefix')
    if (bad !== undefined) return bad
  }
  return undefined
}

function invalid(field: 'key' | 'prefix', found: KeyViolation): never {
  throw storageErrors.problem('STORAGE_INVALID_KEY', {
    detail: found.message,
    errors: [{ kind: 'policy', field, reason: found.reason, message: found.message }],
  })
}

/** Throws 400 STORAGE_INVALID_KEY naming the broken rule. */
export function assertValidKey(key: string): void {
  const found = keyViolation(key)
  if (found !== undefined) invalid('key', found)
}

/** Throws 400 STORAGE_INVALID_KEY (field `prefix`) naming the broken rule. */
export function assertValidPrefix(prefix: string): void {
  const found = prefixViolation(prefix)
  if (found !== undefined) invalid('prefix', found)
}

/** Percent-decodes a path-encoded key exactly once (`%2541` is the key `%41`); malformed escapes are a 400. */
export function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded)
  } catch {
    return invalid('key', violation('bad_percent_encoding', 'key is not valid percent-encoded UTF-8'))
  }
}
