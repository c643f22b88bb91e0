import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentedCodes } from './errors-doc.ts'
import { Findings, preview, report } from './findings.ts'
import { FUZZ, replayHint } from './fuzz-config.ts'
import { type FuzzRequest, fuzzRequest } from './http-arbitraries.ts'
import { createHttpClient, type HttpClient, type Seen } from './http-client.ts'
import { type HttpGap, KNOWN_GAPS, knownHttpGap } from './known-gaps.ts'
import { REPO_ROOT } from './repo.ts'
import { readRoutes } from './routes.ts'
import { healthStatus, isAlive, loggedFailures, type ServerPair, startPair } from './servers.ts'
import { detailOf, judge, summarize } from './verdict.ts'

const codes = documentedCodes()
const routes = readRoutes()
/** `X-Request-Id` values the gateway echoes (packages/kit/src/request-id.ts). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/
/**
 * Requests in flight per runtime. Each runtime still gets them one at a time and in generated
 * order (one kept-alive connection each); the window only lets the faster runtime run ahead
 * instead of waiting for the slower one after every request.
 */
const WINDOW = 16

let pair: ServerPair
let clients: { node: HttpClient; bun: HttpClient }

beforeAll(async () => {
  pair = await startPair()
  clients = { node: createHttpClient(pair.node.url), bun: createHttpClient(pair.bun.url) }
})

afterAll(async () => {
  clients?.node.close()
  clients?.bun.close()
  await pair?.stop()
})

function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers)
    .filter(([k, v]) => k !== 'authorization' || !v.endsWith('0123456789abcdef'))
    .map(([k, v]) => `${k}: ${preview(v, 60)}`)
  const body = req.body === undefined ? '' : ` body${req.chunked ? ' (chunked)' : ''} ${preview(req.body, 100)}`
  return `${req.method} ${preview(req.target, 160)}${headers.length > 0 ? ` [${headers.join('; ')}]` : ''}${body} {${req.kind}}`
}

