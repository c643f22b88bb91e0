/**
 * In-process mutual exclusion per key. The fs backend holds it only around the two renames of a
 * commit (object, then etag sidecar) and around a delete, so a reader that takes it sees the
 * object and its sidecar as one pair. It is not a cross-process lock: one store per root.
 */
export interface KeyedMutex {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>
}

export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<void>>()
  return {
    async run(key, fn) {
      const previous = tails.get(key) ?? Promise.resolve()
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      const tail = previous.then(() => held)
      tails.set(key, tail)
      await previous
      try {
        return await fn()
      } finally {
        release()
        // Only the last waiter removes the entry, so the map holds keys with waiters only.
        if (tails.get(key) === tail) tails.delete(key)
      }
    },
  }
}
