import { cpus } from 'node:os'
import { join } from 'node:path'
import { TargetError } from '@lakehouse/parity'
import { analyze } from '../analysis/index.ts'
import { LOAD_REPORT_SCHEMA_ID, type LoadModel, type LoadReport, type LoadSettings, type Measurement, type Mix } from '../model.ts'
import { writeReportFiles } from '../report/index.ts'
import { type PreparedCorpus, prepareCorpus } from '../targets/corpus-cache.ts'
import { type LoadTarget, type LoadTargetSpec, startLoadTargets } from '../targets/load-targets.ts'
import { pinGenerator, planPinning } from '../targets/pinning.ts'
import { type LoadBlockUpdate, updateLoadTracker } from '../tracker/index.ts'
import { drive } from './drive.ts'
import { buildMeasurement } from './measurement.ts'
import { readProcTree } from './proc-sampler.ts'
import { createProgressSink, progressLine } from './progress.ts'
import { newRunId } from './run-id.ts'
import { startSampler } from './sampler.ts'

/**
 * One load run: prepare the corpus (once), boot or reach the targets, warm each up, then for
 * every tier run the rounds with the targets interleaved A B A B — never two at once — and
 * write the report. Exit code 2 (configuration or target error) is thrown as TargetError by
 * the steps below; thresholds decide between 0 and 1.
 */
export interface LoadRunOptions {
  readonly root: string
  readonly mix: Mix
  readonly targets: readonly LoadTargetSpec[]
  readonly profile: string
  readonly model: LoadModel
  readonly tiers: readonly number[]
  readonly rounds: number
  readonly durationS: number
  readonly warmupS: number
  readonly rate?: number
  readonly timeoutS: number
  readonly seed: string
  readonly corpus: { readonly rows: number; readonly seed: string }
  readonly cacheDir: string
  readonly outDir: string
  readonly trackerPath?: string
  readonly updateDocs: boolean
  readonly pin: boolean
  readonly quiet: boolean
  /** Bearer token for URL targets and the booted apps (else the apps get a fresh one). */
  readonly token?: string
  readonly commit?: string
  readonly signal?: AbortSignal
  readonly log: (line: string) => void
}

export interface LoadRunResult {
  readonly report: LoadReport
  readonly reportDir: string
  readonly files: readonly string[]
  readonly tracker?: LoadBlockUpdate & { readonly path: string }
}

function machine(): LoadReport['machine'] {
  // cpus(), not availableParallelism(): the generator may already be pinned to one of them.
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
}

function checkAlive(t: LoadTarget): void {
  const p = t.app?.proc
  if (p !== undefined && (p.exitCode !== null || p.signalCode !== null))
    throw new TargetError(
      `target ${t.info.name} exited during the run (code ${p.exitCode}, signal ${p.signalCode}): ${t.app?.stderr.join('').trim().slice(-500) ?? ''}`,
    )
}

