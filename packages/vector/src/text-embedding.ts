import type { Embedder } from '@lakehouse/embed'
import { vectorErrors } from './errors.ts'
import { toFloat32 } from './vector-math.ts'

/**
 * Text items and text queries go through the embedder with the index's model. The model's
 * dimension is learned from its first answer (a probe at create when a model is named) and
 * must equal the index dimension. Embedder problems (EMBED_UNKNOWN_MODEL, an unreachable
 * provider) pass through unchanged.
 */

export interface ModelDims {
  /** Throws VECTOR_MODEL_MISMATCH (400) when `model` does not embed to `dim`. */
  require(model: string, dim: number): Promise<void>
  /** One float32 vector per text, checked to have `dim` finite components. */
  embed(texts: readonly string[], model: string, dim: number): Promise<Float32Array[]>
}

const PROBE_TEXT = 'dimension probe'

function mismatch(model: string, got: number, dim: number): never {
  throw vectorErrors.problem('VECTOR_MODEL_MISMATCH', {
    detail: `model ${model} embeds to dimension ${got}; the index dimension is ${dim}`,
    extensions: { model, model_dim: got, index_dim: dim },
  })
}

export function createModelDims(embedder: Embedder): ModelDims {
  const known = new Map<string, number>()
  return {
    async require(model, dim) {
      let got = known.get(model)
      if (got === undefined) {
        got = (await embedder.embed([PROBE_TEXT], model)).dim
        known.set(model, got)
      }
      if (got !== dim) mismatch(model, got, dim)
    },
    async embed(texts, model, dim) {
      const result = await embedder.embed(texts, model)
      known.set(model, result.dim)
      if (result.dim !== dim) mismatch(model, result.dim, dim)
      if (result.vectors.length !== texts.length)
        throw new Error(`embedder returned ${result.vectors.length} vectors for ${texts.length} texts`)
      return result.vectors.map((v) => {
        const out = v.length === dim ? toFloat32(v) : undefined
        if (out === undefined) throw new Error(`embedder returned a vector that is not ${dim} finite numbers`)
        return out
      })
    },
  }
}
