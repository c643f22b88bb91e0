import { createHash } from 'node:crypto'
import type { ListResult, ObjectBody, ObjectInfo, ObjectStore, PutOptions } from '@lakehouse/storage'

/**
 * An in-memory ObjectStore for tests, faithful to the interface: atomic replace (a put becomes
 * visible only once its body is complete), `maxBytes`, lexicographic list with prefix, limit
 * and `truncated`, and the HTTP API's 10,000-item cap on a page.
 */
export interface MemoryStore extends ObjectStore {
  /** Writes raw bytes without going through put (to plant corrupt manifests). */
  seed(key: string, bytes: Uint8Array | string): void
  keys(): string[]
  text(key: string): string | undefined
}

export const LIST_CAP = 10_000

async function collect(body: ReadableStream<Uint8Array> | Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) throw Object.assign(new Error('object too large'), { code: 'STORAGE_TOO_LARGE' })
    return body.slice()
  }
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value: chunk } = await reader.read()
    if (done) break
    total += chunk.byteLength
    if (total > maxBytes) throw Object.assign(new Error('object too large'), { code: 'STORAGE_TOO_LARGE' })
    chunks.push(chunk)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

export function createMemoryStore(now: () => Date = () => new Date()): MemoryStore {
  const objects = new Map<string, { bytes: Uint8Array; info: ObjectInfo }>()
  let closed = false
  const open = () => {
    if (closed) throw new Error('store is closed')
  }
  const write = (key: string, bytes: Uint8Array): ObjectInfo => {
    const info = { key, size: bytes.byteLength, etag: createHash('md5').update(bytes).digest('hex'), modified: now().toISOString() }
    objects.set(key, { bytes, info })
    return info
  }
  return {
    kind: 'fs',
    async put(key: string, body: ReadableStream<Uint8Array> | Uint8Array, options?: PutOptions) {
      open()
      return write(key, await collect(body, options?.maxBytes ?? Number.POSITIVE_INFINITY))
    },
    async get(key: string): Promise<ObjectBody | undefined> {
      open()
      const o = objects.get(key)
      if (o === undefined) return undefined
      const bytes = o.bytes.slice()
      return {
        info: o.info,
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes)
            controller.close()
          },
        }),
      }
    },
    async head(key: string) {
      open()
      return objects.get(key)?.info
    },
    async delete(key: string) {
      open()
      return objects.delete(key)
    },
    async list(prefix: string, limit: number): Promise<ListResult> {
      open()
      const cap = Math.max(1, Math.min(limit, LIST_CAP))
      const matching = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort()
      return {
        items: matching.slice(0, cap).map((k) => objects.get(k)?.info as ObjectInfo),
        truncated: matching.length > cap,
      }
    },
    async localPath() {
      return undefined
    },
    async close() {
      closed = true
    },
    seed(key, bytes) {
      write(key, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes)
    },
    keys: () => [...objects.keys()].sort(),
    text(key) {
      const o = objects.get(key)
      return o === undefined ? undefined : new TextDecoder().decode(o.bytes)
    },
  }
}

export interface FaultyStore extends ObjectStore {
  /** The next `count` puts reject (after reading nothing); Infinity for every put until healed. */
  failPuts(count: number): void
  /** Every get of this key rejects, as an unreadable object would. */
  failGet(key: string): void
  /** Every list call rejects. */
  failList(on: boolean): void
  /** Every put waits this long before writing, so concurrent callers really overlap. */
  delayPuts(ms: number): void
  heal(): void
  /** Call counts, and the most puts that were ever in progress at once. */
  readonly calls: { put: number; get: number; list: number; peakPuts: number }
}

/** Wraps a store and injects failures; a failed put leaves the inner store untouched, as an atomic put must. */
export function createFaultyStore(inner: ObjectStore): FaultyStore {
  let failingPuts = 0
  let listFails = false
  let putDelay = 0
  const failingGets = new Set<string>()
  const calls = { put: 0, get: 0, list: 0, peakPuts: 0 }
  let putsInFlight = 0
  return {
    kind: inner.kind,
    calls,
    async put(key, body, options) {
      calls.put++
      calls.peakPuts = Math.max(calls.peakPuts, ++putsInFlight)
      try {
        if (putDelay > 0) await new Promise((r) => setTimeout(r, putDelay))
        if (failingPuts > 0) {
          failingPuts--
          throw Object.assign(new Error('injected put failure (EIO)'), { code: 'EIO' })
        }
        return await inner.put(key, body, options)
      } finally {
        putsInFlight--
      }
    },
    async get(key) {
      calls.get++
      if (failingGets.has(key)) throw Object.assign(new Error('injected get failure (EIO)'), { code: 'EIO' })
      return inner.get(key)
    },
    head: (key) => inner.head(key),
    delete: (key) => inner.delete(key),
    async list(prefix, limit) {
      calls.list++
      if (listFails) throw Object.assign(new Error('injected list failure'), { code: 'ECONNRESET' })
      return inner.list(prefix, limit)
    },
    localPath: (key) => inner.localPath(key),
    close: () => inner.close(),
    failPuts(count) {
      failingPuts = count
    },
    failGet(key) {
      failingGets.add(key)
    },
    failList(on) {
      listFails = on
    },
    delayPuts(ms) {
      putDelay = ms
    },
    heal() {
      failingPuts = 0
      listFails = false
      putDelay = 0
      failingGets.clear()
    },
  }
}
