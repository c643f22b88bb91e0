import {
  type Catalog,
  type CatalogEvent,
  catalogErrors,
  type DatasetManifest,
  type DatasetVersion,
  datasetIdFor,
  type RegisterInput,
  type RegisterOptions,
  type RegisterResult,
} from '@lakehouse/catalog'
import { createMemoryObjectStore, type MemoryObjectStore } from '@lakehouse/storage/testing'

export interface MemoryStore extends MemoryObjectStore {
  /** Every key passed to put, in order (refused and failed puts included). */
  readonly puts: string[]
}

/** Storage's in-memory store (held to the storage conformance suite), recording the keys put. */
export function createMemoryStore(): MemoryStore {
  const store = createMemoryObjectStore()
  const puts: string[] = []
  return {
    ...store,
    puts,
    put(key, body, options) {
      puts.push(key)
      return store.put(key, body, options)
    },
  }
}

/**
 * A Catalog in memory with the real contract: 201 new; 200 existing for the live object's key
 * (same content); replaced for other content (same fingerprint, or another one with `replace`);
 * 409 otherwise. Versions are kept unbounded; restore is not needed by ingest's tests.
 */
export function createFakeCatalog(): Catalog & { registers: RegisterInput[]; writing: string[] } {
  const entries = new Map<string, DatasetManifest>()
  const history = new Map<string, DatasetVersion[]>()
  const listeners = new Set<(e: CatalogEvent) => void>()
  const registers: RegisterInput[] = []
  const writing: string[] = []
  const commit = (input: RegisterInput, current: DatasetManifest | undefined): DatasetManifest => {
    const now = new Date().toISOString()
    const versions = history.get(input.name) ?? []
    const version = versions.length + 1
    const { content_hash, ...members } = input
    const manifest: DatasetManifest = {
      dataset_id: datasetIdFor(input.name),
      ...members,
      schema: input.schema.map((c) => ({ ...c })),
      created_at: current?.created_at ?? now,
      updated_at: now,
      version,
      content_hash: content_hash ?? null,
    }
    const { dataset_id: _id, name: _name, updated_at: _u, ...entry } = manifest
    history.set(input.name, [...versions, { ...entry, created_at: now }])
    entries.set(input.name, manifest)
    for (const l of listeners) l({ type: 'registered', manifest })
    return manifest
  }
  const summary = (m: DatasetManifest) => ({
    version: m.version,
    content_hash: m.content_hash,
    fingerprint: m.fingerprint,
    row_count: m.row_count,
  })
  return {
    registers,
    writing,
    async register(input: RegisterInput, options?: RegisterOptions): Promise<RegisterResult> {
      registers.push(input)
      const current = entries.get(input.name)
      if (current === undefined) return { status: 'created', manifest: { ...commit(input, undefined) } }
      if (current.object_key === input.object_key) return { status: 'existing', manifest: { ...current } }
      if (current.fingerprint === input.fingerprint) {
        return { status: 'replaced', manifest: { ...commit(input, current) }, previous: summary(current) }
      }
      if (options?.replace === true) {
        const manifest = commit(input, current)
        return { status: 'replaced', manifest: { ...manifest }, previous: summary(current), replaced_fingerprint: current.fingerprint }
      }
      throw catalogErrors.problem('CATALOG_SCHEMA_CONFLICT', {
        detail: `dataset ${input.name} is registered with fingerprint ${current.fingerprint}, not ${input.fingerprint}`,
        extensions: {
          name: input.name,
          dataset_id: current.dataset_id,
          existing_fingerprint: current.fingerprint,
          attempted_fingerprint: input.fingerprint,
        },
      })
    },
    get: (name) => {
      const m = entries.get(name)
      return m === undefined ? undefined : { ...m }
    },
    list: () => [...entries.values()].sort((a, b) => a.name.localeCompare(b.name)),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    versions: (name) => (entries.has(name) ? [...(history.get(name) ?? [])].reverse() : undefined),
    restore: () => Promise.reject(new Error('not used by ingest')),
    staleIndexes: () => [],
    beginWrite(name) {
      writing.push(name)
      return () => {
        writing.splice(writing.indexOf(name), 1)
      }
    },
  }
}
