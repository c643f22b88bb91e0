import { fsProblem } from './fs-errors.ts'
import type { ObjectStore } from './object-store.ts'

export interface FaultyObjectStore extends ObjectStore {
  /** The next `count` puts reject without reading their body; Infinity for every put until healed. */
  failPuts(count: number, errno?: string): void
  /** Every get of this key rejects, as an unreadable object would. */
  failGet(key: string, errno?: string): void
  /** Every list call rejects while on. */
  failList(on: boolean, errno?: string): void
  /** Every put waits this long first, so concurrent callers really overlap. */
  delayPuts(ms: number): void
  heal(): void
  /** Call counts, and the most puts ever in progress at once. */
  readonly calls: { put: number; get: number; list: number; peakPuts: number }
  /** The key of every put call, in call order (failed ones included). */
  readonly puts: string[]
}

/** The problem the fs backend raises for this errno in this operation, so callers meet real errors. */
function injected(operation: string, errno: string) {
  return fsProblem(operation, Object.assign(new Error(`injected ${operation} failure (${errno})`), { code: errno }))
}

/**
 * Wraps a store to inject failures and count calls. An injected put failure happens before the
 * inner store is touched, so it leaves the store as it was, as a failed atomic put must.
 */
export function createFaultyObjectStore(inner: ObjectStore): FaultyObjectStore {
  let failingPuts = 0
  let putErrno = 'EIO'
  let listErrno: string | undefined
  let putDelay = 0
  const failingGets = new Map<string, string>()
  const calls = { put: 0, get: 0, list: 0, peakPuts: 0 }
  const puts: string[] = []
  let putsInFlight = 0
  return {
    kind: inner.kind,
    calls,
    puts,
    async put(key, body, options) {
      calls.put++
      puts.push(key)
      calls.peakPuts = Math.max(calls.peakPuts, ++putsInFlight)
      try {
        if (putDelay > 0) await new Promise((r) => setTimeout(r, putDelay))
        if (failingPuts > 0) {
          failingPuts--
          throw injected('write', putErrno)
        }
        return await inner.put(key, body, options)
      } finally {
        putsInFlight--
      }
    },
    async get(key) {
      calls.get++
      const errno = failingGets.get(key)
      if (errno !== undefined) throw injected('read', errno)
      return inner.get(key)
    },
    head: (key) => inner.head(key),
    delete: (key) => inner.delete(key),
    async list(prefix, limit) {
      calls.list++
      if (listErrno !== undefined) throw injected('list', listErrno)
      return inner.list(prefix, limit)
    },
    localPath: (key) => inner.localPath(key),
    close: () => inner.close(),
    failPuts(count, errno = 'EIO') {
      failingPuts = count
      putErrno = errno
    },
    failGet(key, errno = 'EIO') {
      failingGets.set(key, errno)
    },
    failList(on, errno = 'EIO') {
      listErrno = on ? errno : undefined
    },
    delayPuts(ms) {
      putDelay = ms
    },
    heal() {
      failingPuts = 0
      listErrno = undefined
      putDelay = 0
      failingGets.clear()
    },
  }
}
