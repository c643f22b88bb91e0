import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SILENT_LOGGER } from '@lakehouse/kit'
import { closedProblem, fsProblem, keyConflictProblem } from './fs-errors.ts'
import { compareKeys } from './key-order.ts'
import { assertValidKey, assertValidPrefix } from './key-policy.ts'
import type { ListResult, ObjectBody, ObjectInfo, ObjectStore } from './object-store.ts'
import { createDownloadCache, type DownloadCache } from './s3-cache.ts'
import { prepareScratchDir } from './scratch-dir.ts'
import { pumpBody } from './write-body.ts'

export interface MemoryObjectStoreOptions {
  /** Clock for `modified` (default: the system clock). */
  readonly now?: () => Date
  /**
   * Where `localPath` writes its copies. Default: a temp directory made on first use and removed
   * by `close`.
   */
  readonly cacheDir?: string
}

/** An ObjectStore in memory, plus synchronous set-up and looks at its contents for assertions. */
export interface MemoryObjectStore extends ObjectStore {
  /** Stores an object at once (text as UTF-8), with put's key policy and conflict rules: test set-up without awaiting. */
  seed(key: string, content: Uint8Array | string): ObjectInfo
  /** Every stored key, in list order. */
  keys(): string[]
  /** A copy of the stored bytes, or undefined when the key holds no object. */
  bytes(key: string): Uint8Array | undefined
  /** The stored bytes decoded as UTF-8, or undefined when the key holds no object. */
  text(key: string): string | undefined
}

interface Stored {
  readonly bytes: Uint8Array
  readonly info: ObjectInfo
}

/** The fs backend's read chunk, so consumers see multi-chunk bodies here too. */
const CHUNK_BYTES = 64 * 1024

function bodyOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let position = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (position >= bytes.byteLength) {
          controller.close()
          return
        }
        // A fresh copy per chunk: the consumer may keep or modify what it was given.
        controller.enqueue(bytes.slice(position, position + CHUNK_BYTES))
        position += CHUNK_BYTES
      },
    },
    { highWaterMark: 0 },
  )
}

/**
 * The filesystem backend's semantics without the filesystem, for tests of the packages that use a
 * store: the same key policy, SHA-256 etags, `maxBytes` and body-failure errors (the shared body
 * pump), atomic replace (an object becomes visible only once its body is complete), UTF-8 byte
 * order in `list`, STORAGE_KEY_CONFLICT when a key is also another key's "directory", and the
 * closed-store error. `localPath` writes a real file through the S3 backend's download cache,
 * because callers hand that path to DuckDB. Kept honest by the storage conformance suite.
 */
export function createMemoryObjectStore(options: MemoryObjectStoreOptions = {}): MemoryObjectStore {
  const now = options.now ?? (() => new Date())
  const objects = new Map<string, Stored>()
  const inflight = new Set<Promise<unknown>>()
  let cache: Promise<{ cache: DownloadCache; dir: string; owned: boolean }> | undefined
  let closed = false

  const track = <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(closedProblem())
    const p = work()
    inflight.add(p)
    p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    )
    return p
  }

  const openCache = () => {
    cache ??= (async () => {
      const owned = options.cacheDir === undefined
      const dir = options.cacheDir ?? (await mkdtemp(join(tmpdir(), 'lakehouse-memory-store-')))
      const tmp = join(dir, '.tmp')
      prepareScratchDir(tmp, 'storage.memory.cacheDir', SILENT_LOGGER)
      return { cache: createDownloadCache(dir, tmp), dir, owned }
    })()
    return cache
  }

  /** The fs backend cannot hold `a` and `a/b` at once: one would have to be a file and a directory. */
  const conflicts = (key: string): boolean => {
    for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) if (objects.has(key.slice(0, i))) return true
    const below = `${key}/`
    for (const other of objects.keys()) if (other.startsWith(below)) return true
    return false
  }

  /** The commit of every write: all or nothing, checked at commit as the fs backend's rename is. */
  const commit = (key: string, bytes: Uint8Array): ObjectInfo => {
    if (conflicts(key)) throw keyConflictProblem(key, undefined)
    const info: ObjectInfo = {
      key,
      size: bytes.byteLength,
      etag: createHash('sha256').update(bytes).digest('hex'),
      modified: now().toISOString(),
    }
    objects.set(key, { bytes, info })
    return { ...info }
  }

  const put = async (key: string, body: ReadableStream<Uint8Array> | Uint8Array, maxBytes: number | undefined) => {
    const chunks: Uint8Array[] = []
    const size = await pumpBody(body, maxBytes, (chunk) => {
      chunks.push(chunk.slice())
    })
    const bytes = new Uint8Array(size)
    let at = 0
    for (const chunk of chunks) {
      bytes.set(chunk, at)
      at += chunk.byteLength
    }
    return commit(key, bytes)
  }

  const remove = async (key: string) => {
    const existed = objects.delete(key)
    if (cache !== undefined) await (await cache).cache.forget(key)
    return existed
  }

  const headOf = async (key: string) => {
    const found = objects.get(key)
    return found === undefined ? undefined : { ...found.info }
  }

  const getOf = async (key: string): Promise<ObjectBody | undefined> => {
    const found = objects.get(key)
    return found === undefined ? undefined : { info: { ...found.info }, body: bodyOf(found.bytes) }
  }

  return {
    // The fs backend's rules, key conflicts included, are the ones this store keeps.
    kind: 'fs',
    put(key, body, opts = {}) {
      assertValidKey(key)
      return track(() => put(key, body, opts.maxBytes))
    },
    async get(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return getOf(key)
    },
    async head(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return headOf(key)
    },
    delete(key) {
      assertValidKey(key)
      return track(() => remove(key))
    },
    async list(prefix, limit): Promise<ListResult> {
      assertValidPrefix(prefix)
      if (closed) throw closedProblem()
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys)
      const items = keys.slice(0, Math.max(0, limit)).map((k) => ({ ...(objects.get(k) as Stored).info }))
      return { items, truncated: keys.length > limit }
    },
    async localPath(key) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      if (!objects.has(key) && cache === undefined) return undefined
      const { cache: files } = await openCache()
      return files
        .localPath(
          key,
          () => headOf(key),
          () => getOf(key),
        )
        .catch((err: unknown) => Promise.reject(fsProblem('download', err)))
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.allSettled([...inflight])
      const opened = await cache?.catch(() => undefined)
      if (opened?.owned === true) await rm(opened.dir, { recursive: true, force: true })
    },
    seed(key, content) {
      assertValidKey(key)
      if (closed) throw closedProblem()
      return commit(key, typeof content === 'string' ? new TextEncoder().encode(content) : content.slice())
    },
    keys: () => [...objects.keys()].sort(compareKeys),
    bytes: (key) => objects.get(key)?.bytes.slice(),
    text(key) {
      const found = objects.get(key)
      return found === undefined ? undefined : new TextDecoder().decode(found.bytes)
    },
  }
}
