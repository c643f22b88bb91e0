/**
 * A shadow run: the proxy answering clients from the primary, a bounded mirror queue and client
 * per mirror target, the comparison of every mirrored request, and the reports rewritten every
 * few seconds into `<outDir>/<runId>/` (report.json, summary.md, report.html, junit.xml and
 * live.html). `stop()` ends it: no new clients, mirrors given a grace period, final reports.
 */
import { join } from 'node:path'
import { type CompareRules, EMPTY_RULES, type FailOn, type RunReport, type TargetInfo } from '../model.ts'
import { assembleReport, newRunId, writeAtomic, writeReportFiles } from '../run/assemble-report.ts'
import { knownDivergences, type TrackerRow } from '../tracker/index.ts'
import { type CaseStore, createCaseStore } from './case-store.ts'
import { renderLivePage } from './live-page.ts'
import { createMirrorClient, MirrorFailure, type MirrorRequest } from './mirror-client.ts'
import { createMirrorQueue, type MirrorQueue } from './mirror-queue.ts'
import { CANDIDATE, compareShadowCase, PRIMARY, SHADOW_PAIRS } from './shadow-case.ts'
import { emptyCounters, noteError, type ShadowCounters } from './shadow-counters.ts'
import { LIVE_PATH, type ProxiedExchange, startShadowProxy } from './shadow-proxy.ts'

/** Methods without side effects (RFC 9110 §9.2.1): mirrored by default. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

export const SECONDARY = 'secondary'

/** A flush that took T ms is followed by at least FLUSH_SPACING × T ms without one. */
const FLUSH_SPACING = 20

export interface ShadowOptions {
  /** 127.0.0.1 (the proxy is for local clients and load generators, never a network). */
  readonly host: string
  /** 0: a free port. */
  readonly port: number
  readonly primary: string
  readonly candidate: string
  readonly secondary?: string
  /** Per target: headers set on its requests (an empty value removes the client's). */
  readonly headers: {
    readonly primary: Record<string, string>
    readonly candidate: Record<string, string>
    readonly secondary: Record<string, string>
  }
  readonly mirrorWrites: boolean
  /** Mirrors one target's queue holds at most, waiting and in flight. */
  readonly queue: number
  /** Mirrors in flight per target. */
  readonly concurrency: number
  /** Whole-exchange limit for each mirror request. */
  readonly timeoutMs: number
  /** Bytes of request and response body kept; larger exchanges are answered but not mirrored. */
  readonly copyLimit: number
  /** Compared requests kept whole (bodies), then slim (case-store.ts). */
  readonly fullCases: number
  readonly slimCases: number
  readonly reportEveryMs: number
  /** How long `stop()` waits for mirrors still queued or in flight (default `timeoutMs` + 500 ms); the rest count as errors. */
  readonly drainMs?: number
  readonly outDir: string
  readonly failOn: FailOn
  readonly rules?: CompareRules
  /** A decisions tracker, read only: divergences and findings its open or accepted rows name are known. */
  readonly tracker?: { readonly label: string; readonly rows: readonly TrackerRow[] }
  readonly commit?: string
  /** Called after each answered client request, with the count so far (for `--max-requests`). */
  readonly onAnswered?: (requests: number) => void
}

export interface ShadowResult {
  readonly report: RunReport
  readonly counters: ShadowCounters
  /** The report's exit code, or worse for compared requests beyond what the report keeps; 2 when mirrors ran but none was compared. */
  readonly exitCode: 0 | 1 | 2
}

export interface ShadowSession {
  readonly url: string
  readonly runId: string
  readonly reportDir: string
  /** A snapshot of the counters. */
  counters(): ShadowCounters
  /** Writes the reports and live.html now. */
  flush(): RunReport
  stop(): Promise<ShadowResult>
}

interface MirrorTarget {
  readonly name: string
  readonly queue: MirrorQueue
  readonly client: ReturnType<typeof createMirrorClient>
}

function exitOf(report: RunReport, store: CaseStore, counters: ShadowCounters): 0 | 1 | 2 {
  const worst = Math.max(report.exitCode, store.unreportedExit) as 0 | 1 | 2
  return counters.mirrored > 0 && counters.compared === 0 ? 2 : worst
}

