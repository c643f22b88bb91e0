import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPORT_JSON_SCHEMA } from '../../src/report/index.ts'
import { type ShadowOptions, startShadowSession } from '../../src/shadow/shadow-session.ts'
import { BIG, type Fixture, inBatches, shadowOptions, startFixture } from './fixture-servers.ts'

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
  out = mkdtempSync(join(tmpdir(), 'parity-shadow-'))
})

afterAll(async () => {
  await Promise.all([primary, secondary, candidate, hang].map((f) => f?.close()))
  rmSync(out, { recursive: true, force: true })
})

function options(overrides: Partial<ShadowOptions> = {}): ShadowOptions {
  return shadowOptions({ primary: primary.url, candidate: candidate.url, secondary: secondary.url }, out, {
    slimCases: 10_000,
    ...overrides,
  })
}

async function fetchRaw(base: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await request(`${base}${path}`, {
    method: (init.method ?? 'GET') as 'GET',
    body: init.body ?? null,
    headers: init.headers ?? {},
  })
  const body = Buffer.from(await res.body.arrayBuffer())
  return { status: res.statusCode, headers: res.headers, body }
}

function since(f: Fixture, mark: number) {
  return f.received.slice(mark)
}

describe('shadow mode', () => {
  it('answers 50 concurrent clients with the primary’s bytes, mirrors each once, and finds the id change but not the per-process seed', async () => {
    const marks = [candidate.received.length, secondary.received.length]
    const session = await startShadowSession(options())
    const paths = Array.from({ length: 50 }, (_, i) => (i % 10 === 9 ? '/big' : `/items/${i + 1}`))
    const viaProxy = await inBatches(50, 10, (i) => fetchRaw(session.url, paths[i] ?? '/'))
    const direct = await inBatches(50, 10, (i) => fetchRaw(primary.url, paths[i] ?? '/'))
    const result = await session.stop()

    for (const [i, got] of viaProxy.entries()) {
      const want = direct[i]
      expect(got.status).toBe(want?.status)
      expect(got.body.equals(want?.body ?? Buffer.alloc(0))).toBe(true)
      expect(got.headers['content-type']).toBe(want?.headers['content-type'])
      expect(got.headers['x-served-by']).toBe(want?.headers['x-served-by'])
    }
    expect(viaProxy.filter((r) => r.body.toString() === BIG)).toHaveLength(5)

    const c = result.counters
    expect(c.requests).toBe(50)
    expect(c.mirrored + c.dropped + c.skippedUnsafe + c.skippedLarge + c.primaryErrors).toBe(50)
    expect(c.mirrored).toBe(50)
    expect(c.compared + c.mirrorErrors).toBe(c.mirrored)
    expect(c.compared).toBe(50)
    expect(since(candidate, marks[0] ?? 0)).toHaveLength(50)
    expect(since(secondary, marks[1] ?? 0)).toHaveLength(50)

    const r = result.report
    expect(r.settings.noise).toBe('secondary')
    expect(r.settings.secondaryUrl).toBe(secondary.url)
    expect(r.cases.map((x) => x.id).slice(0, 2)).toEqual(['shadow.000001', 'shadow.000002'])
    // The deliberate change is the one finding; the seed differs on every target but is noise.
    expect(r.findings.map((f) => `${f.class} ${f.path} ${f.shape}`)).toEqual(['type $.id integer→string'])
    expect(r.findings[0]?.endpoints.map((e) => e.endpoint)).toEqual(['GET /items/{id}'])
    expect(r.findings[0]?.occurrences).toBe(45)
    expect(r.divergences.some((d) => d.path.includes('seed'))).toBe(false)
    expect(r.summary.noise).toBe(45)
    expect(result.exitCode).toBe(1)
  })

  it('writes the four reports (valid against the report schema) and a self-contained live page', async () => {
    const session = await startShadowSession(options())
    await inBatches(6, 3, (i) => fetchRaw(session.url, `/items/${i}`))
    const live = await fetchRaw(session.url, '/__parity/live')
    const result = await session.stop()
    expect(result.counters.requests).toBe(6) // the live page is not traffic
    expect(live.status).toBe(200)
    expect(live.body.toString()).toContain('http-equiv="refresh"')

    const json = JSON.parse(readFileSync(join(session.reportDir, 'report.json'), 'utf8'))
    const validate = new Ajv({ allErrors: true, strict: true }).compile(REPORT_JSON_SCHEMA)
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    expect(json.cases).toHaveLength(6)
    expect(readFileSync(join(session.reportDir, 'summary.md'), 'utf8')).toContain('$.id')
    expect(readFileSync(join(session.reportDir, 'junit.xml'), 'utf8')).toContain('<testsuite')
    expect(readFileSync(join(session.reportDir, 'report.html'), 'utf8')).toContain('<html')
    const page = readFileSync(join(session.reportDir, 'live.html'), 'utf8')
    expect(page).toMatch(/compared<\/td><td class="n">6</)
    expect(page).toContain('$.id')
    expect(page).not.toContain('http-equiv="refresh"') // the final page stops reloading
    expect(page).not.toMatch(/<script|<link|src=|@import|url\(/)
  })

  it('rewrites the reports while running, not only at the end', async () => {
    const session = await startShadowSession(options({ reportEveryMs: 50 }))
    await inBatches(3, 3, (i) => fetchRaw(session.url, `/items/${i}`))
    let seen = 0
    for (let i = 0; i < 200 && seen < 3; i++) {
      await new Promise((r) => setTimeout(r, 25))
      seen = JSON.parse(readFileSync(join(session.reportDir, 'report.json'), 'utf8')).cases.length
    }
    const live = readFileSync(join(session.reportDir, 'live.html'), 'utf8')
    await session.stop()
    expect(seen).toBe(3)
    expect(live).toContain('http-equiv="refresh"')
  })

  it('does not mirror writes unless --mirror-writes', async () => {
    const send = (base: string) => (i: number) =>
      fetchRaw(
        base,
        `/items/${i}`,
        i % 2 === 0 ? { method: 'POST', body: `{"n":${i}}`, headers: { 'content-type': 'application/json' } } : {},
      )
    let mark = candidate.received.length
    let session = await startShadowSession(options())
    await inBatches(20, 5, send(session.url))
    let result = await session.stop()
    expect(result.counters).toMatchObject({ requests: 20, mirrored: 10, skippedUnsafe: 10, dropped: 0 })
    expect(since(candidate, mark).map((r) => r.method)).not.toContain('POST')

    mark = candidate.received.length
    session = await startShadowSession(options({ mirrorWrites: true }))
    await inBatches(20, 5, send(session.url))
    result = await session.stop()
    expect(result.counters).toMatchObject({ requests: 20, mirrored: 20, skippedUnsafe: 0, compared: 20 })
    const posts = since(candidate, mark).filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(10)
    expect(posts.map((p) => p.body).sort()).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18].map((n) => `{"n":${n}}`).sort())
  })

  it('keeps a hanging candidate away from clients: the queue never holds more than its cap, the rest are dropped and counted', async () => {
    // A long timeout, so no mirror settles while clients run: the counts do not depend on timing.
    const session = await startShadowSession(options({ candidate: hang.url, queue: 4, concurrency: 2, timeoutMs: 60_000, drainMs: 0 }))
    const answers = await inBatches(50, 10, (i) => fetchRaw(session.url, `/items/${i}`))
    const during = session.counters()
    const result = await session.stop()
    expect(answers.every((a) => a.status === 200 && JSON.parse(a.body.toString()).seed !== undefined)).toBe(true)
    expect(during).toMatchObject({ requests: 50, mirrored: 4, dropped: 46, compared: 0 })
    expect(during.queueHighWater.candidate).toBe(4)
    expect(during.queueHighWater.secondary).toBeLessThanOrEqual(4)
    expect(during.droppedAt.candidate).toBe(46) // the secondary may have been full at times too: it answers, but only as fast as it does
    const c = result.counters
    expect(c.mirrored + c.dropped).toBe(50)
    expect(c.mirrorErrors).toBe(4) // abandoned at stop
    expect(c.compared).toBe(0)
    expect(result.report.cases).toHaveLength(0)
    expect(result.exitCode).toBe(2)
  })

  it('sends each target its own headers and answers but does not mirror a body over the copy limit', async () => {
    const marks = [primary.received.length, candidate.received.length, secondary.received.length]
    const session = await startShadowSession(
      options({
        copyLimit: 4096,
        headers: { primary: { 'x-env': 'prod' }, candidate: { authorization: 'Bearer cand' }, secondary: { authorization: '' } },
      }),
    )
    await fetchRaw(session.url, '/items/7', { headers: { authorization: 'Bearer client' } })
    const big = await fetchRaw(session.url, '/big')
    const result = await session.stop()
    expect(big.body.toString()).toBe(BIG)
    expect(result.counters).toMatchObject({ requests: 2, mirrored: 1, skippedLarge: 1 })
    const [p, c, s] = [since(primary, marks[0] ?? 0), since(candidate, marks[1] ?? 0), since(secondary, marks[2] ?? 0)]
    expect(p[0]?.headers).toMatchObject({ authorization: 'Bearer client', 'x-env': 'prod' })
    expect(c[0]?.headers.authorization).toBe('Bearer cand')
    expect(c[0]?.headers['x-env']).toBeUndefined()
    expect(s[0]?.headers.authorization).toBeUndefined()
    expect(c).toHaveLength(1)
  })

  it('streams a large request body to the primary whole, without mirroring it', async () => {
    const mark = primary.received.length
    const session = await startShadowSession(options({ copyLimit: 4096, mirrorWrites: true }))
    const body = JSON.stringify({ text: 'y'.repeat(200_000) })
    const answer = await fetchRaw(session.url, '/items/3', { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    const result = await session.stop()
    expect(answer.status).toBe(201)
    expect(since(primary, mark).map((r) => r.body)).toEqual([body])
    expect(result.counters).toMatchObject({ requests: 1, skippedLarge: 1, mirrored: 0 })
  })

  it('answers 502 when the primary does not answer, counts it, and mirrors nothing', async () => {
    const gone = await startFixture('primary')
    await gone.close()
    const mark = candidate.received.length
    const session = await startShadowSession(options({ primary: gone.url }))
    const answer = await fetchRaw(session.url, '/items/1')
    const result = await session.stop()
    expect(answer.status).toBe(502)
    expect(result.counters).toMatchObject({ requests: 1, primaryErrors: 1, mirrored: 0 })
    expect(since(candidate, mark)).toHaveLength(0)
  })
})
