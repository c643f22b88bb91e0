import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createLexicalModel, featureHash, LEXICAL_WEIGHTS, lexicalModelName } from '../src/index.ts'
import { DIGEST_DIMS, DIGEST_TEXTS, lexicalDigest, unicodeDigest } from './fixtures/digest-texts.ts'
import { referenceEmbed, referenceFeatures, referenceHash } from './reference-model.ts'

const run = promisify(execFile)
const BUN = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url))
const PRINT_DIGEST = fileURLToPath(new URL('./fixtures/print-digest.ts', import.meta.url))

const model = createLexicalModel(384)
const cosine = (a: Float32Array, b: Float32Array) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}
const norm = (v: Float32Array) => Math.sqrt(cosine(v, v))
const bits = (v: Float32Array) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length))

/**
 * Pinned digests of DIGEST_TEXTS × DIGEST_DIMS. They change only when the model changes —
 * which changes every stored vector, so it needs a new model name, not a new digest.
 */
const GOLDEN = {
  vectors: 'c1f238723c47ce8d1bf65f00d01b8a4485251cbc7335201f0789cdd059c884f3',
  json: 'a2c86036fd2f27e6ce774b047e5a5be458780feb6c4125b5d22d2910e9c9768d',
}

describe('feature hash', () => {
  it('is FNV-1a over UTF-8 finished with fmix32, for 1- to 4-byte characters', () => {
    for (const feature of ['w:electrician', 't:<ca', 'w:sauté', 'b:東京 倉庫', 'w:𝐁old', 't:é>', '']) {
      expect(featureHash(feature)).toBe(referenceHash(feature))
    }
    // Pinned, so the documented hash cannot drift.
    expect(featureHash('w:electrician')).toBe(1408716666)
  })
})

describe('lexical model', () => {
  it('is named local/lexical-<dim> and refuses dims outside 8..4096', () => {
    expect([model.name, model.dim, lexicalModelName(64)]).toEqual(['local/lexical-384', 384, 'local/lexical-64'])
    for (const dim of [7, 4097, 1.5, Number.NaN]) expect(() => createLexicalModel(dim)).toThrow(RangeError)
  })

  it('matches the reference definition bit for bit', () => {
    for (const dim of DIGEST_DIMS) {
      const fast = createLexicalModel(dim)
      for (const text of DIGEST_TEXTS)
        expect(bits(fast.embed(text)), `${dim}: ${text.slice(0, 40)}`).toEqual(bits(referenceEmbed(text, dim)))
    }
  })

  it('uses words, bigrams and padded character trigrams with the documented weights', () => {
    expect(LEXICAL_WEIGHTS).toEqual({ word: 1, bigram: 0.7, trigram: 0.35 })
    expect(referenceFeatures('Line cook!')).toEqual([
      ['t:<li', 0.35],
      ['t:lin', 0.35],
      ['t:ine', 0.35],
      ['t:ne>', 0.35],
      ['w:line', 1],
      ['t:<co', 0.35],
      ['t:coo', 0.35],
      ['t:ook', 0.35],
      ['t:ok>', 0.35],
      ['w:cook', 1],
      ['b:line cook', 0.7],
    ])
  })

  it('is deterministic across calls and instances', () => {
    const again = createLexicalModel(384)
    for (const text of DIGEST_TEXTS) {
      expect(bits(model.embed(text))).toEqual(bits(model.embed(text)))
      expect(bits(again.embed(text))).toEqual(bits(model.embed(text)))
    }
  })

  it('returns unit vectors, and the zero vector (never NaN) for text without words', () => {
    for (const text of DIGEST_TEXTS.filter((t) => /[\p{L}\p{N}]/u.test(t))) expect(norm(model.embed(text))).toBeCloseTo(1, 6)
    for (const text of ['', '   ', '... --- !!!', '👷🔧']) {
      const v = model.embed(text)
      expect(v).toHaveLength(384)
      expect(v.every((x) => x === 0)).toBe(true)
    }
  })

  it('ignores case, punctuation and compatibility forms', () => {
    const same = (a: string, b: string) => expect(bits(model.embed(a))).toEqual(bits(model.embed(b)))
    same('Forklift Operator', 'forklift operator')
    same('forklift, operator!', 'forklift operator')
    same('Ｆｏｒｋｌｉｆｔ ﬁle', 'forklift file')
  })

  it('returns a fresh vector each call', () => {
    const a = model.embed('welder')
    model.embed('cook')
    expect(bits(a)).toEqual(bits(model.embed('welder')))
    expect(a).not.toBe(model.embed('welder'))
  })

  it('ranks lexically sensible neighbours', () => {
    const query = model.embed('industrial electrician conduit')
    const electrician = model.embed(
      'Journeyman electrician, 8 years of industrial and commercial wiring: conduit bending, panel installs, motor controls. OSHA 30.',
    )
    const cook = model.embed(
      'Line cook, 5 years in high-volume kitchens: prep, grill, sauté station, food safety certified, fast and clean.',
    )
    expect(cosine(query, electrician)).toBeGreaterThan(cosine(query, cook) + 0.2)
    // Plural and singular share most trigrams.
    expect(cosine(model.embed('electricians'), model.embed('electrician'))).toBeGreaterThan(0.4)
  })

  it('is lexical only: synonyms without shared spelling are unrelated', () => {
    expect(Math.abs(cosine(model.embed('car'), model.embed('automobile')))).toBeLessThan(0.2)
  })
})

describe('lexical model across runtimes', () => {
  it('gives the pinned digest in this process', () => {
    expect(lexicalDigest()).toEqual(GOLDEN)
  })

  it('gives identical Float32 bytes, JSON and Unicode data in a Bun child and a Node child', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'embed-digest-'))
    try {
      const bundle = join(dir, 'print-digest.mjs')
      // Node 20 cannot run TypeScript, so the same source is bundled for it first.
      await run(BUN, ['build', PRINT_DIGEST, '--target=node', `--outfile=${bundle}`])
      const [bun, node] = await Promise.all([run(BUN, [PRINT_DIGEST]), run('node', [bundle])])
      const here = { lexical: lexicalDigest(), unicode: unicodeDigest() }
      expect(JSON.parse(bun.stdout)).toEqual(here)
      expect(JSON.parse(node.stdout)).toEqual(here)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
