/**
 * A non-blocking counting semaphore: `tryAcquire` answers at once, never queues. A queue of
 * waiting uploads would hold their request bodies (and sockets) open with no bound; refusing
 * with 503 + Retry-After pushes the waiting back to the client, where it costs us nothing.
 */
export interface Slots {
  /** A release function, or undefined when every slot is taken. Releasing twice is harmless. */
  tryAcquire(): (() => void) | undefined
  readonly inUse: number
  readonly size: number
  /** Resolves once no slot is held (for a graceful close). */
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
    size,
    idle() {
      return inUse === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
    },
  }
}
