/**
 * Shadow mode's bounds under a stream of requests: a stop that does not wait on a hung candidate
 * or a full queue and still writes the final reports, live.html rewritten while requests flow,
 * and the kept cases held to their caps. Counts and order only — no durations.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ShadowOptions, startShadowSession } from '../../src/shadow/shadow-session.ts'
import { type Fixture, inBatches, shadowOptions, startFixture } from './fixture-servers.ts'

let primary: Fixture
let secondary: Fixture
let candidate: Fixture
let hang: Fixture
let out: string

beforeAll(async () => {
  ;[primary, secondary, candidate, hang] = await Promise.all([
    startFixture('primary'),
    startFixture('primary'),
    startFixture('candidate'),
    startFixture('hang'),
  ])
  out = mkdtempSync(join(tmpdir(), 'parity-shadow-bounds-'))
})

afterAll(async () => {
  await Promise.all([primary, secondary, candidate, hang].map((f) => f?.close()))
  rmSync(out, { recursive: true, force: true })
})

function options(overrides: Partial<ShadowOptions> = {}): ShadowOptions {
  return shadowOptions({ primary: primary.url, candidate: candidate.url, secondary: secondary.url }, out, { ...overrides })
}

async function get(base: string, path: string): Promise<number> {
  const res = await request(`${base}${path}`)
  await res.body.arrayBuffer()
  return res.statusCode
}

/** Resolves once `ready()` holds, checking every 10 ms at most `tries` times; false if it never did. */
async function until(ready: () => boolean, tries = 500): Promise<boolean> {
  for (let i = 0; i < tries && !ready(); i++) await new Promise((r) => setTimeout(r, 10))
  return ready()
}

describe('shadow mode bounds', () => {
  it('stops with a hung candidate and a full queue: queued mirrors abandoned and counted, final reports written', async () => {
    // No drainMs given: the default grace (the lesser of --timeout and 2 s) applies, not the 60 s timeout.
    const session = await startShadowSession(options({ candidate: hang.url, queue: 8, concurrency: 2, timeoutMs: 60_000 }))
    await inBatches(40, 8, (i) => get(session.url, `/items/${i}`))
    const during = session.counters()
    const result = await session.stop()
    expect(during).toMatchObject({ requests: 40, mirrored: 8, dropped: 32, compared: 0 })
    const c = result.counters
    // 2 in flight and 6 queued on the candidate: all 8 abandoned, none lost from the sums.
    expect(c).toMatchObject({ mirrored: 8, compared: 0, mirrorErrors: 8, abandoned: 8, mirrorTimeouts: 0 })
    expect(c.lastErrors.at(-1)).toMatch(/^stop: 8 mirrored requests abandoned \(6 mirrors still queued/)
    const report = JSON.parse(readFileSync(join(session.reportDir, 'report.json'), 'utf8')) as { finishedAt: string }
    expect(report.finishedAt).toBe(result.report.finishedAt)
    const live = readFileSync(join(session.reportDir, 'live.html'), 'utf8')
    expect(live).toContain('stopped')
    expect(live).not.toContain('http-equiv="refresh"')
    expect(session.writes().reports).toBe(2) // at start and at stop
  })

  it('rewrites live.html on every tick while requests flow, its updatedAt never going back', async () => {
    const session = await startShadowSession(options({ reportEveryMs: 20 }))
    const seen: { live: number; at: number }[] = []
    for (let round = 0; round < 5; round++) {
      await inBatches(20, 5, (i) => get(session.url, `/items/${round * 20 + i}`))
      // Each round waits for a rewrite after its requests: five rounds, five or more rewrites.
      const before = session.writes().live
      expect(await until(() => session.writes().live > before)).toBe(true)
      const w = session.writes()
      seen.push({ live: w.live, at: w.liveUpdatedAt?.getTime() ?? 0 })
      const page = readFileSync(join(session.reportDir, 'live.html'), 'utf8')
      expect(page).toContain(`<tr><td>requests answered by the primary</td><td class="n">${(round + 1) * 20}</td></tr>`)
    }
    const result = await session.stop()
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]?.live).toBeGreaterThan(seen[i - 1]?.live ?? 0)
      expect(seen[i]?.at).toBeGreaterThanOrEqual(seen[i - 1]?.at ?? 0)
    }
    expect(result.counters.requests).toBe(100)
    expect(session.writes().reports).toBeGreaterThanOrEqual(2)
  })

  it('holds the kept cases to their caps however many requests are compared, and still counts the rest', async () => {
    // The candidate's id is a string: one divergence per request (the seed differs on the secondary too: noise).
    const session = await startShadowSession(options({ fullCases: 5, slimCases: 20, keptDivergences: 12 }))
    await inBatches(60, 6, (i) => get(session.url, `/items/${i + 1}`))
    const result = await session.stop()
    const store = session.store()
    expect(result.counters.compared).toBe(60)
    expect(store).toEqual({ cases: 12, divergences: 12, unreported: 48 })
    expect(result.report.cases).toHaveLength(12)
    expect(result.exitCode).toBe(1)
  })

  it('keeps at most full + slim cases when the divergence budget is not what binds', async () => {
    const session = await startShadowSession(options({ fullCases: 5, slimCases: 20, keptDivergences: 1_000 }))
    await inBatches(60, 6, (i) => get(session.url, `/items/${i + 1}`))
    await session.stop()
    expect(session.store()).toEqual({ cases: 25, divergences: 25, unreported: 35 })
    expect(existsSync(join(session.reportDir, 'report.html'))).toBe(true)
  })
})
