import { LEXICAL_MAX_DIM, LEXICAL_MIN_DIM } from './config.ts'
import { embedErrors } from './errors.ts'
import { LEXICAL_MODEL_PREFIX } from './lexical-model.ts'

/** Where a model name sends the texts. */
export type ModelRoute =
  | { readonly kind: 'local'; readonly model: string; readonly dim: number }
  /** `prefix` keys the provider client; `remote` is the name the model server knows (after the first `/`). */
  | { readonly kind: 'provider'; readonly model: string; readonly prefix: string; readonly remote: string }

// No leading zeros, so every built-in model has exactly one name.
const LEXICAL_NAME = /^local\/lexical-([1-9][0-9]{0,3})$/

/** Longest model name accepted; real ones are far shorter, and the name is echoed in details. */
export const MAX_MODEL_NAME_CHARS = 200

/**
 * `local/lexical-<dim>` → the built-in model; `<prefix>/<name>` → the provider configured under
 * `prefix` (e.g. `ollama/nomic-embed-text`, `openai/text-embedding-3-small`). Anything else
 * throws EMBED_UNKNOWN_MODEL listing what is available.
 */
export function routeModel(model: string, providerPrefixes: readonly string[]): ModelRoute {
  const lexical = LEXICAL_NAME.exec(model)
  if (lexical !== null) {
    const dim = Number(lexical[1])
    if (dim >= LEXICAL_MIN_DIM && dim <= LEXICAL_MAX_DIM) return { kind: 'local', model, dim }
  }
  const slash = model.indexOf('/')
  const prefix = slash > 0 ? model.slice(0, slash) : ''
  const remote = slash > 0 ? model.slice(slash + 1) : ''
  if (prefix !== 'local' && remote !== '' && providerPrefixes.includes(prefix)) return { kind: 'provider', model, prefix, remote }

  const shown = model.length > 60 ? `${model.slice(0, 60)}…` : model
  const available = [`${LEXICAL_MODEL_PREFIX}<${LEXICAL_MIN_DIM}..${LEXICAL_MAX_DIM}>`, ...providerPrefixes.map((p) => `${p}/<model>`)]
  const why =
    prefix === 'local'
      ? 'no such built-in model'
      : remote === ''
        ? 'expected <prefix>/<model>'
        : `no provider is configured for "${prefix}/"`
  throw embedErrors.problem('EMBED_UNKNOWN_MODEL', {
    detail: `unknown model ${JSON.stringify(shown)}: ${why}; available: ${available.join(', ')}`,
    extensions: { available },
  })
}