export async function runLoad(o: LoadRunOptions): Promise<LoadRunResult> {
  const runId = newRunId()
  const startedAt = new Date()
  const booted = o.targets.some((t) => 'runtime' in t)
  const prepared: PreparedCorpus | undefined =
    booted && o.mix.requires.corpus
      ? await prepareCorpus({ root: o.root, cacheDir: o.cacheDir, rows: o.corpus.rows, seed: o.corpus.seed, log: o.log })
      : undefined
  const plan = o.pin ? planPinning() : null
  const pinned = plan !== null && pinGenerator(plan)
  if (o.pin && !pinned) o.log('cpu pinning: not available here (taskset missing or one core); server and generator share the cores')
  const set = await startLoadTargets(o.targets, {
    ...(prepared === undefined ? {} : { prepared }),
    pinning: pinned ? plan : null,
    log: o.log,
    ...(o.token === undefined ? {} : { token: o.token }),
  })
  const measurements: Measurement[] = []
  const iterations = { value: 0 }
  const progress = createProgressSink(process.stderr, o.quiet)
  try {
    for (const t of set.targets)
      o.log(
        `target ${t.info.name}: ${t.url}${t.info.runtime === undefined ? '' : ` (${t.info.runtime})`}${t.pid === undefined ? '' : ` pid ${t.pid}`}`,
      )
    const window = async (t: LoadTarget, connections: number, seconds: number, seed: string, label: string) => {
      let last: ReturnType<typeof startSampler> | undefined
      let lastSample: Parameters<typeof progressLine>[4]
      const t0 = performance.now()
      const procStart = t.pid === undefined ? undefined : readProcTree(t.pid)
      const d = await drive({
        url: t.url,
        headers: t.headers,
        mix: o.mix,
        connections,
        durationS: seconds,
        timeoutS: o.timeoutS,
        model: o.model,
        ...(o.rate === undefined ? {} : { rate: o.rate }),
        seed,
        iterations,
        ...(o.signal === undefined ? {} : { signal: o.signal }),
        onStart: (rec) => {
          last = startSampler(rec, t.pid, (s) => {
            lastSample = s
            progress.update(progressLine(label, (performance.now() - t0) / 1000, seconds, rec, lastSample))
          })
        },
      })
      const samples = last?.stop() ?? []
      const procEnd = t.pid === undefined ? undefined : readProcTree(t.pid)
      if (o.signal?.aborted === true) throw new TargetError('interrupted')
      checkAlive(t)
      return { d, samples, procStart, procEnd }
    }
    const warmC = Math.max(...o.tiers)
    if (o.warmupS > 0)
      for (const t of set.targets) {
        const w = await window(t, warmC, o.warmupS, `${o.seed}/warmup/${t.info.name}`, `warm-up ${t.info.name} c=${warmC}`)
        progress.done(`warm-up ${t.info.name}: ${w.d.recorder.scenariosFinished} scenarios in ${w.d.durationS.toFixed(1)} s (not measured)`)
      }
    for (const tier of o.tiers) {
      for (let round = 1; round <= o.rounds; round++) {
        for (const t of set.targets) {
          const label = `${t.info.name.padEnd(6)} c=${tier} round ${round}/${o.rounds}`
          // Every target gets the same sequence of scenario picks and pool values in a round.
          const w = await window(t, tier, o.durationS, `${o.seed}/${tier}/${round}`, label)
          const m = buildMeasurement({
            target: t.info.name,
            tier,
            round,
            model: o.model,
            connections: tier,
            ...(o.rate === undefined ? {} : { rate: o.rate }),
            mix: o.mix,
            drive: w.d,
            samples: w.samples,
            ...(t.pid === undefined ? {} : { pid: t.pid }),
            ...(w.procStart === undefined ? {} : { procStart: w.procStart }),
            ...(w.procEnd === undefined ? {} : { procEnd: w.procEnd }),
          })
          measurements.push(m)
          const rss = m.server === null ? '' : `  rss ${Math.round(m.server.rss_max_bytes / 1048576)} MiB`
          progress.done(
            `${label}: ${m.scenarios_per_s.toFixed(0)} scen/s  ${m.requests_per_s.toFixed(0)} req/s  fail ${m.fail_pct}%  p50 ${(m.latency.p50_us / 1000).toFixed(2)}ms  p99 ${(m.latency.p99_us / 1000).toFixed(2)}ms${rss}  lg cpu ${m.load_generator.cpu_pct}%${m.reconciliation.reconciled ? '' : '  (counters not reconciled)'}`,
          )
        }
      }
    }
  } finally {
    await set.stop()
  }
  const finishedAt = new Date()
  const settings: LoadSettings = {
    profile: o.profile,
    model: o.model,
    tiers: o.tiers,
    rounds: o.rounds,
    duration_s: o.durationS,
    warmup_s: o.warmupS,
    ...(o.rate === undefined ? {} : { rate: o.rate }),
    timeout_s: o.timeoutS,
    seed: o.seed,
    corpus: prepared === undefined ? null : { rows: prepared.rows, seed: prepared.seed, key: prepared.key },
    pinning: pinned && plan !== null ? plan : null,
  }
  const analysis = analyze({ measurements, targets: set.targets.map((t) => t.info), scenarios: o.mix.scenarios })
  const report: LoadReport = {
    schema: LOAD_REPORT_SCHEMA_ID,
    run_id: runId,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: finishedAt.getTime() - startedAt.getTime(),
    ...(o.commit === undefined ? {} : { commit: o.commit }),
    machine: machine(),
    mix: {
      name: o.mix.name,
      file: o.mix.file,
      sha256: o.mix.sha256,
      scenarios: o.mix.scenarios.map((s) => ({
        name: s.name,
        weight: s.weight,
        steps: s.steps.map((x) => x.name),
        thresholds: s.thresholds.map((x) => x.source),
      })),
    },
    settings,
    targets: set.targets.map((t) => t.info),
    measurements,
    comparisons: analysis.comparisons,
    thresholds: analysis.thresholds,
    warnings: [
      ...(settings.pinning === null ? ['cpu pinning was not available: the server and the load generator shared the cores'] : []),
      ...analysis.warnings,
    ],
    exit_code: analysis.exit_code,
  }
  const reportDir = join(o.outDir, runId)
  const files = await writeReportFiles(reportDir, report)
  if (o.updateDocs && o.trackerPath !== undefined) {
    const update = await updateLoadTracker(o.trackerPath, report, { date: finishedAt.toISOString().slice(0, 10) })
    return { report, reportDir, files, tracker: { ...update, path: o.trackerPath } }
  }
  return { report, reportDir, files }
}
