import type { ObserverEvent } from './types.ts'

/**
 * A fixed-capacity circular buffer of events in seq order. Full means evict the oldest, never
 * refuse: producers must not block on slow readers. `evictedThrough` is the seq of the newest
 * evicted event, so a reader whose cursor is below it knows it has missed events.
 */
export interface EventRing {
  readonly capacity: number
  readonly size: number
  /** Events evicted over the ring's life (including those evicted while replaying). */
  readonly evicted: number
  readonly evictedThrough: number
  readonly oldestSeq: number | null
  /** Newest seq ever pushed (0 when none). */
  readonly lastSeq: number
  push(event: ObserverEvent): void
  /** Up to `limit` events with seq > since (and the given type), in seq order. */
  after(since: number, limit: number, type?: string): ObserverEvent[]
}

export function createEventRing(capacity: number): EventRing {
  const slots = new Array<ObserverEvent | undefined>(capacity)
  let head = 0
  let size = 0
  let evicted = 0
  let evictedThrough = 0
  let lastSeq = 0
  const at = (i: number) => slots[(head + i) % capacity] as ObserverEvent
  const put = (i: number, e: ObserverEvent) => {
    slots[(head + i) % capacity] = e
  }
  const evict = (e: ObserverEvent) => {
    evicted++
    if (e.seq > evictedThrough) evictedThrough = e.seq
  }
  /** Index of the first event with seq > since (binary search: the buffer is sorted). */
  const firstAfter = (since: number) => {
    let lo = 0
    let hi = size
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (at(mid).seq > since) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  return {
    capacity,
    get size() {
      return size
    },
    get evicted() {
      return evicted
    },
    get evictedThrough() {
      return evictedThrough
    },
    get oldestSeq() {
      return size === 0 ? null : at(0).seq
    },
    get lastSeq() {
      return lastSeq
    },
    push(event) {
      if (event.seq > lastSeq) lastSeq = event.seq
      if (size === capacity) {
        // Older than everything kept: it would be evicted at once, so count it as evicted.
        if (event.seq < at(0).seq) return evict(event)
        evict(at(0))
        slots[head] = undefined
        head = (head + 1) % capacity
        size--
      }
      put(size, event)
      size++
      // Appends normally arrive in seq order; this only moves an event that overtook another.
      for (let i = size - 1; i > 0 && at(i - 1).seq > at(i).seq; i--) {
        const previous = at(i - 1)
        put(i - 1, at(i))
        put(i, previous)
      }
    },
    after(since, limit, type) {
      const out: ObserverEvent[] = []
      for (let i = firstAfter(since); i < size && out.length < limit; i++) {
        const e = at(i)
        if (type === undefined || e.type === type) out.push(e)
      }
      return out
    },
  }
}
