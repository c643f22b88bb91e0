import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, type Runtime, startServer } from './servers.ts'

/**
 * Issue 11 against real servers: a caller's catastrophic pattern must not hold the event loop.
 * Before the fix, `^(a+)+$` on 32 a's and a "!" took 20.5 s on Node with /health blocked
 * throughout (Bun 0.4–0.5 s for 32–44 a's); 48 a's would have taken Node days.
 */
const RUNTIMES: readonly Runtime[] = ['node', 'bun']
const servers = new Map<Runtime, RunningServer>()

beforeAll(async () => {
  for (const r of RUNTIMES) servers.set(r, await startServer(r))
})
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()))
})

const reproduction = (as: number) =>
  JSON.stringify({ kind: 'schema', payload: { schema: { type: 'string', pattern: '^(a+)+$' }, data: `${'a'.repeat(as)}!` } })

async function timedFetch(url: string, init?: RequestInit): Promise<{ status: number; ms: number }> {
  const start = performance.now()
  const res = await fetch(url, init)
  await res.arrayBuffer()
  return { status: res.status, ms: performance.now() - start }
}

describe.each(RUNTIMES)('%s issue 11: catastrophic pattern', (runtime) => {
  it('answers the reproduction fast while /health keeps answering under 50 ms', async () => {
    const s = servers.get(runtime)
    if (s === undefined) throw new Error('no server')
    const post = (as: number) =>
      timedFetch(`${s.url}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: reproduction(as) })
    // Warm up connections and the compiled schema, so the probes below time only the match.
    for (let i = 0; i < 3; i++) await timedFetch(`${s.url}/health`)
    expect((await post(8)).status).toBe(422)

    let done = false
    const probes: number[] = []
    const probing = (async () => {
      while (!done || probes.length < 10) {
        const probe = await timedFetch(`${s.url}/health`)
        expect(probe.status).toBe(200)
        probes.push(probe.ms)
        await new Promise((r) => setTimeout(r, 2))
      }
    })()
    const answers = []
    for (const as of [40, 48, 64, 1000]) answers.push(await post(as))
    done = true
    await probing

    expect(answers.map((a) => a.status)).toEqual([422, 422, 422, 422])
    for (const a of answers) expect(a.ms).toBeLessThan(2000)
    // The median is the 50 ms bound; a single probe on a loaded 2-core host (turbo runs other
    // packages' tests beside this one) was seen at 54–68 ms with nothing blocking, so the
    // maximum gets 1 s — the blocked event loop this guards against held /health for 20 s.
    const sorted = [...probes].sort((a, b) => a - b)
    const summary = `${runtime} /health ms ${sorted.map((p) => p.toFixed(1)).join(' ')}; validate ms ${answers.map((a) => a.ms.toFixed(1)).join(' ')}`
    expect(sorted[Math.floor(sorted.length / 2)], summary).toBeLessThan(50)
    expect(sorted.at(-1), summary).toBeLessThan(1000)
  })

  it('refuses a backreference with 400 VALIDATOR_PATTERN_UNSUPPORTED', async () => {
    const s = servers.get(runtime)
    if (s === undefined) throw new Error('no server')
    const res = await fetch(`${s.url}/v1/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'schema', payload: { schema: { type: 'string', pattern: '(a)\\1' }, data: 'aa' } }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      code: 'VALIDATOR_PATTERN_UNSUPPORTED',
      errors: [{ kind: 'schema', field: '$.schema.pattern', reason: 'unsupported_pattern' }],
    })
  })
})
