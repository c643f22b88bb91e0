import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentedCodes } from './errors-doc.ts'
import { Findings, report } from './findings.ts'
import { FUZZ, replayHint } from './fuzz-config.ts'
import type { Seen } from './http-client.ts'
import { KNOWN_GAPS, knownRawGap, type RawGap } from './known-gaps.ts'
import { RAW_KINDS, type RawCase, type RawKind, REPRODUCTIONS, rawCase } from './raw-cases.ts'
import { type RawAnswer, rawExchange } from './raw-client.ts'
import { healthStatus, isAlive, loggedFailures, portOf, type ServerPair, startPair } from './servers.ts'
import { detailOf, judge, summarize, type Violation } from './verdict.ts'

const codes = documentedCodes()
/** Raw exchanges in flight at once; each opens its own connection, so order does not matter. */
const WINDOW = 8
let pair: ServerPair

beforeAll(async () => {
  pair = await startPair()
})

afterAll(async () => {
  await pair?.stop()
})

function seenOf(a: RawAnswer): Seen {
  return {
    outcome: a.outcome,
    status: a.status,
    contentType: a.headers['content-type'],
    requestId: a.headers['x-request-id'],
    body: a.body,
    ...(a.outcome === 'answered'
      ? {}
      : { error: `after ${a.ms} ms${a.head === '' ? '' : `, received ${JSON.stringify(a.head.slice(0, 80))}`}` }),
  }
}

interface RawResult {
  readonly node: readonly RawAnswer[]
  readonly bun: readonly RawAnswer[]
  readonly violations: Violation[]
  /** The known gap (test/known-gaps.ts) that explains the first answers' violations, if one does. */
  readonly gap: string | undefined
}

const firstWrite = (c: RawCase) => {
  const w = c.exchange.writes[0]
  return typeof w === 'string' ? w : ''
}

/** Sends one case to both runtimes at once and judges the answers. */
async function runCase(c: RawCase): Promise<RawResult> {
  const [node, bun] = await Promise.all([
    rawExchange(portOf(pair.node), c.exchange, c.answers),
    rawExchange(portOf(pair.bun), c.exchange, c.answers),
  ])
  const method = firstWrite(c).split(' ', 1)[0] ?? ''
  const [n0, b0] = [node[0], bun[0]]
  if (n0 === undefined || b0 === undefined) throw new Error('no answer slots')
  const violations = judge(seenOf(n0), seenOf(b0), { codes, method, answerOwed: c.answerOwed })
  if (c.answers === 2) {
    // The connection must stay usable after an answer, unless that answer said Connection: close.
    for (const [runtime, answers] of [
      ['node', node],
      ['bun', bun],
    ] as const) {
      const [first, second] = answers
      if (first?.outcome !== 'answered' || second === undefined) continue
      const closing = /\bclose\b/i.test(first.headers.connection ?? '')
      if (!closing && second.outcome !== 'answered') {
        violations.push({
          property: 'keep-alive',
          detail: `${runtime}: answered ${first.status} without Connection: close, then the next request got ${second.outcome}`,
        })
      } else if (second.outcome === 'answered' && second.status !== 200) {
        violations.push({ property: 'keep-alive', detail: `${runtime}: the next request (GET /health) got ${summarize(seenOf(second))}` })
      }
    }
  }
  // Only the first answers' violations can be a known gap; keep-alive and log findings never are.
  const gap = violations.length > 0 && c.answers === 1 ? knownRawGap(c, seenOf(n0), seenOf(b0), { codes, method })?.id : undefined
  return { node, bun, violations, gap }
}

/** Log lines at level error for the given request ids (an aborted body must not log a 500). */
function loggedFor(ids: ReadonlySet<string>): Violation[] {
  const out: Violation[] = []
  for (const app of [pair.node, pair.bun]) {
    for (const f of loggedFailures(app)) {
      if (f.reqId !== undefined && ids.has(f.reqId))
        out.push({ property: 'no-5xx-logged', detail: `${app.runtime}: logged ${f.status} ${f.code} for ${f.reqId}` })
    }
  }
  return out
}

