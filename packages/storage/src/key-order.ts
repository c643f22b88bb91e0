/**
 * Compares keys by their UTF-8 bytes, the order S3 lists in, so both backends list identically.
 * JavaScript's `<` compares UTF-16 code units, which puts U+10000.. (surrogate pairs) before
 * U+E000..U+FFFF; shifting the two ranges restores code-point order, which equals UTF-8 order.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointRank(x) - codePointRank(y)
  }
  return a.length - b.length
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000
  if (unit >= 0xe000) return unit - 0x800
  return unit
}
