import type { Embedder, EmbedResult } from '@lakehouse/embed'
import { defineErrors } from '@lakehouse/kit'

/**
 * A deterministic stand-in for the embed service (packages/embed/src/types.ts). The vector
 * service is never faked: tests run the real one (vector-indexes.ts).
 */

const fakeErrors = defineErrors('fake', {
  EMBED_UNKNOWN_MODEL: { status: 400, title: 'Unknown Model', description: 'fake' },
})

function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export interface FakeEmbedder extends Embedder {
  /** Every embed call: model and number of texts. */
  readonly calls: { model: string; texts: number }[]
}

/** Signed word hashing, L2-normalised. Models `fake/words-<dim>`; the default is 256 dims. */
export function createFakeEmbedder(defaultModel = 'fake/words-256'): FakeEmbedder {
  const calls: { model: string; texts: number }[] = []
  return {
    defaultModel,
    calls,
    async embed(texts, model = defaultModel): Promise<EmbedResult> {
      const m = /^fake\/words-(\d+)$/.exec(model)
      if (m === null) throw fakeErrors.problem('EMBED_UNKNOWN_MODEL', { detail: `unknown model ${model}` })
      const dim = Number(m[1])
      calls.push({ model, texts: texts.length })
      const vectors = texts.map((text) => {
        const v = new Float32Array(dim)
        for (const word of text
          .toLowerCase()
          .split(/[^a-z0-9-]+/)
          .filter(Boolean)) {
          const h = fnv1a(word)
          v[h % dim] = (v[h % dim] ?? 0) + ((h >>> 16) & 1 ? 1 : -1)
        }
        let norm = 0
        for (const x of v) norm += x * x
        norm = Math.sqrt(norm) || 1
        for (let i = 0; i < dim; i++) v[i] = (v[i] ?? 0) / norm
        return v
      })
      return { model, dim, vectors }
    },
  }
}