const settle = () => new Promise((r) => setTimeout(r, 300))
const answerText = (answers: readonly RawAnswer[]) =>
  answers.map((a) => `${summarize(seenOf(a))}${detailOf(seenOf(a)) ? ` "${detailOf(seenOf(a))}"` : ''}`).join(' then ')

describe('fuzz: raw-socket requests, both runtimes', () => {
  it(
    `${FUZZ.rawRuns} generated exchanges per runtime: an answer within 5 s, no 5xx, problem+json with documented codes, same status`,
    async () => {
      const started = performance.now()
      const findings = new Findings()
      const known = new Findings()
      const perKind = new Map<RawKind, number>()
      const titles = new Map<string, RawCase>()
      const inFlight = new Set<Promise<void>>()
      let seq = 0
      console.log(`fuzz raw: ${replayHint(FUZZ.rawRuns, 'FUZZ_RAW_RUNS')}`)

      const record = (c: RawCase, r: RawResult) => {
        perKind.set(c.kind, (perKind.get(c.kind) ?? 0) + 1)
        if (r.violations.length === 0) return
        const [n0, b0] = [r.node[0], r.bun[0]]
        if (n0 === undefined || b0 === undefined) return
        const into = r.gap === undefined ? findings : known
        into.add(
          r.gap ?? c.kind,
          summarize(seenOf(n0)),
          summarize(seenOf(b0)),
          r.violations,
          `${c.title} — node: ${answerText(r.node)}; bun: ${answerText(r.bun)}`,
        )
      }

      const property = fc.asyncProperty(rawCase, async (build) => {
        const c = build(++seq)
        titles.set(`fzr-${seq}`, c)
        if (FUZZ.shrink) {
          const r = await runCase(c)
          record(c, r)
          return r.gap !== undefined || r.violations.length === 0
        }
        const p = runCase(c).then((r) => record(c, r))
        inFlight.add(p)
        void p.finally(() => inFlight.delete(p))
        if (inFlight.size >= WINDOW) await Promise.race(inFlight)
        return true
      })
      const details = await fc.check(property, { seed: FUZZ.seed, numRuns: FUZZ.rawRuns, endOnFailure: !FUZZ.shrink })
      await Promise.all(inFlight)
      await settle()
      for (const app of [pair.node, pair.bun]) {
        for (const f of loggedFailures(app)) {
          const c = f.reqId === undefined ? undefined : titles.get(f.reqId)
          const logged = `logged ${f.status ?? ''} ${f.code ?? ''}`
          findings.add(
            c?.kind ?? '(unattributed log line)',
            app.runtime === 'node' ? logged : '',
            app.runtime === 'bun' ? logged : '',
            [{ property: 'no-5xx-logged', detail: f.line }],
            `${f.reqId ?? ''} ${c?.title ?? f.line}`,
          )
        }
      }
      const alive = { node: isAlive(pair.node), bun: isAlive(pair.bun) }
      const health = { node: await healthStatus(pair.node), bun: await healthStatus(pair.bun) }
      const seconds = (performance.now() - started) / 1000
      console.log(
        `fuzz raw: ${seq} exchanges per runtime over ${perKind.size}/${RAW_KINDS.length} kinds in ${seconds.toFixed(1)} s; ` +
          `${findings.total} violations in ${findings.size} groups; known gaps: ${known.total} violations in ${known.size} groups`,
      )
      if (known.size > 0) console.log(`known gaps (docs/fuzz.md), violations: ${known.counts()}`)
      const header = `${seq} exchanges per runtime, ${replayHint(FUZZ.rawRuns, 'FUZZ_RAW_RUNS')}, ${seconds.toFixed(1)} s. Alive: node ${alive.node}, bun ${alive.bun}; /health node ${health.node}, bun ${health.bun}.`
      report(findings.markdown(`Raw-socket fuzz (${new Date().toISOString()})`, header))
      if (known.size > 0) report(known.markdown('Raw-socket fuzz: known gaps', header))

      if (details.failed) {
        const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? '')
        throw new Error(
          `property failed (${replayHint(FUZZ.rawRuns, 'FUZZ_RAW_RUNS')}, path ${details.counterexamplePath}): ${reason}\n${findings.text()}`,
        )
      }
      expect({ alive, health }, 'both servers still up').toEqual({ alive: { node: true, bun: true }, health: { node: 200, bun: 200 } })
      expect(
        RAW_KINDS.filter((k) => !perKind.has(k)),
        'kinds never generated',
      ).toEqual([])
      if (findings.size > 0)
        throw new Error(`${findings.total} violations (${replayHint(FUZZ.rawRuns, 'FUZZ_RAW_RUNS')}):\n${findings.text()}`)
    },
    Math.max(300_000, FUZZ.rawRuns * 200),
  )
})

