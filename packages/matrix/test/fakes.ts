import type { Embedder, EmbedResult } from '@lakehouse/embed'
import { defineErrors } from '@lakehouse/kit'
import type { Filter, Hit, IndexInfo, ItemInput, Metadata, MetadataValue, Metric, SearchInput, VectorIndexes } from '@lakehouse/vector'

/**
 * In-memory stand-ins for the embed and vector services, implementing the semantics written in
 * packages/{embed,vector}/src/types.ts: exact search (no HNSW), so tests see the ideal ranking.
 */

const fakeErrors = defineErrors('fake', {
  EMBED_UNKNOWN_MODEL: { status: 400, title: 'Unknown Model', description: 'fake' },
  VECTOR_INDEX_NOT_FOUND: { status: 404, title: 'Index Not Found', description: 'fake' },
  VECTOR_INDEX_CONFLICT: { status: 409, title: 'Index Conflict', description: 'fake' },
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

interface StoredItem {
  readonly vector: Float32Array
  readonly metadata: Metadata
}

interface StoredIndex {
  readonly spec: { name: string; dim: number; metric: Metric; model: string }
  readonly items: Map<string, StoredItem>
}

export interface FakeIndexes extends VectorIndexes {
  /** Every search call: index name and input. */
  readonly searches: { name: string; input: SearchInput }[]
}

const lower = (v: MetadataValue): MetadataValue => (typeof v === 'string' ? v.toLowerCase() : v)

function scalarMatches(item: MetadataValue | undefined, wanted: MetadataValue): boolean {
  // A member missing from the item counts as null (docs/vector.md, "Filters").
  if (item === undefined) return wanted === null
  if (Array.isArray(item)) return item.some((x) => lower(x) === lower(wanted))
  return lower(item) === lower(wanted)
}

export function filterMatches(metadata: Metadata, filter: Filter | undefined): boolean {
  if (filter === undefined) return true
  return Object.entries(filter).every(([key, cond]) => {
    const value = metadata[key]
    if (cond !== null && typeof cond === 'object' && !Array.isArray(cond) && 'in' in cond) {
      return cond.in.some((w) => scalarMatches(value, w))
    }
    return scalarMatches(value, cond as MetadataValue)
  })
}

function score(metric: Metric, a: Float32Array, b: Float32Array): number {
  let dot = 0
  let na = 0
  let nb = 0
  let d2 = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0
    const y = b[i] ?? 0
    dot += x * y
    na += x * x
    nb += y * y
    d2 += (x - y) * (x - y)
  }
  if (metric === 'ip') return dot
  if (metric === 'l2sq') return -d2
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

export function createFakeIndexes(embedder: Embedder): FakeIndexes {
  const indexes = new Map<string, StoredIndex>()
  const searches: { name: string; input: SearchInput }[] = []

  const get = (name: string): StoredIndex => {
    const index = indexes.get(name)
    if (index === undefined) throw fakeErrors.problem('VECTOR_INDEX_NOT_FOUND', { detail: `no index ${name}` })
    return index
  }
  const infoOf = (index: StoredIndex): IndexInfo => ({ ...index.spec, size: index.items.size })
  const vectorOf = async (index: StoredIndex, v: readonly number[] | Float32Array | undefined, text: string | undefined) => {
    if (v !== undefined) return Float32Array.from(v)
    const r = await embedder.embed([text ?? ''], index.spec.model)
    return r.vectors[0] as Float32Array
  }

  return {
    searches,
    async create(spec) {
      const model = spec.model ?? embedder.defaultModel
      const existing = indexes.get(spec.name)
      if (existing !== undefined) {
        const same = existing.spec.dim === spec.dim && existing.spec.metric === spec.metric && existing.spec.model === model
        if (!same) throw fakeErrors.problem('VECTOR_INDEX_CONFLICT', { detail: `index ${spec.name} exists with another spec` })
        return { status: 'existing', info: infoOf(existing) }
      }
      const index: StoredIndex = { spec: { name: spec.name, dim: spec.dim, metric: spec.metric, model }, items: new Map() }
      indexes.set(spec.name, index)
      return { status: 'created', info: infoOf(index) }
    },
    info: (name) => {
      const index = indexes.get(name)
      return index === undefined ? undefined : infoOf(index)
    },
    list: () => [...indexes.values()].map(infoOf),
    async add(name, items: readonly ItemInput[]) {
      const index = get(name)
      let added = 0
      let replaced = 0
      for (const item of items) {
        const vector = await vectorOf(index, item.vector, item.text)
        if (vector.length !== index.spec.dim) throw new TypeError(`dim ${vector.length} != ${index.spec.dim}`)
        if (index.items.has(item.id)) replaced++
        else added++
        index.items.set(item.id, { vector, metadata: structuredClone(item.metadata ?? {}) })
      }
      return { added, replaced }
    },
    async search(name, input) {
      searches.push({ name, input })
      const index = get(name)
      const query = await vectorOf(index, input.vector, input.text)
      const excluded = new Set(input.excludeIds ?? [])
      const hits: Hit[] = []
      for (const [id, item] of index.items) {
        if (excluded.has(id) || !filterMatches(item.metadata, input.filter)) continue
        hits.push({ id, score: score(index.spec.metric, query, item.vector), metadata: item.metadata })
      }
      hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      return hits.slice(0, input.k)
    },
    has(name, ids) {
      const index = indexes.get(name)
      return new Set(ids.filter((id) => index?.items.has(id) === true))
    },
    async deleteItem(name, id) {
      return get(name).items.delete(id)
    },
    async drop(name) {
      return indexes.delete(name)
    },
  }
}
