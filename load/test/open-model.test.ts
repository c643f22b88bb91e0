import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createArrivals } from '../src/run/arrivals.ts'
import { drive } from '../src/run/drive.ts'
import { buildMeasurement } from '../src/run/measurement.ts'
import { type FaultServer, startFaultServer } from './fixtures/fault-server.ts'
import { mixFromYaml } from './fixtures/mixes.ts'

const one = (path: string) =>
  mixFromYaml(`
name: open
scenarios:
  - name: only
    weight: 1
    steps:
      - { name: a, method: GET, path: ${path} }
`)

describe('createArrivals', () => {
  it('drops a start that comes due while no connection waits, and dispatches the rest on time', async () => {
    const t0 = performance.now()
    const a = createArrivals(100, t0, t0 + 500)
    const due: number[] = []
    // One waiting connection that never comes back: the first start is dispatched, the rest dropped.
    a.wait((d) => due.push(d))
    await new Promise((r) => setTimeout(r, 700))
    a.stop()
    expect(due).toEqual([t0])
    expect(a.dispatched).toBe(1)
    expect(a.dropped).toBe(49)
  })
})

describe('open model (--rate)', () => {
  let server: FaultServer
  beforeAll(async () => {
    server = await startFaultServer()
  })
  afterAll(() => server.close())

  it('counts starts that found every connection busy as dropped', async () => {
    const mix = one('/hang')
    const d = await drive({
      url: server.url,
      mix,
      connections: 2,
      durationS: 2,
      timeoutS: 1,
      model: 'open',
      rate: 50,
      seed: 'o',
      iterations: { value: 0 },
    })
    const m = buildMeasurement({ target: 't', tier: 2, round: 1, model: 'open', connections: 2, rate: 50, mix, drive: d, samples: [] })
    // 2 s × 50/s = 100 starts due; two connections each busy for the 1 s timeout take about four.
    expect(m.scenarios.started + m.scenarios.dropped).toBeGreaterThanOrEqual(98)
    expect(m.scenarios.started + m.scenarios.dropped).toBeLessThanOrEqual(101)
    expect(m.scenarios.started).toBeLessThanOrEqual(6)
    expect(m.scenarios.dropped).toBeGreaterThanOrEqual(90)
    expect(m.reconciliation.mismatches).toEqual([])
  })

  it('starts at the rate, drops nothing when connections are free, and times from the intended start', async () => {
    const mix = one('/delay/30')
    const d = await drive({
      url: server.url,
      mix,
      connections: 8,
      durationS: 2,
      timeoutS: 2,
      model: 'open',
      rate: 40,
      seed: 'o',
      iterations: { value: 0 },
    })
    const m = buildMeasurement({ target: 't', tier: 8, round: 1, model: 'open', connections: 8, rate: 40, mix, drive: d, samples: [] })
    expect(m.scenarios.dropped).toBe(0)
    expect(m.scenarios.started).toBeGreaterThanOrEqual(78)
    expect(m.scenarios.started).toBeLessThanOrEqual(81)
    expect(m.latency.min_us).toBeGreaterThanOrEqual(30_000)
    expect(m.reconciliation.mismatches).toEqual([])
  })
})
