import { describe, expect, it } from 'vitest'
import { generateWorkers } from '../src/index.ts'

describe('streaming', () => {
  // A memory-shape check, not a timing one: 200k rows is ~95 MB of CSV, so holding the output
  // (or any per-row state) would push the heap far past the bound.
  it('generates 200k rows without the heap growing by 100 MB', async () => {
    const before = process.memoryUsage().heapUsed
    let peak = before
    let bytes = 0
    let chunks = 0
    for await (const chunk of generateWorkers({ rows: 200_000, seed: 'stream' })) {
      bytes += chunk.byteLength
      if (++chunks % 16 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
    expect(bytes).toBeGreaterThan(80_000_000)
    expect(peak - before).toBeLessThan(100 * 1024 * 1024)
  }, 120_000)
})
