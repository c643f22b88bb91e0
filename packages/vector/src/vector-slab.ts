/**
 * The float32 vectors of one index, in fixed-size pages of rows. usearch keeps its own
 * (possibly quantised) copy, but its JS binding cannot hand a vector back, and exact scoring,
 * brute-force search and rebuilding a graph all need one. Pages rather than one growing array,
 * so growth never copies (or briefly doubles) the whole set. Freed rows are reused.
 *
 * A save writes the rows asynchronously while adds go on. `pin()` makes that safe: while a pin
 * is held a freed row is only quarantined, so no row referenced by the snapshot being written
 * can be overwritten; rows that were already free may be reused, as the snapshot ignores them.
 */

export const PAGE_ROWS = 1024

export interface VectorSlab {
  readonly dim: number
  /** Rows ever allocated (used + free); the persisted vectors file holds exactly this many. */
  readonly rowCount: number
  /** Takes a free row (or a new one) and fills it. */
  put(vector: Float32Array): number
  free(row: number): void
  page(row: number): Float32Array
  offset(row: number): number
  /** Allocates rows up to `rowCount` (for loading a file into `chunks()`); rows not listed as used become free. */
  restore(rowCount: number, usedRows: ReadonlySet<number>): void
  /** Byte views over rows `[0, rowCount)` in row order, for writing or reading a file. */
  chunks(): Uint8Array[]
  /** Holds freed rows back from reuse until the returned release is called. */
  pin(): () => void
}

export function createVectorSlab(dim: number): VectorSlab {
  const pages: Float32Array[] = []
  const freeRows: number[] = []
  const quarantine: number[] = []
  let rowCount = 0
  let pins = 0

  const page = (row: number): Float32Array => {
    const index = Math.floor(row / PAGE_ROWS)
    while (pages.length <= index) pages.push(new Float32Array(PAGE_ROWS * dim))
    return pages[index] as Float32Array
  }

  return {
    dim,
    get rowCount() {
      return rowCount
    },
    put(vector) {
      const row = freeRows.pop() ?? rowCount++
      page(row).set(vector, (row % PAGE_ROWS) * dim)
      return row
    },
    free(row) {
      if (pins > 0) quarantine.push(row)
      else freeRows.push(row)
    },
    page,
    offset: (row) => (row % PAGE_ROWS) * dim,
    restore(count, usedRows) {
      rowCount = count
      if (count > 0) page(count - 1)
      freeRows.length = 0
      for (let row = count - 1; row >= 0; row--) if (!usedRows.has(row)) freeRows.push(row)
    },
    chunks() {
      const out: Uint8Array[] = []
      for (let start = 0; start < rowCount; start += PAGE_ROWS) {
        const p = page(start)
        out.push(new Uint8Array(p.buffer, p.byteOffset, Math.min(PAGE_ROWS, rowCount - start) * dim * 4))
      }
      return out
    },
    pin() {
      pins++
      let released = false
      return () => {
        if (released) return
        released = true
        if (--pins === 0) freeRows.push(...quarantine.splice(0))
      }
    },
  }
}
