import type { ObjectStore } from '@lakehouse/storage'

export interface WatchedStore {
  /** The same store; every put and delete is reported to the listeners. */
  readonly store: ObjectStore
  /**
   * `listener(key)` runs when a put or delete of `key` starts and again when it settles
   * (resolved or not): whatever was derived from the object before the second call may
   * describe the old bytes or the new ones. Returns an unsubscribe.
   */
  onWrite(listener: (key: string) => void): () => void
}

/**
 * The store every component shares, with a hook on writes. Re-ingesting different rows with
 * the same schema rewrites the live object under the same key, and when the row count is also
 * the same the catalog does not change at all (ADR-014: that register is byte-identical, no
 * event), so the write itself is the only signal that a dataset's content changed.
 */
export function watchObjectWrites(inner: ObjectStore): WatchedStore {
  const listeners = new Set<(key: string) => void>()
  const notify = (key: string) => {
    for (const listener of listeners) listener(key)
  }
  const written = async <T>(key: string, write: () => Promise<T>): Promise<T> => {
    notify(key)
    try {
      return await write()
    } finally {
      notify(key)
    }
  }
  const store: ObjectStore = {
    kind: inner.kind,
    put: (key, body, options) => written(key, () => inner.put(key, body, options)),
    delete: (key) => written(key, () => inner.delete(key)),
    get: (key) => inner.get(key),
    head: (key) => inner.head(key),
    list: (prefix, limit) => inner.list(prefix, limit),
    localPath: (key) => inner.localPath(key),
    close: () => inner.close(),
  }
  return {
    store,
    onWrite(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
