/**
 * A bounded queue of mirror requests for one target, run a few at a time. `cap` bounds every
 * mirror the queue holds — waiting and in flight — so a candidate that hangs costs at most
 * `cap` buffered requests; the proxy drops a mirror when there is no room rather than waiting,
 * so the client never does.
 */

export interface MirrorQueue {
  /** Room for one more mirror: checked for every target before offering to any, so a request is mirrored everywhere or nowhere. */
  hasRoom(): boolean
  /** Runs `task` when a slot frees. Throws if there is no room (call `hasRoom` first). */
  offer<T>(task: () => Promise<T>): Promise<T>
  /** Mirrors held now (waiting + in flight). */
  readonly size: number
  /** The most mirrors ever held at once: never above `cap`. */
  readonly highWater: number
  readonly cap: number
  /** Resolves when nothing is waiting or in flight. */
  idle(): Promise<void>
}

export function createMirrorQueue(cap: number, concurrency: number): MirrorQueue {
  const waiting: (() => void)[] = []
  let running = 0
  let held = 0
  let highWater = 0
  let idleWaiters: (() => void)[] = []

  const next = () => {
    while (running < concurrency && waiting.length > 0) {
      running++
      waiting.shift()?.()
    }
    if (held === 0) {
      for (const w of idleWaiters) w()
      idleWaiters = []
    }
  }

  return {
    hasRoom: () => held < cap,
    offer<T>(task: () => Promise<T>): Promise<T> {
      if (held >= cap) throw new Error(`mirror queue full (${cap})`)
      held++
      highWater = Math.max(highWater, held)
      const started = new Promise<void>((resolve) => waiting.push(resolve))
      next()
      return started.then(task).finally(() => {
        running--
        held--
        next()
      })
    },
    get size() {
      return held
    },
    get highWater() {
      return highWater
    },
    cap,
    idle: () => (held === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  }
}
