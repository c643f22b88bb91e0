import { describe, expect, it } from 'vitest'
import { littlesLaw } from '../src/run/measurement.ts'

describe('littlesLaw (L = λ·W)', () => {
  it('gives 1 when every connection is always busy: 10 connections, 1,000 req/s at 10 ms', () => {
    expect(littlesLaw(10, 1_000, 10_000)).toEqual({
      connections: 10,
      requests_per_s: 1_000,
      mean_request_latency_us: 10_000,
      busy_connections: 10,
      ratio: 1,
    })
  })

  it('shows time lost between requests as a ratio below 1 (the generator, not the server)', () => {
    // 50 connections but only 2,000 req/s at 5 ms: 10 busy on average.
    const l = littlesLaw(50, 2_000, 5_000)
    expect(l.busy_connections).toBe(10)
    expect(l.ratio).toBe(0.2)
  })

  it('is 0 for no connections or no traffic, never NaN', () => {
    expect(littlesLaw(0, 0, 0).ratio).toBe(0)
    expect(littlesLaw(10, 0, 0).ratio).toBe(0)
  })
})
