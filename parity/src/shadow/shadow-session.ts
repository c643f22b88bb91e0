/**
 * A shadow run: the proxy answering clients from the primary, a bounded mirror queue and client
 * per mirror target, the comparison of every mirrored request, and the reports in
 * `<outDir>/<runId>/`: live.html rewritten every `reportEveryMs` (cheap: counters and the last
 * findings), the full report.json, summary.md, report.html and junit.xml as often as their
 * rendering cost allows. `stop()` ends it within bounded time: no new clients, queued mirrors
 * abandoned, those in flight given a short grace period, final reports.
 */

import { join } from 'node:path'
import type { ContractChecker } from '../contract/contract-check.ts'
import { type CompareRules, EMPTY_RULES, type FailOn, type RunReport, type TargetInfo } from '../model.ts'
import { NO_TRACKER } from '../report/format.ts'
import { assembleReport, newRunId, writeAtomic, writeReportFiles } from '../run/assemble-report.ts'
import { knownDivergences, type TrackerRow } from '../tracker/index.ts'
import { type CaseStore, createCaseStore } from './case-store.ts'
import { renderLivePage } from './live-page.ts'
import { createMirrorClient, MirrorFailure, type MirrorRequest } from './mirror-client.ts'
import { createMirrorQueue, type MirrorQueue } from './mirror-queue.ts'
import { writeReportsInSlices } from './report-slices.ts'
import { CANDIDATE, compareShadowCase, PRIMARY, SHADOW_PAIRS } from './shadow-case.ts'
import { emptyCounters, noteError, type ShadowCounters } from './shadow-counters.ts'
import { LIVE_PATH, type ProxiedExchange, startShadowProxy } from './shadow-proxy.ts'

