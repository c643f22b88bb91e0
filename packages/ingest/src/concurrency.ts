/** A non-blocking counting semaphore: a full house is an answer (503), not a queue. */
export interface Slots {
  /** A release function (call once), or undefined when every slot is taken. */
  tryAcquire(): (() => void) | undefined
  readonly inUse: number
  /** Resolves once no slot is held. */
  idle(): Promise<void>
}

export function createSlots(size: number): Slots {
  let inUse = 0
  let waiters: (() => void)[] = []
  return {
    tryAcquire() {
      if (inUse >= size) return undefined
      inUse++
      let released = false
      return () => {
        if (released) return
        released = true
        inUse--
        if (inUse === 0) {
          const ready = waiters
          waiters = []
          for (const w of ready) w()
        }
      }
    },
    get inUse() {
      return inUse
    },
    idle() {
      return inUse === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
    },
  }
}

/** Runs tasks for the same key one after another, in arrival order; different keys run freely. */
export interface KeyedMutex {
  run<T>(key: string, task: () => Promise<T>): Promise<T>
}

export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<void>>()
  return {
    async run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve()
      let unlock = () => {}
      const mine = new Promise<void>((resolve) => {
        unlock = resolve
      })
      const tail = previous.then(() => mine)
      tails.set(key, tail)
      await previous
      try {
        return await task()
      } finally {
        unlock()
        // Last in line: drop the entry so the map does not grow with every name ever seen.
        if (tails.get(key) === tail) tails.delete(key)
      }
    },
  }
}
