import type { Embedder } from '@lakehouse/embed'
import type { IndexInfo } from '@lakehouse/vector'
import { matrixErrors } from './errors.ts'

/** The model that embeds queries for an index: its own, or the embedder's default for a vector-only index. */
export function queryModelOf(info: IndexInfo, embedder: Embedder): string {
  return info.model === '' ? embedder.defaultModel : info.model
}

/**
 * Embeds the query once per distinct model among the indexes (usually one model for all), and
 * checks each vector fits its index: a model that changed dimension under an existing index
 * would otherwise surface as an opaque search failure.
 */
export async function embedQueryFor(embedder: Embedder, query: string, infos: readonly IndexInfo[]): Promise<Map<string, Float32Array>> {
  const models = [...new Set(infos.map((info) => queryModelOf(info, embedder)))].sort()
  const vectors = new Map<string, Float32Array>()
  await Promise.all(
    models.map(async (model) => {
      const result = await embedder.embed([query], model)
      const vector = result.vectors[0]
      if (vector !== undefined) vectors.set(model, vector)
    }),
  )
  for (const info of infos) {
    const vector = vectors.get(queryModelOf(info, embedder))
    if (vector === undefined || vector.length !== info.dim) {
      throw matrixErrors.problem('MATRIX_CORPUS_INCOMPATIBLE', {
        detail: `index ${info.name} holds ${info.dim}-dimensional vectors but model ${queryModelOf(info, embedder)} embedded the query to ${vector?.length ?? 0}`,
        extensions: { corpus: info.name },
      })
    }
  }
  return vectors
}