describe('the fuzzer reads every route', () => {
  it('resolves every registration in packages/*/src/routes.ts', () => {
    let registrations = 0
    for (const pkg of readdirSync(join(REPO_ROOT, 'packages'))) {
      let text: string
      try {
        text = readFileSync(join(REPO_ROOT, 'packages', pkg, 'src/routes.ts'), 'utf8')
      } catch {
        continue
      }
      registrations += text.split('\n').filter((l) => /^\s*(?:return createRouter\(\))?\s*\.(get|post|put|delete|on)\(/.test(l)).length
    }
    // +1: the gateway's /health.
    expect(routes.length).toBe(registrations + 1)
    expect(routes.length).toBeGreaterThanOrEqual(40)
  })
})

describe('fuzz: generated HTTP requests, both runtimes', () => {
  it(
    `${FUZZ.runs} malformed requests per runtime: no 5xx, problem+json with documented codes, same status on Node and Bun`,
    async () => {
      const started = performance.now()
      const findings = new Findings()
      const known = new Findings()
      /** Request ids a known gap explained: their log lines are that gap's too. */
      const gapped = new Map<string, string>()
      const perRoute = new Map<string, number>()
      const statuses = new Map<number, number>()
      const described = new Map<string, { route: string; text: string }>()
      const refused: string[] = []
      const inFlight = new Set<Promise<void>>()
      let seq = 0
      console.log(`fuzz http: ${replayHint(FUZZ.runs, 'FUZZ_RUNS')}`)

      /** Judges one answered pair; true when every property held. */
      const judgeOne = (id: string, req: FuzzRequest, text: string, node: Seen, bun: Seen): boolean => {
        perRoute.set(req.route, (perRoute.get(req.route) ?? 0) + 1)
        for (const s of [node.status, bun.status]) if (s !== undefined) statuses.set(s, (statuses.get(s) ?? 0) + 1)
        if (node.outcome === 'refused' || bun.outcome === 'refused') {
          refused.push(`${text}: ${node.error ?? bun.error}`)
          return true
        }
        for (const [runtime, seen] of [
          ['node', node],
          ['bun', bun],
        ] as const) {
          if (seen.resetAfter === undefined) continue
          const prev = described.get(seen.resetAfter)
          findings.add(
            prev?.route ?? '?',
            runtime === 'node' ? 'reset the kept-alive connection' : '',
            runtime === 'bun' ? 'reset the kept-alive connection' : '',
            [
              {
                property: 'keep-alive',
                detail: `${runtime} answered ${seen.resetAfter} without Connection: close, then reset the connection`,
              },
            ],
            `${seen.resetAfter} ${prev?.text ?? ''}`,
          )
        }
        const sentId = req.headers['x-request-id'] ?? id
        const violations = judge(node, bun, { codes, method: req.method, ...(ACCEPTABLE_ID.test(sentId) ? { requestId: sentId } : {}) })
        const gap = violations.length > 0 ? knownHttpGap(req, node, bun, { codes, method: req.method }) : undefined
        if (gap !== undefined) {
          gapped.set(id, gap.id)
          known.add(gap.id, summarize(node), summarize(bun), violations, `${id} ${text}`)
          return true
        }
        if (violations.length > 0) {
          const after = [...new Set([node.after, bun.after])]
            .filter((a) => a !== undefined)
            .map((a) => `${a}: ${described.get(a)?.text.slice(0, 200)}`)
          const said = [
            ['node', node],
            ['bun', bun],
          ]
            .map(([r, s]) => [r, detailOf(s as Seen)])
            .filter(([, d]) => d !== '')
            .map(([r, d]) => `${r} said "${d}"`)
          const context = [...said, ...(after.length > 0 ? [`sent after ${after.join(' / ')}`] : [])]
          findings.add(
            req.route,
            summarize(node),
            summarize(bun),
            violations,
            `${id} ${text}${context.length > 0 ? ` — ${context.join('; ')}` : ''}`,
          )
        }
        return violations.length === 0
      }

      const property = fc.asyncProperty(fuzzRequest(routes), async (req) => {
        const id = `fz-${++seq}`
        const text = describeRequest(req)
        described.set(id, { route: req.route, text })
        const both = Promise.all([clients.node.send(req, id), clients.bun.send(req, id)])
        if (FUZZ.shrink) {
          const [node, bun] = await both
          return judgeOne(id, req, text, node, bun)
        }
        const judged = both.then(([node, bun]) => void judgeOne(id, req, text, node, bun))
        inFlight.add(judged)
        void judged.finally(() => inFlight.delete(judged))
        if (inFlight.size >= WINDOW) await Promise.race(inFlight)
        if (!isAlive(pair.node) || !isAlive(pair.bun)) throw new Error(`a server exited by ${id}`)
        return true
      })
      const details = await fc.check(property, { seed: FUZZ.seed, numRuns: FUZZ.runs, endOnFailure: !FUZZ.shrink })
      await Promise.all(inFlight)

      // Give the last access-log lines a moment, then attribute every logged failure to its request.
      await new Promise((r) => setTimeout(r, 300))
      for (const app of [pair.node, pair.bun]) {
        for (const f of loggedFailures(app)) {
          const req = f.reqId === undefined ? undefined : described.get(f.reqId)
          const logged = `logged ${f.status ?? ''} ${f.code ?? ''}`
          const gap = f.reqId === undefined ? undefined : gapped.get(f.reqId)
          ;(gap === undefined ? findings : known).add(
            gap ?? req?.route ?? '(unattributed log line)',
            app.runtime === 'node' ? logged : '',
            app.runtime === 'bun' ? logged : '',
            [{ property: 'no-5xx-logged', detail: f.line }],
            `${f.reqId ?? ''} ${req?.text ?? f.line}`,
          )
        }
      }
      const alive = { node: isAlive(pair.node), bun: isAlive(pair.bun) }
      const health = { node: await healthStatus(pair.node), bun: await healthStatus(pair.bun) }
      const seconds = (performance.now() - started) / 1000
      const histogram = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`)
      console.log(
        `fuzz http: ${seq} requests per runtime over ${perRoute.size}/${routes.length} routes in ${seconds.toFixed(1)} s; ` +
          `statuses ${histogram.join(' ')}; ${findings.total} violations in ${findings.size} groups; known gaps: ${known.total} violations in ${known.size} groups`,
      )
      if (known.size > 0) console.log(`known gaps (docs/fuzz.md), violations: ${known.counts()}`)
      report(
        findings.markdown(
          `HTTP fuzz (${new Date().toISOString()})`,
          `${seq} requests per runtime, ${replayHint(FUZZ.runs, 'FUZZ_RUNS')}, ${seconds.toFixed(1)} s. Alive: node ${alive.node}, bun ${alive.bun}; /health node ${health.node}, bun ${health.bun}.`,
        ),
      )

      if (known.size > 0)
        report(known.markdown('HTTP fuzz: known gaps', `${seq} requests per runtime, ${replayHint(FUZZ.runs, 'FUZZ_RUNS')}.`))

      if (details.failed) {
        const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? '')
        const example = details.counterexample?.[0] === undefined ? '' : describeRequest(details.counterexample[0])
        throw new Error(
          `property failed (${replayHint(FUZZ.runs, 'FUZZ_RUNS')}, path ${details.counterexamplePath}): ${reason}\n${example}\n${findings.text()}`,
        )
      }
      expect(refused, 'requests node:http refused to frame (a generator bug)').toEqual([])
      expect(seq).toBeGreaterThanOrEqual(FUZZ.runs)
      expect({ alive, health }, 'both servers still up').toEqual({ alive: { node: true, bun: true }, health: { node: 200, bun: 200 } })
      expect(
        routes.filter((r) => !perRoute.has(`${r.method} ${r.pattern}`)).map((r) => `${r.method} ${r.pattern}`),
        'routes never fuzzed',
      ).toEqual([])
      if (findings.size > 0) throw new Error(`${findings.total} violations (${replayHint(FUZZ.runs, 'FUZZ_RUNS')}):\n${findings.text()}`)
    },
    Math.max(300_000, FUZZ.runs * 40),
  )
})

const HTTP_GAPS = KNOWN_GAPS.filter((g): g is HttpGap => g.via === 'http')

// Skipped while no HTTP gap is open (an empty suite is an error to vitest).
describe.skipIf(HTTP_GAPS.length === 0)('known HTTP gaps (test/known-gaps.ts, docs/fuzz.md) still reproduce', () => {
  it.skipIf(HTTP_GAPS.length > 0)('has none open', () => undefined)
  let n = 0
  for (const gap of HTTP_GAPS) {
    it(`${gap.id} — when this fails the gap has closed: delete it from KNOWN_GAPS and from docs/fuzz.md`, async () => {
      const id = `fz-gap-${++n}`
      const req = gap.reproduction
      const [node, bun] = await Promise.all([clients.node.send(req, id), clients.bun.send(req, id)])
      expect(gap.matches(req, node, bun, { codes, method: req.method }), `node: ${summarize(node)}; bun: ${summarize(bun)}`).toBe(true)
    })
  }
})
