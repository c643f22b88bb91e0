/**
 * The open model's arrival clock: scenario starts are due at a fixed rate from `startAt`. A
 * connection that finishes a scenario waits here for the next due start. A start that comes
 * due while no connection is waiting is dropped and counted (k6's `dropped_iterations`), and
 * a dispatched scenario's latency counts from its due time, not from when it was sent (wrk2's
 * "intended start"), so a slow server cannot hide its queueing.
 */
export interface Arrivals {
  /** Call `start(dueAtMs)` when the next start comes due (performance.now() clock). */
  wait(start: (dueAtMs: number) => void): void
  readonly dropped: number
  readonly dispatched: number
  stop(): void
}

export function createArrivals(ratePerS: number, startAtMs: number, endAtMs: number): Arrivals {
  const interval = 1000 / ratePerS
  const idle: ((due: number) => void)[] = []
  let next = startAtMs
  let dropped = 0
  let dispatched = 0
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const tick = () => {
    timer = undefined
    const now = performance.now()
    // Bounded: at most the starts due by now, and never past the end of the window.
    while (next <= now && next < endAtMs) {
      const start = idle.shift()
      if (start === undefined) dropped++
      else {
        dispatched++
        start(next)
      }
      next += interval
    }
    if (!stopped && next < endAtMs) {
      timer = setTimeout(tick, Math.max(0, next - performance.now()))
      timer.unref()
    }
  }
  timer = setTimeout(tick, Math.max(0, startAtMs - performance.now()))
  timer.unref()
  return {
    wait(start) {
      if (!stopped) idle.push(start)
    },
    get dropped() {
      return dropped
    },
    get dispatched() {
      return dispatched
    },
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      idle.length = 0
    },
  }
}