/** Methods without side effects (RFC 9110 §9.2.1): mirrored by default. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

export const SECONDARY = 'secondary'

/** A full report rewrite that took T ms is followed by at least FLUSH_SPACING × T ms without one. */
const FLUSH_SPACING = 20
/** …and by at least FULL_EVERY ticks: live.html (cheap) is what moves every tick, the full reports less often. */
const FULL_EVERY = 6
/** What `stop()` gives mirrors in flight (and client requests in flight) by default, at most. */
const STOP_GRACE_MS = 2_000

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
  /** Divergences the kept cases hold at most (default `KEPT_DIVERGENCES`): bounds the reports' size and rendering time. */
  readonly keptDivergences?: number
  readonly reportEveryMs: number
  /**
   * How long `stop()` waits for client requests and then mirrors in flight (default the lesser
   * of `timeoutMs` and 2 s); mirrors still queued are abandoned at once. Both count as errors.
   */
  readonly drainMs?: number
  readonly outDir: string
  readonly failOn: FailOn
  readonly rules?: CompareRules
  /** A decisions tracker, read only: divergences and findings its open or accepted rows name are known. */
  readonly tracker?: { readonly label: string; readonly rows: readonly TrackerRow[] }
  /** `--contract`: every primary and candidate answer is also checked against an OpenAPI document. */
  readonly contract?: ContractChecker
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
  /** Writes so far: every full report rewrite, and every live.html rewrite (those include the full ones). */
  writes(): { readonly reports: number; readonly live: number; readonly liveUpdatedAt: Date | undefined }
  /** Kept cases, their divergences, and compared requests not kept: the store's bounds, for watching memory. */
  store(): { readonly cases: number; readonly divergences: number; readonly unreported: number }
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
  const store = createCaseStore(options.fullCases, options.slimCases, options.failOn, options.keptDivergences)
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
  // Without a tracker the reports say so (not "no row of the decisions tracker covers it").
  const context = { tracker: options.tracker === undefined ? NO_TRACKER : options.tracker.label }
  const jobs = new Set<Promise<void>>()
  let seq = 0
  let dirty = true
  let live = true
  let last: RunReport | undefined
  let reportWrites = 0
  let liveWrites = 0
  let liveUpdatedAt: Date | undefined

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
        ...(options.contract === undefined ? {} : { contract: options.contract.source }),
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

  function livePage(report: RunReport, updatedAt = new Date()): string {
    return renderLivePage({
      report,
      counters: snapshot(),
      urls,
      refresh: Math.max(1, Math.round(options.reportEveryMs / 1000)),
      live,
      updatedAt,
    })
  }

  /** live.html alone: current counters, findings as of the last full rewrite. Cheap whatever the run's length. */
  function writeLive(report: RunReport): void {
    const at = new Date()
    writeAtomic(join(reportDir, 'live.html'), livePage(report, at))
    liveWrites++
    liveUpdatedAt = at
  }

  function flush(): RunReport {
    last = assemble()
    writeReportFiles(reportDir, last, context)
    reportWrites++
    writeLive(last)
    dirty = false
    return last
  }

  /** A periodic full rewrite, rendered in slices (report-slices.ts); resolves to the event loop time it took. */
  async function flushInSlices(): Promise<number> {
    const t0 = performance.now()
    dirty = false // requests settling while the files are written make it dirty again
    const report = assemble()
    last = report
    const busy = performance.now() - t0 + (await writeReportsInSlices(reportDir, report, context))
    reportWrites++
    writeLive(report)
    return busy
  }

  function mirror(p: ProxiedExchange): void {
    counters.requests++
    dirty = true
    if (!options.mirrorWrites && !SAFE_METHODS.has(p.method)) {
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
    const req: MirrorRequest = { method: p.method, target: p.target, headers: p.requestHeaders, body: p.requestBytes }
    const answers = mirrors.map((m) => m.queue.offer(() => m.client.send(req)))
    const job = Promise.allSettled(answers).then((settled) => {
      dirty = true
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []))
      if (failures.length > 0) {
        counters.mirrorErrors++
        if (failures.some((f) => f instanceof MirrorFailure && f.timedOut)) counters.mirrorTimeouts++
        if (failures.some((f) => f instanceof MirrorFailure && f.stopped)) counters.abandoned++
        // Abandoned mirrors are summed up once by stop(), not listed one by one.
        else for (const f of failures) noteError(counters, f instanceof Error ? f.message : String(f))
        return
      }
      const [candidate, secondary] = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined))
      if (candidate === undefined) return // unreachable: no failures
      counters.compared++
      const compared = compareShadowCase(
        ++seq,
        { exchange: p.exchange(), requestBytes: p.requestBytes, candidate, ...(secondary === undefined ? {} : { secondary }) },
        options.rules ?? EMPTY_RULES,
        known,
        options.contract,
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
  // Rendering shares the event loop with the proxy, so a full rewrite pauses proxying for as long
  // as its slices take: the next one waits at least FLUSH_SPACING times that (the pause stays
  // under 5 % of the time) and FULL_EVERY ticks. The store's divergence budget keeps each slice
  // short. live.html is rewritten on every tick regardless — current counters, findings as of the
  // last full rewrite — so the page keeps moving while requests flow.
  let timer: NodeJS.Timeout | undefined
  let nextFullAt = 0
  let stopping = false
  let rewriting: Promise<unknown> | undefined
  const tick = async () => {
    try {
      if (dirty && performance.now() >= nextFullAt) {
        rewriting = flushInSlices()
        const busy = (await rewriting) as number
        nextFullAt = performance.now() + Math.max(busy * FLUSH_SPACING, (FULL_EVERY - 0.5) * options.reportEveryMs)
      } else if (last !== undefined) writeLive(last)
    } catch (e) {
      // A periodic rewrite that fails (disk full, directory removed) must not take the proxy down; the final one reports it.
      noteError(counters, `report rewrite: ${e instanceof Error ? e.message : String(e)}`)
    } finally {
      rewriting = undefined
    }
    if (stopping) return
    timer = setTimeout(tick, options.reportEveryMs)
    timer.unref()
  }
  flush()
  timer = setTimeout(tick, options.reportEveryMs)
  timer.unref()

  return {
    url: proxy.url,
    runId,
    reportDir,
    counters: snapshot,
    flush,
    writes: () => ({ reports: reportWrites, live: liveWrites, liveUpdatedAt }),
    store: () => ({ cases: store.cases().length, divergences: store.divergences, unreported: store.unreported }),
    async stop() {
      stopping = true
      clearTimeout(timer)
      await rewriting?.catch(() => undefined)
      const graceMs = options.drainMs ?? Math.min(options.timeoutMs, STOP_GRACE_MS)
      await proxy.close(graceMs)
      // The mirrors get `graceMs` in all — enough for a fast target to empty its queue, never the
      // minutes a full queue behind a slow one would take. Then what is still queued is never
      // sent and what is in flight is cut off, both counted as abandoned.
      let grace: NodeJS.Timeout | undefined
      await Promise.race([Promise.allSettled([...jobs]), new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))])
      clearTimeout(grace)
      const stopped = new MirrorFailure('the run stopped before this mirror was sent', false, true)
      const queued = mirrors.reduce((n, m) => n + m.queue.abandonWaiting(stopped), 0)
      await Promise.allSettled(mirrors.map((m) => m.client.close()))
      await Promise.allSettled([...jobs])
      if (counters.abandoned > 0)
        noteError(
          counters,
          `stop: ${counters.abandoned} mirrored requests abandoned (${queued} mirrors still queued, the rest cut off after ${graceMs} ms)`,
        )
      live = false
      const report = flush()
      const final = snapshot()
      return { report, counters: final, exitCode: exitOf(report, store, final) }
    },
  }
}

export { LIVE_PATH }
