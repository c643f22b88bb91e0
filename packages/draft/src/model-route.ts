import { quoteCallerText } from '@lakehouse/kit'
import type { ProviderClient, ProviderKind } from '@lakehouse/providers'
import { draftErrors } from './errors.ts'

/** The built-in models: deterministic, offline, no provider needed. */
export const LOCAL_MODELS = ['local/template', 'local/echo'] as const
export type LocalModel = (typeof LOCAL_MODELS)[number]

/** Prefixes routed to an injected ProviderClient of the same kind, with the prefix stripped. */
export const PROVIDER_PREFIXES: readonly ProviderKind[] = ['ollama', 'openai']

export type ModelRoute =
  | { readonly type: 'local'; readonly model: LocalModel }
  | { readonly type: 'provider'; readonly provider: ProviderKind; readonly name: string; readonly client: ProviderClient }

export type ModelRouter = (model: string) => ModelRoute

const isLocal = (model: string): model is LocalModel => (LOCAL_MODELS as readonly string[]).includes(model)

/**
 * Routes by the text before the first `/`: `local/<name>` to a built-in model, `ollama/<m>` and
 * `openai/<m>` to that provider (the rest, which may hold more slashes, is the provider's model
 * name). Anything else, or a provider that was not configured, is DRAFT_UNKNOWN_MODEL (400).
 * The table is fixed at create time.
 */
export function createModelRouter(providers: Readonly<Record<string, ProviderClient>>): ModelRouter {
  const clients = new Map<ProviderKind, ProviderClient>()
  for (const kind of PROVIDER_PREFIXES) {
    const client = providers[kind]
    if (client !== undefined) clients.set(kind, client)
  }
  const known = [...LOCAL_MODELS, ...[...clients.keys()].map((k) => `${k}/<model>`)].join(', ')
  const unknown = (model: string, why: string) =>
    draftErrors.problem('DRAFT_UNKNOWN_MODEL', {
      detail: `model ${quoteCallerText(model)} ${why}; available: ${known}`,
      extensions: { model },
    })

  return (model) => {
    if (isLocal(model)) return { type: 'local', model }
    const slash = model.indexOf('/')
    const prefix = slash < 0 ? '' : model.slice(0, slash)
    const name = model.slice(slash + 1)
    if (prefix === 'local') throw unknown(model, 'is not a built-in model')
    const kind = PROVIDER_PREFIXES.find((k) => k === prefix)
    if (kind === undefined) throw unknown(model, 'has no known prefix (local/, ollama/, openai/)')
    const client = clients.get(kind)
    if (client === undefined) throw unknown(model, `needs the ${kind} provider, which is not configured`)
    if (name.trim() === '') throw unknown(model, 'names no model after the prefix')
    return { type: 'provider', provider: kind, name, client }
  }
}
