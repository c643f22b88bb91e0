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
  /**
   * Rejects every mirror still waiting for a slot with `why` (their tasks never run) and returns
   * how many there were; what is in flight is left to finish. Used when the run stops.
   */
  abandonWaiting(why: Error): number
}

export function createMirrorQueue(cap: number, concurrency: number): MirrorQueue {
  const waiting: { start: () => void; abandon: (why: Error) => void }[] = []
  let running = 0
  let held = 0
  let highWater = 0
  let idleWaiters: (() => void)[] = []

  const next = () => {
    while (running < concurrency && waiting.length > 0) {
      running++
      waiting.shift()?.start()
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
      let ran = false
      const started = new Promise<void>((resolve, reject) =>
        waiting.push({
          start: () => {
            ran = true
            resolve()
          },
          abandon: reject,
        }),
      )
      next()
      return started.then(task).finally(() => {
        if (ran) running--
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
    abandonWaiting(why) {
      const abandoned = waiting.splice(0)
      for (const w of abandoned) w.abandon(why)
      return abandoned.length
    },
    idle: () => (held === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  }
}
