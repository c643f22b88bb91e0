/**
 * The k best of a stream of scored ids under one total order: score descending, then id
 * ascending (code-unit order, the same on every engine; `localeCompare` is not). A bounded heap
 * whose root is the worst kept entry, so a scan of n items costs O(n log k).
 */

export interface Scored {
  readonly id: string
  readonly score: number
}

/** Negative when `a` ranks before `b`. */
export function compareScored(a: Scored, b: Scored): number {
  if (a.score !== b.score) return b.score - a.score
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export interface TopK<T extends Scored> {
  offer(entry: T): void
  readonly size: number
  /** The kept entries, best first. */
  sorted(): T[]
}

export function createTopK<T extends Scored>(k: number): TopK<T> {
  const heap: T[] = []
  // In heap order the root is the entry that ranks last.
  const worse = (i: number, j: number) => compareScored(heap[i] as T, heap[j] as T) > 0
  const swap = (i: number, j: number) => {
    const t = heap[i] as T
    heap[i] = heap[j] as T
    heap[j] = t
  }
  const siftDown = (start: number) => {
    let i = start
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let top = i
      if (l < heap.length && worse(l, top)) top = l
      if (r < heap.length && worse(r, top)) top = r
      if (top === i) return
      swap(i, top)
      i = top
    }
  }
  return {
    offer(entry) {
      if (k <= 0) return
      if (heap.length < k) {
        heap.push(entry)
        let i = heap.length - 1
        while (i > 0) {
          const parent = (i - 1) >> 1
          if (!worse(i, parent)) break
          swap(i, parent)
          i = parent
        }
        return
      }
      if (compareScored(entry, heap[0] as T) < 0) {
        heap[0] = entry
        siftDown(0)
      }
    },
    get size() {
      return heap.length
    },
    sorted: () => [...heap].sort(compareScored),
  }
}
