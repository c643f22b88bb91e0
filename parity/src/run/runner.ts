import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CaseSelection, loadCases } from '../cases/case-loader.ts'
import type { ContractChecker } from '../contract/contract-check.ts'
import { displayPath } from '../display-path.ts'
import type { FailOn, ParityCase, ReportedCase, RunReport, StaleRule } from '../model.ts'
import { NO_TRACKER } from '../report/format.ts'
import { type ClientTimeouts, DEFAULT_TIMEOUTS } from '../targets/http-client.ts'
import { startTargets, type TargetSpec } from '../targets/targets.ts'
import {
  knownDivergences,
  locateAllBlocks,
  parseTracker,
  type SummaryChange,
  type SummarySkip,
  type TrackerRow,
  updateTrackerDoc,
} from '../tracker/index.ts'
import { assembleReport, newRunId, writeReportFiles } from './assemble-report.ts'
import { runCaseOn, type StepRun } from './case-runner.ts'
import { compareCase } from './compare-case.ts'

export type ProgressEvent =
  | {
      readonly type: 'targets'
      /** The compared targets, then the baseline's second instance (`secondary: true`) when there is one. */
      readonly targets: readonly { name: string; url: string; runtime?: string; secondary?: boolean }[]
    }
  | { readonly type: 'case'; readonly index: number; readonly total: number; readonly result: ReportedCase }

export interface RunOptions {
  /** The first target is the baseline. */
  readonly targets: readonly TargetSpec[]
  readonly selection: CaseSelection
  /** Reports go to `<outDir>/<runId>/`. */
  readonly outDir: string
  /** The decisions tracker; known divergences are read from it. Undefined: none are known. */
  readonly trackerPath?: string
  readonly updateDocs: boolean
  /** Which risks of divergences that are not known fail the run (exit 1); default `any`. */
  readonly failOn?: FailOn
  /** Run each case a second time on the baseline to find noisy paths (default true). */
  readonly noise?: boolean
  /**
   * A second instance of the baseline (a URL, or a runtime to boot). Every case also runs on it,
   * with its own captured variables, and its answers replace the same-instance replay as the
   * baseline's second observation: paths differing between the two instances are noise.
   */
  readonly secondary?: TargetSpec
  /** `--contract`: every target's answers are also checked against this OpenAPI document (contract findings). */
  readonly contract?: ContractChecker
  readonly timeouts?: ClientTimeouts
  /** Extra flags for the apps the run boots (e.g. `--worker-ids`). */
  readonly appArgs?: readonly string[]
  /** Bearer token for URL targets and the booted apps (else the apps get a fresh one). */
  readonly token?: string
  readonly onProgress?: (e: ProgressEvent) => void
  readonly signal?: AbortSignal
  readonly commit?: string
  readonly now?: () => Date
}

export interface TrackerUpdate {
  readonly path: string
  readonly changed: boolean
  readonly opened: readonly string[]
  readonly resolved: readonly string[]
  readonly reopened: readonly string[]
  /** Summary rows whose numbers changed. */
  readonly summary: readonly SummaryChange[]
  /** Components the run touched whose summary rows it left alone, with the reason. */
  readonly summarySkipped: readonly SummarySkip[]
}

export { exitCodeFor } from './assemble-report.ts'

/** The tracker given to --update-docs does not exist: not a corpus problem; `tracker init` creates one. */
export class TrackerMissingError extends Error {
  override readonly name = 'TrackerMissingError'
  constructor(readonly path: string) {
    super(`tracker ${path} does not exist: create it with \`pnpm parity tracker init ${path}\`, or pass --no-update-docs`)
  }
}

export interface RunResult {
  readonly report: RunReport
  readonly reportDir: string
  /** The tracker the run read (or would have), as reports name it: repository-relative when inside. */
  readonly trackerLabel: string
  readonly tracker?: TrackerUpdate
}

