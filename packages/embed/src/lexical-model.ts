import { LEXICAL_MAX_DIM, LEXICAL_MIN_DIM } from './config.ts'
import { fmix32, fnvByte, fnvCodePoint, fnvString } from './feature-hash.ts'
import { bmpWordTable, isAstralWordCodePoint } from './word-chars.ts'

/**
 * The built-in embedding model, `local/lexical-<dim>`: signed feature hashing of words, word
 * bigrams and character trigrams, L2-normalised. Deterministic and offline; lexical only — it
 * knows that "electrician" and "electricians" share trigrams, not that "car" means
 * "automobile". The full definition is in docs/embed.md; this file is its reference
 * implementation, and a change to anything below changes every stored vector.
 */

export const LEXICAL_MODEL_PREFIX = 'local/lexical-'

/** Per-family weights: whole words carry the meaning, bigrams some word order, trigrams spelling variants. */
export const LEXICAL_WEIGHTS = Object.freeze({ word: 1, bigram: 0.7, trigram: 0.35 })

export interface LexicalModel {
  /** `local/lexical-<dim>`. */
  readonly name: string
  readonly dim: number
  /** A fresh, L2-normalised vector; all zeros when the text has no word characters. */
  embed(text: string): Float32Array
}

export function lexicalModelName(dim: number): string {
  return LEXICAL_MODEL_PREFIX + dim
}

// Family prefixes of the feature strings ("w:electrician", "b:line cook", "t:<li"); their FNV
// states are computed once so each feature only hashes its own characters.
const WORD_SEED = fnvString('w:')
const BIGRAM_SEED = fnvString('b:')
const TRIGRAM_SEED = fnvString('t:')
/** Boundary marks around each word for trigrams; neither is a word character, so no word can fake them. */
const WORD_START = 0x3c // '<'
const WORD_END = 0x3e // '>'
const SPACE = 0x20

/** True when the text holds anything but ASCII: only then can NFKC or full lower-casing change it. */
function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true
  return false
}

export function createLexicalModel(dim: number): LexicalModel {
  if (!Number.isInteger(dim) || dim < LEXICAL_MIN_DIM || dim > LEXICAL_MAX_DIM) {
    throw new RangeError(`lexical model dim must be an integer in ${LEXICAL_MIN_DIM}..${LEXICAL_MAX_DIM}, got ${dim}`)
  }
  const words = bmpWordTable()
  // Reused by every call: embed() is synchronous, so no two calls ever share it at once.
  const acc = new Float64Array(dim)
  const { word: wWord, bigram: wBigram, trigram: wTrigram } = LEXICAL_WEIGHTS

  // Bucket from the low 31 bits of the mixed hash, sign from the top bit.
  const add = (h: number, weight: number): void => {
    const m = fmix32(h)
    const bucket = (m & 0x7fffffff) % dim
    acc[bucket] = (acc[bucket] as number) + (m < 0 ? -weight : weight)
  }
  const addTrigram = (a: number, b: number, c: number): void => {
    add(fnvCodePoint(fnvCodePoint(fnvCodePoint(TRIGRAM_SEED, a), b), c), wTrigram)
  }

  function accumulate(text: string): void {
    // NFKC folds compatibility forms (ﬁ → fi, full-width → ASCII, ² → 2); lower-casing is
    // locale-independent. Pure ASCII is already NFKC, and its letters are lowered inline below.
    const s = hasNonAscii(text) ? text.normalize('NFKC').toLowerCase() : text
    const n = s.length
    let inWord = false
    let hWord = 0 // "w:" + word so far
    let hBigram = 0 // "b:" + previous word + " " + word so far
    let hNext = 0 // "b:" + word so far: the next bigram's start
    let prevSeed = 0 // "b:" + previous word + " "
    let hasPrev = false
    let c2 = -1 // the two code points before the current one in "<word>"
    let c1 = -1
    for (let i = 0; i <= n; i++) {
      let cp = -1
      if (i < n) {
        cp = s.charCodeAt(i)
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
          const lo = s.charCodeAt(i + 1)
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000
            i++
          }
        }
        if (cp >= 0x41 && cp <= 0x5a) cp += 0x20
      }
      const isWord = cp >= 0 && (cp < 0x10000 ? words[cp] === 1 : isAstralWordCodePoint(cp))
      if (isWord) {
        if (!inWord) {
          inWord = true
          hWord = WORD_SEED
          hBigram = prevSeed
          hNext = BIGRAM_SEED
          c2 = -1
          c1 = WORD_START
        }
        hWord = fnvCodePoint(hWord, cp)
        hBigram = fnvCodePoint(hBigram, cp)
        hNext = fnvCodePoint(hNext, cp)
        if (c2 >= 0) addTrigram(c2, c1, cp)
        c2 = c1
        c1 = cp
      } else if (inWord) {
        inWord = false
        addTrigram(c2, c1, WORD_END)
        add(hWord, wWord)
        if (hasPrev) add(hBigram, wBigram)
        prevSeed = fnvByte(hNext, SPACE)
        hasPrev = true
      }
    }
  }

  return {
    name: lexicalModelName(dim),
    dim,
    embed(text) {
      acc.fill(0)
      accumulate(text)
      let sum = 0
      for (let i = 0; i < dim; i++) {
        const x = acc[i] as number
        sum += x * x
      }
      const out = new Float32Array(dim)
      // No words, or every feature cancelled out: the zero vector, never NaN.
      if (sum === 0) return out
      const norm = Math.sqrt(sum)
      for (let i = 0; i < dim; i++) out[i] = (acc[i] as number) / norm
      return out
    },
  }
}
