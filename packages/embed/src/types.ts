/** The embedding seam used by vector, matrix and the corpus indexer. Shared contract. */

export interface EmbedResult {
  /** The model that produced the vectors, e.g. `local/lexical-384`, `ollama/nomic-embed-text`. */
  readonly model: string
  readonly dim: number
  /** L2-normalised for the built-in model; as returned by the provider otherwise. */
  readonly vectors: readonly Float32Array[]
}

export interface Embedder {
  /** Model used when none is named. */
  readonly defaultModel: string
  /** Throws EMBED_UNKNOWN_MODEL (400) for a model prefix that is not configured. */
  embed(texts: readonly string[], model?: string): Promise<EmbedResult>
}