/** Every unordered pair, baseline first: a b c → (a,b) (a,c) (b,c). */
export function pairsOf(names: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) out.push([names[i] ?? '', names[j] ?? ''])
  return out
}

function readTracker(path: string | undefined, updateDocs: boolean): TrackerRow[] {
  if (path === undefined || !existsSync(path)) return []
  const doc = readFileSync(path, 'utf8')
  // Before any case runs: every marker problem of a tracker about to be updated, at once.
  if (updateDocs) locateAllBlocks(doc)
  return parseTracker(doc).rows
}

/** A run that cannot start as configured (flags that contradict each other): exit 2, not a corpus problem. */
export class RunConfigError extends Error {
  override readonly name = 'RunConfigError'
}

/** Cases per component in the whole corpus: a summary row is only rewritten by a run that ran all of them. */
function corpusCounts(selection: RunOptions['selection']): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const c of loadCases({ caseDir: selection.caseDir, root: selection.root })) counts[c.component] = (counts[c.component] ?? 0) + 1
  return counts
}

/**
 * One parity run: load and select cases (CaseConfigError → exit 2 before anything starts),
 * start the targets (TargetError → exit 2), run every case on every target in turn — the
 * baseline twice when checking for noise — compare, write the four report files, and
 * optionally update the tracker. Targets are always stopped, also on abort.
 */
