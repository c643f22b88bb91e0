/**
 * Which code points belong to words: Unicode letters, marks and numbers (\p{L}, \p{M}, \p{N}).
 * Marks are included so scripts that write vowels as combining marks (Devanagari, Thai, …)
 * keep their words whole. The hot path classifies by table lookup; the table is built once
 * per process from the engine's own Unicode data.
 */

const WORD = /^[\p{L}\p{M}\p{N}]$/u

let bmpTable: Uint8Array | undefined

/** 1 for word code points in U+0000..U+FFFF, 0 otherwise (surrogates included); built on first use. */
export function bmpWordTable(): Uint8Array {
  if (bmpTable !== undefined) return bmpTable
  const table = new Uint8Array(0x10000)
  for (let cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue
    if (WORD.test(String.fromCharCode(cp))) table[cp] = 1
  }
  bmpTable = table
  return table
}

/**
 * For code points above U+FFFF. Word characters there are rare (historic scripts, CJK
 * extensions, mathematical alphanumerics), so a regex test per occurrence costs little and
 * saves a 1.1 MB table.
 */
export function isAstralWordCodePoint(cp: number): boolean {
  return WORD.test(String.fromCodePoint(cp))
}