export async function startShadowSession(options: ShadowOptions): Promise<ShadowSession> {
  const started = new Date()
  const runId = newRunId(started)
  const reportDir = join(options.outDir, runId)
  const counters = emptyCounters()
  const store = createCaseStore(options.fullCases, options.slimCases, options.failOn)
  const mirrors: MirrorTarget[] = [
    { name: CANDIDATE, url: options.candidate, headers: options.headers.candidate },
    ...(options.secondary === undefined ? [] : [{ name: SECONDARY, url: options.secondary, headers: options.headers.secondary }]),
  ].map((t) => ({
    name: t.name,
    queue: createMirrorQueue(options.queue, options.concurrency),
    client: createMirrorClient(t.url, t.headers, options.timeoutMs, options.concurrency),
  }))
  const rows = options.tracker?.rows ?? []
  const known = knownDivergences(rows)
  const context = options.tracker === undefined ? {} : { tracker: options.tracker.label }
  const jobs = new Set<Promise<void>>()
  let seq = 0
  let dirty = true
  let live = true
  let last: RunReport | undefined

  const targets: TargetInfo[] = [
    { name: PRIMARY, url: options.primary, booted: false },
    { name: CANDIDATE, url: options.candidate, booted: false },
  ]
  const urls = {
    primary: options.primary,
    candidate: options.candidate,
    ...(options.secondary === undefined ? {} : { secondary: options.secondary }),
  }

  function assemble(): RunReport {
    return assembleReport({
      runId,
      started,
      finished: new Date(),
      ...(options.commit === undefined ? {} : { commit: options.commit }),
      targets,
      baseline: PRIMARY,
      pairs: SHADOW_PAIRS,
      selection: { caseDir: '(live traffic)', tags: [] },
      settings: {
        failOn: options.failOn,
        ...(options.tracker === undefined ? {} : { tracker: options.tracker.label }),
        updateDocs: false,
        noise: options.secondary === undefined ? 'off' : 'secondary',
        ...(options.secondary === undefined ? {} : { secondaryUrl: options.secondary }),
      },
      cases: store.cases(),
      staleRules: [],
      known,
      rows,
      failOn: options.failOn,
    })
  }

  function snapshot(): ShadowCounters {
    for (const m of mirrors) counters.queueHighWater[m.name] = m.queue.highWater
    return structuredClone(counters)
  }

  function livePage(report: RunReport): string {
    return renderLivePage({
      report,
      counters: snapshot(),
      urls,
      refresh: Math.max(1, Math.round(options.reportEveryMs / 1000)),
      live,
      updatedAt: new Date(),
    })
  }

  function flush(): RunReport {
    last = assemble()
    writeReportFiles(reportDir, last, context)
    writeAtomic(join(reportDir, 'live.html'), livePage(last))
    dirty = false
    return last
  }

  function mirror(p: ProxiedExchange): void {
    counters.requests++
    dirty = true
    const { exchange } = p
    if (!options.mirrorWrites && !SAFE_METHODS.has(exchange.method)) {
      counters.skippedUnsafe++
      return
    }
    if (!p.complete) {
      counters.skippedLarge++
      return
    }
    // Every target or none: a comparison needs the candidate's answer and, with a secondary, its answer too.
    const full = mirrors.filter((m) => !m.queue.hasRoom())
    if (full.length > 0) {
      counters.dropped++
      for (const m of full) counters.droppedAt[m.name] = (counters.droppedAt[m.name] ?? 0) + 1
      return
    }
    counters.mirrored++
    const req: MirrorRequest = { method: exchange.method, target: exchange.target, headers: p.requestHeaders, body: p.requestBytes }
    const answers = mirrors.map((m) => m.queue.offer(() => m.client.send(req)))
    const job = Promise.allSettled(answers).then((settled) => {
      dirty = true
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []))
      if (failures.length > 0) {
        counters.mirrorErrors++
        if (failures.some((f) => f instanceof MirrorFailure && f.timedOut)) counters.mirrorTimeouts++
        for (const f of failures) noteError(counters, f instanceof Error ? f.message : String(f))
        return
      }
      const [candidate, secondary] = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined))
      if (candidate === undefined) return // unreachable: no failures
      counters.compared++
      const compared = compareShadowCase(
        ++seq,
        { exchange, requestBytes: p.requestBytes, candidate, ...(secondary === undefined ? {} : { secondary }) },
        options.rules ?? EMPTY_RULES,
        known,
      )
      store.add(compared.reported)
    })
    jobs.add(job)
    void job.finally(() => jobs.delete(job))
  }

  const proxy = await startShadowProxy({
    host: options.host,
    port: options.port,
    primary: options.primary,
    primaryHeaders: options.headers.primary,
    copyLimit: options.copyLimit,
    onExchange: (p) => {
      mirror(p)
      options.onAnswered?.(counters.requests)
    },
    onPrimaryError: (message) => {
      counters.requests++
      counters.primaryErrors++
      dirty = true
      noteError(counters, `primary: ${message}`)
      options.onAnswered?.(counters.requests)
    },
    livePage: () => livePage(last ?? assemble()),
  })
  // Rendering shares the event loop with the proxy, so a flush pauses proxying for as long as it
  // takes: the next one waits at least FLUSH_SPACING times that, keeping the pause under 5 % of the time.
  let timer: NodeJS.Timeout | undefined
  const schedule = (costMs: number) => {
    timer = setTimeout(tick, Math.max(options.reportEveryMs, costMs * FLUSH_SPACING))
    timer.unref()
  }
  const tick = () => {
    const t0 = performance.now()
    if (dirty) flush()
    schedule(performance.now() - t0)
  }
  flush()
  schedule(0)

  return {
    url: proxy.url,
    runId,
    reportDir,
    counters: snapshot,
    flush,
    async stop() {
      clearTimeout(timer)
      await proxy.close()
      // Mirrors in flight get one timeout (`drainMs`) to finish; what is still queued after that is abandoned (counted as errors).
      let grace: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...jobs]),
        new Promise((resolve) => (grace = setTimeout(resolve, options.drainMs ?? options.timeoutMs + 500))),
      ])
      clearTimeout(grace)
      await Promise.allSettled(mirrors.map((m) => m.client.close()))
      await Promise.allSettled([...jobs])
      live = false
      const report = flush()
      const final = snapshot()
      return { report, counters: final, exitCode: exitOf(report, store, final) }
    },
  }
}

export { LIVE_PATH }