/** What each reproduction did before issue 12, for the test names (and the git log). */
const BEFORE: Record<keyof typeof REPRODUCTIONS, string> = {
  nulInTarget: 'a NUL in the request target is one 400 problem on both (was: Node 400 with no body, Bun 505)',
  spaceInTarget: 'a space in the request target is one 400 problem on both (was: Node 400 with no body, Bun 505)',
  unknownMethod: 'method FOO gets a problem answer on both (was: Node 400 with no body, Bun closed silently)',
  connect: 'CONNECT gets a 4xx problem on both (was: Node closed silently, Bun 500 without a request id)',
  longTarget: 'a 100 KB request target gets a problem+json answer (was: 431 plain text)',
  longHeader: 'a 100 KB header gets a problem+json answer (was: 431 plain text)',
  http10NoHost: 'HTTP/1.0 without Host is served alike, with a request id (was: Bun 500 without a request id)',
  badHost: 'Host: [::1 is one 400 problem with a request id (was: Node 400 with no body, Bun 500 without a request id)',
  duplicateContentLength: 'two different Content-Length headers are one 400 problem on both',
  badChunkSize: 'a chunk size that is not hex is one 400 problem on both, and no 500 is logged',
  truncatedBody: 'a client closing mid-body is not logged as 500 INTERNAL',
  manyHeaders: '200 small header fields are a 431 on both (was: Node served them, Bun 431 plain text)',
  delInTarget: 'a DEL byte in the request target is refused by Node, routed by Bun (known gap)',
  doubleSpace: 'two spaces after the method are served by Node, refused by Bun (known gap)',
  keepAliveAfterUnreadBody: 'an answer given before the body was read leaves the connection usable, or says Connection: close',
}

describe('issue 12: below the application', () => {
  let n = 1_000_000
  for (const [name, build] of Object.entries(REPRODUCTIONS) as [keyof typeof REPRODUCTIONS, (n: number) => RawCase][]) {
    const c = build(++n)
    const id = `fzr-${n}`
    it(`${BEFORE[name]} — ${c.title}`, async () => {
      const r = await runCase(c)
      await settle()
      // A known gap (docs/fuzz.md) passes here and is pinned by the test below.
      const violations = [...(r.gap === undefined ? r.violations : []), ...loggedFor(new Set([id]))]
      if (r.gap !== undefined) console.log(`${c.title}: known gap ${r.gap}`)
      expect(violations, `node: ${answerText(r.node)}; bun: ${answerText(r.bun)}`).toEqual([])
      expect([isAlive(pair.node), isAlive(pair.bun)]).toEqual([true, true])
    })
  }
})

describe('known raw-socket gaps (test/known-gaps.ts, docs/fuzz.md) still reproduce', () => {
  let n = 2_000_000
  for (const gap of KNOWN_GAPS.filter((g): g is RawGap => g.via === 'raw')) {
    it(`${gap.id} — when this fails the gap has closed: delete it from KNOWN_GAPS and from docs/fuzz.md`, async () => {
      const c = gap.reproduction(++n)
      const r = await runCase(c)
      const [n0, b0] = [r.node[0], r.bun[0]]
      if (n0 === undefined || b0 === undefined) throw new Error('no answer slots')
      const method = firstWrite(c).split(' ', 1)[0] ?? ''
      expect(
        gap.matches(seenOf(n0), seenOf(b0), { codes, method }),
        `${c.title} — node: ${answerText(r.node)}; bun: ${answerText(r.bun)}`,
      ).toBe(true)
    })
  }
})