export async function runParity(options: RunOptions): Promise<RunResult> {
  const now = options.now ?? (() => new Date())
  const started = now()
  const cases = loadCases(options.selection)
  const root = options.selection.root
  const trackerLabel = options.trackerPath === undefined ? NO_TRACKER : displayPath(root, options.trackerPath)
  if (options.updateDocs && options.trackerPath === undefined)
    throw new RunConfigError('--update-docs needs --tracker FILE (a tracker for these services: `pnpm parity tracker init FILE`)')
  if (options.updateDocs && options.trackerPath !== undefined && !existsSync(options.trackerPath)) {
    throw new TrackerMissingError(trackerLabel)
  }
  const rows = readTracker(options.trackerPath, options.updateDocs)
  const known = knownDivergences(rows)
  if (options.secondary !== undefined && options.noise === false) {
    throw new RunConfigError('a secondary instance of the baseline is only used by the noise check: drop --no-noise')
  }
  const specs = options.secondary === undefined ? options.targets : [...options.targets, options.secondary]
  const launched = await startTargets(specs, options.timeouts ?? DEFAULT_TIMEOUTS, options.appArgs ?? [], options.token)
  // The secondary is started (and stopped) with the others, but never compared as a target.
  const secondary = options.secondary === undefined ? undefined : launched.targets.at(-1)
  const set = secondary === undefined ? launched : { ...launched, targets: launched.targets.slice(0, -1) }
  const results: ReportedCase[] = []
  const stale: StaleRule[] = []
  // File-level ignore rules apply to every case of a file; they are stale only if no case used them.
  const fileRules = new Map<string, { rules: Set<string>; matched: Set<string> }>()
  const names = set.targets.map((t) => t.info.name)
  const baseline = names[0] ?? ''
  const pairs = pairsOf(names)
  try {
    options.onProgress?.({
      type: 'targets',
      targets: launched.targets.map((t) => ({
        name: t.info.name,
        url: t.info.url,
        ...(t.info.runtime === undefined ? {} : { runtime: t.info.runtime }),
        ...(t === secondary ? { secondary: true } : {}),
      })),
    })
    // Captured variables live per target for the whole run, so setup cases can feed later ones.
    const vars = new Map<string, Map<string, unknown>>(names.map((n) => [n, new Map<string, unknown>()]))
    const secondaryVars = new Map<string, unknown>()
    for (const [index, c] of cases.entries()) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted')
      const second = secondary === undefined ? undefined : { target: secondary, vars: secondaryVars }
      const result = await runOne(c, set.targets, vars, options.noise !== false, second)
      const compared = compareCase(c, baseline, pairs, result, known, options.contract)
      results.push(compared.reported)
      for (const rule of compared.staleRules) stale.push({ caseId: c.id, rule })
      const file = fileRules.get(c.file) ?? { rules: new Set(c.fileIgnore), matched: new Set<string>() }
      for (const r of compared.matchedRules) file.matched.add(r)
      fileRules.set(c.file, file)
      options.onProgress?.({ type: 'case', index, total: cases.length, result: compared.reported })
    }
  } finally {
    await set.stop()
  }

  for (const [file, f] of fileRules) for (const rule of f.rules) if (!f.matched.has(rule)) stale.push({ caseId: file, rule })
  const finished = now()
  const runId = newRunId(started)
  const report = assembleReport({
    runId,
    started,
    finished,
    ...(options.commit === undefined ? {} : { commit: options.commit }),
    targets: set.targets.map((t) => t.info),
    baseline,
    pairs,
    selection: {
      caseDir: displayPath(options.selection.root, options.selection.caseDir),
      ...(options.selection.cases === undefined ? {} : { cases: options.selection.cases }),
      tags: options.selection.tags ?? [],
    },
    settings: {
      failOn: options.failOn ?? 'any',
      ...(options.trackerPath === undefined ? {} : { tracker: trackerLabel }),
      updateDocs: options.updateDocs,
      noise: secondary !== undefined ? 'secondary' : options.noise === false ? 'off' : 'replay',
      ...(secondary === undefined ? {} : { secondaryUrl: secondary.info.url }),
      ...(options.contract === undefined ? {} : { contract: options.contract.source }),
    },
    cases: results,
    staleRules: stale,
    known,
    rows,
    ...(options.failOn === undefined ? {} : { failOn: options.failOn }),
  })

  const reportDir = join(options.outDir, runId)
  writeReportFiles(reportDir, report, { tracker: trackerLabel })

  let tracker: TrackerUpdate | undefined
  if (options.updateDocs && options.trackerPath !== undefined) {
    const doc = readFileSync(options.trackerPath, 'utf8')
    const update = updateTrackerDoc(doc, report, {
      date: finished.toISOString().slice(0, 10),
      reportDir: displayPath(root, reportDir),
      corpusCases: corpusCounts(options.selection),
    })
    if (update.changed) writeFileSync(options.trackerPath, update.doc)
    tracker = {
      path: options.trackerPath,
      changed: update.changed,
      opened: update.opened,
      resolved: update.resolved,
      reopened: update.reopened,
      summary: update.summary,
      summarySkipped: update.summarySkipped,
    }
  }
  return { report, reportDir, trackerLabel, ...(tracker === undefined ? {} : { tracker }) }
}

type Running = Awaited<ReturnType<typeof startTargets>>['targets'][number]

/**
 * Baseline, then each other target, then the baseline's second observation (noise) — never in
 * parallel. With a secondary instance, every case (also `noise_check: false` ones, so its state
 * follows the baseline's) runs there with its own variables, and that run is the second
 * observation; without one, the case is replayed on the baseline itself.
 */
async function runOne(
  c: ParityCase,
  targets: readonly Running[],
  vars: Map<string, Map<string, unknown>>,
  noise: boolean,
  secondary?: { readonly target: Running; readonly vars: Map<string, unknown> },
): Promise<{ runs: Map<string, StepRun[]>; replay?: StepRun[] }> {
  const runs = new Map<string, StepRun[]>()
  for (const t of targets) runs.set(t.info.name, await runCaseOn(c, t.client, vars.get(t.info.name) ?? new Map()))
  if (secondary !== undefined) return { runs, replay: await runCaseOn(c, secondary.target.client, secondary.vars) }
  const base = targets[0]
  if (!noise || !c.noiseCheck || base === undefined) return { runs }
  // The replay works on a copy, so its captures never leak into later cases.
  const replay = await runCaseOn(c, base.client, new Map(vars.get(base.info.name)))
  return { runs, replay }
}
