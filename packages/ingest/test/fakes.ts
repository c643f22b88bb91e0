import { createHash } from 'node:crypto'
import {
  type Catalog,
  type CatalogEvent,
  catalogErrors,
  type DatasetManifest,
  datasetIdFor,
  type RegisterInput,
  type RegisterOptions,
  type RegisterResult,
} from '@lakehouse/catalog'
import type { ListResult, ObjectBody, ObjectInfo, ObjectStore, PutOptions } from '@lakehouse/storage'

export interface MemoryStore extends ObjectStore {
  /** Every key passed to put, in order. */
  readonly puts: string[]
  bytes(key: string): Uint8Array | undefined
}

async function collect(body: ReadableStream<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body.slice()
  return new Uint8Array(await new Response(body).arrayBuffer())
}

/** An ObjectStore in memory: enough of the contract for ingest (put/get/head/delete/list). */
export function createMemoryStore(): MemoryStore {
  const objects = new Map<string, { bytes: Uint8Array; info: ObjectInfo }>()
  const puts: string[] = []
  return {
    kind: 'fs',
    puts,
    bytes: (key) => objects.get(key)?.bytes.slice(),
    async put(key: string, body: ReadableStream<Uint8Array> | Uint8Array, _options?: PutOptions) {
      puts.push(key)
      const bytes = await collect(body)
      const info = { key, size: bytes.length, etag: createHash('md5').update(bytes).digest('hex'), modified: new Date().toISOString() }
      objects.set(key, { bytes, info })
      return info
    },
    async get(key): Promise<ObjectBody | undefined> {
      const o = objects.get(key)
      if (o === undefined) return undefined
      const copy = o.bytes.slice()
      return { info: o.info, body: new Response(copy).body as ReadableStream<Uint8Array> }
    },
    head: async (key) => objects.get(key)?.info,
    delete: async (key) => objects.delete(key),
    async list(prefix, limit): Promise<ListResult> {
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort()
      return { items: keys.slice(0, limit).map((k) => objects.get(k)?.info as ObjectInfo), truncated: keys.length > limit }
    },
    localPath: async () => undefined,
    close: async () => undefined,
  }
}

/** A Catalog in memory with the real contract: 201 new, 200 same fingerprint, 409 otherwise. */
export function createFakeCatalog(): Catalog & { registers: RegisterInput[] } {
  const entries = new Map<string, DatasetManifest>()
  const listeners = new Set<(e: CatalogEvent) => void>()
  const registers: RegisterInput[] = []
  return {
    registers,
    async register(input: RegisterInput, options?: RegisterOptions): Promise<RegisterResult> {
      registers.push(input)
      const current = entries.get(input.name)
      if (current !== undefined) {
        if (current.fingerprint === input.fingerprint) return { status: 'existing', manifest: { ...current } }
        if (options?.replace === true) {
          const manifest: DatasetManifest = {
            ...current,
            ...input,
            schema: input.schema.map((c) => ({ ...c })),
            updated_at: new Date().toISOString(),
          }
          entries.set(input.name, manifest)
          for (const l of listeners) l({ type: 'registered', manifest })
          return { status: 'replaced', manifest: { ...manifest }, replaced_fingerprint: current.fingerprint }
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
      }
      const now = new Date().toISOString()
      const manifest: DatasetManifest = {
        dataset_id: datasetIdFor(input.name),
        ...input,
        schema: input.schema.map((c) => ({ ...c })),
        created_at: now,
        updated_at: now,
      }
      entries.set(input.name, manifest)
      for (const l of listeners) l({ type: 'registered', manifest })
      return { status: 'created', manifest: { ...manifest } }
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
  }
}
