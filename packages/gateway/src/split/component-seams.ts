import type { IndexSource, InspectObject, ReplaceAuthority } from '@lakehouse/catalog'
import type { DraftValidator } from '@lakehouse/draft'
import type { Embedder, EmbedResult } from '@lakehouse/embed'
import type { Logger } from '@lakehouse/kit'
import type { QueryParams, QueryResult } from '@lakehouse/query'
import type { ItemInput, SearchInput, VectorIndexes } from '@lakehouse/vector'
import type { Seam } from './seam-server.ts'
import type { UpstreamClient } from './upstream-client.ts'

// The components' in-process interfaces, each with its two halves: `expose…` turns the local
// object into a seam other processes call, `remote…` is the same interface over an upstream.
// Typed arrays do not survive JSON, so vectors travel as plain arrays and come back typed.

type SelectFn = (sql: string, params?: QueryParams) => Promise<QueryResult>

const plainVector = (v: readonly number[] | Float32Array | undefined) => (v === undefined ? undefined : Array.from(v))

export function exposeGrants(grants: ReplaceAuthority): Seam {
  return {
    verify: (token: string, scope: string) => grants.verify(token, scope),
    consume: (token: string, scope: string) => grants.consume(token, scope),
  }
}
export function remoteGrants(client: UpstreamClient): ReplaceAuthority {
  return {
    verify: (token, scope) => client.call('grants', 'verify', [token, scope]),
    consume: (token, scope) => client.call('grants', 'consume', [token, scope]),
  }
}

export function exposeInspect(inspect: InspectObject): Seam {
  return { inspect: (key: string) => inspect(key) }
}
export function remoteInspect(client: UpstreamClient): InspectObject {
  return async (key) => (await client.call('ingest', 'inspect', [key])) as Awaited<ReturnType<InspectObject>>
}

export function exposeQuery(select: SelectFn): Seam {
  return { select: (sql: string, params?: QueryParams) => select(sql, params) }
}
export function remoteSelect(client: UpstreamClient): SelectFn {
  return async (sql, params) => (await client.call('query', 'select', params === undefined ? [sql] : [sql, params])) as QueryResult
}

export function exposeValidator(validator: DraftValidator): Seam {
  return { validate: (kind: string, payload: unknown) => validator.validate(kind, payload) }
}
export function remoteValidator(client: UpstreamClient): DraftValidator {
  return {
    validate: async (kind, payload) =>
      (await client.call('validator', 'validate', [kind, payload])) as Awaited<ReturnType<DraftValidator['validate']>>,
  }
}

export function exposeEmbedder(embedder: Embedder): Seam {
  return {
    describe: () => ({ defaultModel: embedder.defaultModel }),
    embed: async (texts: string[], model?: string) => {
      const r = await embedder.embed(texts, model ?? undefined)
      return { model: r.model, dim: r.dim, vectors: r.vectors.map((v) => Array.from(v)) }
    },
  }
}
export async function remoteEmbedder(client: UpstreamClient): Promise<Embedder> {
  const { defaultModel } = (await client.call('embed', 'describe', [])) as { defaultModel: string }
  return {
    defaultModel,
    async embed(texts, model) {
      const r = (await client.call('embed', 'embed', model === undefined ? [texts] : [texts, model])) as {
        model: string
        dim: number
        vectors: number[][]
      }
      return { model: r.model, dim: r.dim, vectors: r.vectors.map((v) => Float32Array.from(v)) } satisfies EmbedResult
    },
  }
}

const plainItems = (items: readonly ItemInput[]) => items.map((i) => ({ ...i, vector: plainVector(i.vector) }))
const plainSearch = (input: SearchInput) => ({ ...input, vector: plainVector(input.vector) })

/** The vector indexes as matrix uses them: every method may answer later (a remote process). */
export type AsyncVectorIndexes = {
  readonly [K in keyof VectorIndexes]: (...args: Parameters<VectorIndexes[K]>) => Promise<Awaited<ReturnType<VectorIndexes[K]>>>
}

export function exposeVectors(indexes: VectorIndexes & { sources(): readonly IndexSource[] }): Seam {
  return {
    sources: () => indexes.sources(),
    create: (spec: Parameters<VectorIndexes['create']>[0]) => indexes.create(spec),
    info: (name: string) => indexes.info(name) ?? null,
    list: () => indexes.list(),
    add: (name: string, items: ItemInput[]) => indexes.add(name, items),
    search: (name: string, input: SearchInput) => indexes.search(name, input),
    has: (name: string, ids: string[]) => [...indexes.has(name, ids)],
    deleteItem: (name: string, id: string) => indexes.deleteItem(name, id),
    drop: (name: string) => indexes.drop(name),
  }
}
export function remoteVectors(client: UpstreamClient): AsyncVectorIndexes {
  const call = (method: string, args: unknown[]) => client.call('vector', method, args)
  return {
    create: async (spec) => (await call('create', [spec])) as Awaited<ReturnType<VectorIndexes['create']>>,
    info: async (name) => ((await call('info', [name])) ?? undefined) as ReturnType<VectorIndexes['info']>,
    list: async () => (await call('list', [])) as ReturnType<VectorIndexes['list']>,
    add: async (name, items) => (await call('add', [name, plainItems(items)])) as Awaited<ReturnType<VectorIndexes['add']>>,
    search: async (name, input) => (await call('search', [name, plainSearch(input)])) as Awaited<ReturnType<VectorIndexes['search']>>,
    has: async (name, ids) => new Set((await call('has', [name, ids])) as string[]),
    deleteItem: async (name, id) => (await call('deleteItem', [name, id])) as boolean,
    drop: async (name) => (await call('drop', [name])) as boolean,
  }
}

/**
 * Which dataset version each vector index was built from, for a catalog in another process than
 * vector: the catalog reads it synchronously, so it is kept here and refreshed before each
 * request the catalog (or ingest) serves. An unreachable vector keeps the last list and says so.
 */
export function remoteIndexSources(
  client: UpstreamClient,
  logger: Logger,
): { current(): readonly IndexSource[]; refresh(): Promise<void> } {
  let current: readonly IndexSource[] = []
  let warned = false
  return {
    current: () => current,
    async refresh() {
      try {
        current = (await client.call('vector', 'sources', [])) as IndexSource[]
        warned = false
      } catch (err) {
        if (!warned) logger.warn('vector index sources unavailable; the stale-index report uses the last list', { err })
        warned = true
      }
    },
  }
}
