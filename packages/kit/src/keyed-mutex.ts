/**
 * One promise chain per key: `run(key, fn)` starts `fn` only after every earlier `run` for the
 * same key has settled; different keys never wait on each other. An entry is removed when its
 * last holder finishes, so the map stays as small as the set of busy keys. In-process only:
 * it is not a cross-process lock.
 */
export interface KeyedMutex {
  run<T>(key: string, fn: () => Promise<T> | T): Promise<T>
  /** Resolves once every run started so far has settled. */
  idle(): Promise<void>
}

export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<void>>()
  return {
    async run(key, fn) {
      const previous = tails.get(key) ?? Promise.resolve()
      let release = () => {}
      const mine = new Promise<void>((resolve) => {
        release = resolve
      })
      // `previous` only ever resolves (it is built from `mine` promises), so the chain cannot break.
      const tail = previous.then(() => mine)
      tails.set(key, tail)
      await previous
      try {
        return await fn()
      } finally {
        release()
        if (tails.get(key) === tail) tails.delete(key)
      }
    },
    async idle() {
      await Promise.all([...tails.values()])
    },
  }
}
