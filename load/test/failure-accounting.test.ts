import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Measurement } from '../src/model.ts'
import { drive } from '../src/run/drive.ts'
import { buildMeasurement } from '../src/run/measurement.ts'
import { type FaultServer, startFaultServer } from './fixtures/fault-server.ts'
import { FAULT_MIX, mixFromYaml } from './fixtures/mixes.ts'

/**
 * The load generator's books against a server that fails on purpose: injected 500s, hangs
 * past the timeout, wrong bodies, resets and closes. Internal identities must hold exactly;
 * our counters must equal autocannon's; and the server's own counts may exceed ours only by
 * the requests still in flight when the window closed (at most one per connection).
 */
describe('failure accounting (fault-injecting server)', () => {
  let server: FaultServer
  let m: Measurement
  const connections = 4
  const mix = mixFromYaml(FAULT_MIX)

  beforeAll(async () => {
    server = await startFaultServer()
    const d = await drive({
      url: server.url,
      mix,
      connections,
      durationS: 3,
      timeoutS: 1,
      model: 'closed',
      seed: 'faults',
      iterations: { value: 0 },
    })
    m = buildMeasurement({ target: 'faults', tier: connections, round: 1, model: 'closed', connections, mix, drive: d, samples: [] })
    // Requests written as the window closed may still be arriving.
    await new Promise((r) => setTimeout(r, 200))
  })
  afterAll(() => server.close())

  const sc = (name: string) => {
    const s = m.per_scenario.find((x) => x.name === name)
    if (s === undefined) throw new Error(`no scenario ${name}`)
    return s
  }
  const within = (serverCount: number, ours: number) => {
    expect(serverCount).toBeGreaterThanOrEqual(ours)
    expect(serverCount - ours).toBeLessThanOrEqual(connections)
  }

  it('ran every scenario', () => {
    for (const s of m.per_scenario) expect(s.started, s.name).toBeGreaterThan(0)
  })

  it('counts our requests exactly as autocannon does', () => {
    expect(m.reconciliation.mismatches).toEqual([])
    expect(m.reconciliation.reconciled).toBe(true)
    const ours = m.reconciliation.ours
    expect(ours.requests).toBe(ours.responses + ours.interrupted + ours.in_flight_at_end)
  })

  it('closes the books per scenario: started = ok + failed + unfinished', () => {
    for (const s of m.per_scenario) expect(s.started, s.name).toBe(s.ok + s.failed + s.unfinished)
    expect(m.scenarios.started).toBe(m.scenarios.ok + m.scenarios.failed + m.scenarios.unfinished)
  })

  it('good flows never fail, and captured values reach the next step', () => {
    expect(sc('good').failed).toBe(0)
    expect(sc('good').ok).toBeGreaterThan(0)
    expect(sc('good').steps[1]?.ok).toBe(sc('good').ok)
  })

  it('an injected 500 fails its step and scenario with cause status, and skips the step after it', () => {
    const s = sc('s500')
    expect(s.ok).toBe(0)
    expect(s.failures).toEqual({ status: s.failed, assertion: 0, timeout: 0, reset: 0, error: 0 })
    expect(s.steps[1]?.failures.status).toBe(s.failed)
    expect(s.steps[2]?.skipped).toBe(s.failed)
    expect(s.steps[2]?.sent).toBe(0)
    within(server.answered.get('/status/500') ?? 0, s.steps[1]?.failures.status ?? -1)
  })

  it('a wrong body is a failure with cause assertion, never a success', () => {
    const s = sc('wrong')
    expect(s.ok).toBe(0)
    expect(s.failures.assertion).toBe(s.failed)
    within(server.answered.get('/wrong') ?? 0, s.failures.assertion)
  })

  it('a hang past the timeout is a timeout, counted once, equal to autocannon', () => {
    const s = sc('hang')
    expect(s.ok).toBe(0)
    expect(s.failures.timeout).toBe(s.failed)
    expect(m.failures.timeout).toBe(s.failed)
    expect(m.reconciliation.autocannon.timeouts).toBe(s.failed)
    within(server.hits.get('/hang') ?? 0, s.failures.timeout)
  })

  it('reset and closed connections are failures with cause reset', () => {
    for (const name of ['drop', 'close']) {
      const s = sc(name)
      expect(s.ok, name).toBe(0)
      expect(s.failures.reset, name).toBe(s.failed)
      within(server.hits.get(`/${name}`) ?? 0, s.failures.reset)
    }
    expect(m.failures.reset).toBe(sc('drop').failed + sc('close').failed)
  })

  it('fail % and totals add up across scenarios', () => {
    const failed = m.per_scenario.reduce((a, s) => a + s.failed, 0)
    expect(m.scenarios.failed).toBe(failed)
    const byCause = Object.values(m.failures).reduce((a, b) => a + b, 0)
    expect(byCause).toBe(failed)
    expect(m.fail_pct).toBeCloseTo((failed / (m.scenarios.ok + failed)) * 100, 3)
  })

  it('keeps examples of what failed', () => {
    const causes = new Set(m.failure_examples.map((e) => e.cause))
    expect(causes.has('status') || causes.has('assertion') || causes.has('reset')).toBe(true)
    for (const e of m.failure_examples) expect(e.message).not.toBe('')
  })
})
