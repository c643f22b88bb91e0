/**
 * A fixed set of items (DuckDB connections) handed out one caller at a time. A DuckDB
 * connection runs one query at a time and `interrupt()` acts on the connection, so exclusive
 * use is what makes a timeout hit only its own query. Waiters are served first-come first-served
 * and give up at their deadline; `close()` refuses new callers and waits for the busy ones.
 */
export interface Pool<T> {
  /** Resolves with an item, or undefined when `waitMs` passes first. Throws once closed. */
  acquire(waitMs: number): Promise<T | undefined>
  release(item: T): void
  /** Items currently leased, e.g. to interrupt them at shutdown. */
  busy(): readonly T[]
  /** Callers waiting for an item. */
  waiting(): number
  /** Items free right now. */
  available(): number
  /** Refuses new and waiting callers, then resolves when every leased item is back. */
  close(): Promise<void>
}

interface Waiter<T> {
  resolve(item: T | undefined): void
  reject(err: unknown): void
  timer: ReturnType<typeof setTimeout>
}

export function createPool<T>(items: readonly T[], closedError: () => Error): Pool<T> {
  const free = [...items]
  const leased = new Set<T>()
  const waiters: Waiter<T>[] = []
  let closed = false
  let onIdle: (() => void) | undefined

  const lease = (item: T): T => {
    leased.add(item)
    return item
  }

  return {
    acquire(waitMs) {
      if (closed) return Promise.reject(closedError())
      const item = free.pop()
      if (item !== undefined) return Promise.resolve(lease(item))
      return new Promise<T | undefined>((resolve, reject) => {
        const waiter: Waiter<T> = {
          resolve,
          reject,
          timer: setTimeout(
            () => {
              waiters.splice(waiters.indexOf(waiter), 1)
              resolve(undefined)
            },
            Math.max(0, waitMs),
          ),
        }
        // A waiting request must not keep the process alive on its own.
        waiter.timer.unref?.()
        waiters.push(waiter)
      })
    },
    release(item) {
      if (!leased.delete(item)) return
      const next = closed ? undefined : waiters.shift()
      if (next !== undefined) {
        clearTimeout(next.timer)
        next.resolve(lease(item))
        return
      }
      free.push(item)
      if (leased.size === 0) onIdle?.()
    },
    busy: () => [...leased],
    waiting: () => waiters.length,
    available: () => free.length,
    close() {
      closed = true
      for (const w of waiters.splice(0)) {
        clearTimeout(w.timer)
        w.reject(closedError())
      }
      if (leased.size === 0) return Promise.resolve()
      return new Promise<void>((resolve) => {
        onIdle = resolve
      })
    },
  }
}
