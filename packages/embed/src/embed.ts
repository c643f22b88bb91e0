import { compileBodySchema } from '@lakehouse/kit'
import type { ProviderClient } from '@lakehouse/providers'
import { providersErrors } from '@lakehouse/providers'
import type { EmbedConfig } from './config.ts'
import { createLexicalModel, type LexicalModel, lexicalModelName } from './lexical-model.ts'
import { type ModelRoute, routeModel } from './model-route.ts'
import { embedTextsSchema } from './request-shape.ts'
import type { Embedder, EmbedResult } from './types.ts'

/**
 * The embedding domain, without HTTP: routes a model name to the built-in lexical model or a
 * provider client, checks what comes back, and hands out Float32Array vectors.
 */
export interface EmbedCore extends Embedder {
  /** Throws EMBED_UNKNOWN_MODEL for a name nothing serves. */
  route(model: string): ModelRoute
  close(): void
}

/** Built-in models kept warm besides the default; beyond this, odd dimensions are built per call. */
const MAX_CACHED_MODELS = 8

export function createEmbedCore(config: Readonly<EmbedConfig>, providers: Readonly<Record<string, ProviderClient>>): EmbedCore {
  const prefixes = Object.keys(providers).sort()
  const defaultModel = lexicalModelName(config.dim)
  const models = new Map<number, LexicalModel>([[config.dim, createLexicalModel(config.dim)]])
  // In-process callers get the per-text checks of the HTTP route (not its count limit: batches
  // of any size are fine here), with the same HTTP_INVALID_REQUEST entries (`$.texts[i]`).
  const checkTexts = compileBodySchema<unknown>({ type: 'object', properties: { texts: embedTextsSchema(config.maxTextChars) } })

  const lexical = (dim: number): LexicalModel => {
    const cached = models.get(dim)
    if (cached !== undefined) return cached
    const model = createLexicalModel(dim)
    if (models.size < MAX_CACHED_MODELS) models.set(dim, model)
    return model
  }

  /** Provider vectors → Float32Array, in batches of maxTexts; every vector must have the first one's length. */
  async function viaProvider(route: Extract<ModelRoute, { kind: 'provider' }>, texts: readonly string[]): Promise<EmbedResult> {
    const client = providers[route.prefix] as ProviderClient
    const label = `${route.prefix} embeddings for ${route.remote}`
    const bad = (what: string) => providersErrors.problem('PROVIDER_BAD_RESPONSE', { detail: `${label}: ${what}` })
    const vectors: Float32Array[] = []
    let dim = 0
    for (let start = 0; start < texts.length; start += config.maxTexts) {
      const batch = texts.length <= config.maxTexts ? texts : texts.slice(start, start + config.maxTexts)
      const raw: unknown = await client.embed(route.remote, batch)
      if (!Array.isArray(raw) || raw.length !== batch.length) {
        throw bad(`${Array.isArray(raw) ? raw.length : 'no'} vectors for ${batch.length} texts`)
      }
      for (const v of raw as unknown[]) {
        if (!Array.isArray(v) || v.length === 0) throw bad(`vector ${vectors.length} is not a non-empty array`)
        if (dim === 0) dim = v.length
        if (v.length !== dim) throw bad(`vector ${vectors.length} has ${v.length} dimensions, the first had ${dim}`)
        const f = new Float32Array(dim)
        for (let j = 0; j < dim; j++) {
          const x: unknown = v[j]
          // A typed array would quietly coerce "2" or null; the finiteness test after the store
          // also catches numbers beyond Float32's range, which round to Infinity there.
          if (typeof x === 'number') f[j] = x
          if (typeof x !== 'number' || !Number.isFinite(f[j])) throw bad(`vector ${vectors.length} has a non-finite value at ${j}`)
        }
        vectors.push(f)
      }
    }
    return { model: route.model, dim, vectors }
  }

  return {
    defaultModel,
    route: (model) => routeModel(model, prefixes),
    async embed(texts, model = defaultModel) {
      const route = routeModel(model, prefixes)
      checkTexts({ texts })
      if (route.kind === 'provider') return viaProvider(route, texts)
      const m = lexical(route.dim)
      const vectors = new Array<Float32Array>(texts.length)
      for (let i = 0; i < texts.length; i++) vectors[i] = m.embed(texts[i] as string)
      return { model: route.model, dim: route.dim, vectors }
    },
    close() {
      models.clear()
    },
  }
}
