/**
 * The 32-bit hash behind the built-in model: FNV-1a over the UTF-8 bytes of a feature string,
 * finished with MurmurHash3's fmix32. FNV-1a alone mixes its low bits poorly (the last byte
 * only passes through one multiply), and the bucket is taken from the low bits; fmix32 gives
 * every output bit a dependence on every input bit.
 *
 * Only Math.imul, XOR and shifts are used, so the result is exact integer arithmetic and the
 * same on every engine. States are int32 (Math.imul's range); read them with `>>> 0`.
 */

export const FNV_OFFSET_BASIS = 0x811c9dc5 | 0
export const FNV_PRIME = 0x01000193

/** Feeds one byte. */
export function fnvByte(h: number, byte: number): number {
  return Math.imul(h ^ byte, FNV_PRIME)
}

/** Feeds the UTF-8 encoding of one code point (callers never pass lone surrogates). */
export function fnvCodePoint(h: number, cp: number): number {
  if (cp < 0x80) return Math.imul(h ^ cp, FNV_PRIME)
  if (cp < 0x800) {
    h = Math.imul(h ^ (0xc0 | (cp >> 6)), FNV_PRIME)
    return Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME)
  }
  if (cp < 0x10000) {
    h = Math.imul(h ^ (0xe0 | (cp >> 12)), FNV_PRIME)
    h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME)
    return Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME)
  }
  h = Math.imul(h ^ (0xf0 | (cp >> 18)), FNV_PRIME)
  h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), FNV_PRIME)
  h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME)
  return Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME)
}

/** FNV-1a state after the code points of `text` (used for the fixed family prefixes). */
export function fnvString(text: string, h: number = FNV_OFFSET_BASIS): number {
  for (const ch of text) h = fnvCodePoint(h, ch.codePointAt(0) ?? 0)
  return h
}

/** MurmurHash3's 32-bit finaliser (an avalanche step). */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** The documented hash of a whole feature string, unsigned: fmix32(FNV-1a(UTF-8(feature))). */
export function featureHash(feature: string): number {
  return fmix32(fnvString(feature)) >>> 0
}
