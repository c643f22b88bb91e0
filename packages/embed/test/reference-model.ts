/**
 * The built-in model written the slow, obvious way from its definition in docs/embed.md:
 * build every feature string, hash its UTF-8 bytes with FNV-1a + fmix32, add in the
 * documented order. The fast implementation must match it bit for bit.
 */

const UTF8 = new TextEncoder()

export function referenceHash(feature: string): number {
  let h = 0x811c9dc5
  for (const byte of UTF8.encode(feature)) h = Math.imul(h ^ byte, 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Feature strings with their weights, in the order they are added. */
export function referenceFeatures(text: string): [string, number][] {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  const features: [string, number][] = []
  words.forEach((word, i) => {
    const padded = ['<', ...word, '>']
    for (let j = 0; j + 3 <= padded.length; j++) features.push([`t:${padded.slice(j, j + 3).join('')}`, 0.35])
    features.push([`w:${word}`, 1])
    if (i > 0) features.push([`b:${words[i - 1]} ${word}`, 0.7])
  })
  return features
}

export function referenceEmbed(text: string, dim: number): Float32Array {
  const acc = new Float64Array(dim)
  for (const [feature, weight] of referenceFeatures(text)) {
    const h = referenceHash(feature)
    const bucket = (h & 0x7fffffff) % dim
    acc[bucket] = (acc[bucket] as number) + (h >= 0x80000000 ? -weight : weight)
  }
  let sum = 0
  for (const x of acc) sum += x * x
  const out = new Float32Array(dim)
  if (sum > 0) for (let i = 0; i < dim; i++) out[i] = (acc[i] as number) / Math.sqrt(sum)
  return out
}
