import type { ContractChecker } from '../contract/contract-check.ts'
import { compareResponses, mergeRules, pathMatches } from '../diff/index.ts'
import { endpointOf } from '../findings/endpoint.ts'
import type { CaseOutcome, Divergence, Finding, Observed, ParityCase, ReportedCase, ReportedResponse, ReportedStep } from '../model.ts'
import type { StepRun } from './case-runner.ts'
import { divergenceId, findingId } from './divergence-id.ts'

const BODY_LIMIT = 64 * 1024

function reported(o: Observed): ReportedResponse {
  const full = o.body.kind === 'empty' ? '' : o.body.kind === 'binary' ? o.body.base64 : o.body.text
  const truncated = full.length > BODY_LIMIT
  return {
    status: o.status,
    headers: o.headers,
    body: truncated ? full.slice(0, BODY_LIMIT) : full,
    bodyKind: o.body.kind,
    truncated,
    latencyMs: o.latencyMs,
  }
}

/** A path differing between two baseline runs hides findings at it and below it. */
function coveredByNoise(noise: readonly Finding[], path: string): boolean {
  return noise.some((n) => pathMatches(n.path, path))
}

export interface CaseRuns {
  /** Target name → its step runs, in target order; the baseline first. */
  readonly runs: ReadonlyMap<string, readonly StepRun[]>
  /**
   * The baseline's second observation, when the case is checked for noise: a replay on the
   * same instance, or the run on a secondary instance of the baseline (`--secondary`). Either
   * way it is reported under `<baseline>#2`.
   */
  readonly replay?: readonly StepRun[]
}

export interface ComparedCase {
  readonly reported: ReportedCase
  /** `ignore` rules of this case (case- and step-level) that matched nothing. */
  readonly staleRules: readonly string[]
  /** Every rule that matched something, for judging file-level rules across a file's cases. */
  readonly matchedRules: ReadonlySet<string>
}

export function compareCase(
  c: ParityCase,
  baseline: string,
  pairs: readonly (readonly [string, string])[],
  runs: CaseRuns,
  /** Divergence or finding id (`pd-…`, `pf-…`) → the open or accepted tracker row naming it. */
  known: ReadonlyMap<string, string>,
  /** `--contract`: every target's answers are also checked against the document, each on its own. */
  contract?: ContractChecker,
): ComparedCase {
  const names = [...runs.runs.keys()]
  const matched = new Set<string>()
  const fileLevel = new Set(c.fileIgnore)
  const declared = new Set<string>(c.compare.ignore.filter((r) => !fileLevel.has(r)))
  const errors: string[] = []
  const steps: ReportedStep[] = []

  for (const [i, step] of c.steps.entries()) {
    const rules = mergeRules(c.compare, step.compare ?? {})
    for (const r of step.compare?.ignore ?? []) declared.add(r)
    const observed = new Map<string, Observed>()
    const responses: Record<string, ReportedResponse> = {}
    let stepError: string | undefined
    let request: StepRun | undefined
    for (const name of names) {
      const run = runs.runs.get(name)?.[i]
      if (run === undefined) continue
      request ??= run
      if (run.observed !== undefined) {
        observed.set(name, run.observed)
        responses[name] = reported(run.observed)
      }
      if (run.error !== undefined) stepError ??= `${name}: ${run.error}`
    }
    const replay = runs.replay?.[i]
    if (replay?.observed !== undefined) responses[`${baseline}#2`] = reported(replay.observed)
    if (request === undefined) break // no target reached this step

    let noise: Finding[] = []
    const base = observed.get(baseline)
    if (base !== undefined && replay?.observed !== undefined) {
      const n = compareResponses(base, replay.observed, rules, { baseline, candidate: `${baseline}#2` })
      noise = [...n.findings]
      for (const r of n.matchedRules) matched.add(r)
    }
    const divergences: Divergence[] = []
    const ignored: Finding[] = []
    const record = (pair: readonly [string, string], f: Finding) => {
      const id = divergenceId(c.id, step.name, pair, f.class, f.path)
      const groupId = findingId(pair, f.class, f.path, f.shape)
      // A row may name the divergence itself or the finding it belongs to.
      const trackerId = known.get(id) ?? known.get(groupId)
      divergences.push({
        ...f,
        id,
        findingId: groupId,
        caseId: c.id,
        component: c.component,
        step: step.name,
        pair,
        known: trackerId !== undefined,
        ...(trackerId === undefined ? {} : { trackerId }),
      })
    }
    for (const pair of pairs) {
      const a = observed.get(pair[0])
      const b = observed.get(pair[1])
      if (a === undefined || b === undefined) continue
      const cmp = compareResponses(a, b, rules, { baseline: pair[0], candidate: pair[1] })
      for (const r of cmp.matchedRules) matched.add(r)
      ignored.push(...cmp.ignored)
      for (const f of cmp.findings) if (!coveredByNoise(noise, f.path)) record(pair, f)
    }
    // A contract finding belongs to one target: its pair is [target, target]. Neither noise nor
    // ignore rules apply: they say what may differ between targets, not what the document allows.
    if (contract !== undefined) {
      for (const name of names) {
        const answer = observed.get(name)
        if (answer === undefined) continue
        const sent = runs.runs.get(name)?.[i]?.request
        const path = sent?.path ?? step.path
        for (const f of contract.check({ method: sent?.method ?? step.method, path }, answer)) record([name, name], f)
      }
    }
    if (stepError !== undefined) errors.push(`step ${step.name}: ${stepError}`)
    const requestPreview = request.requestPreview
    steps.push({
      name: step.name,
      method: step.method,
      path: request.request?.path ?? step.path,
      endpoint: endpointOf(step.method, step.path),
      ...(requestPreview === undefined ? {} : { requestBodyPreview: requestPreview }),
      responses,
      divergences,
      noise,
      ignored,
      ...(stepError === undefined ? {} : { error: stepError }),
    })
  }

  const all = steps.flatMap((s) => s.divergences)
  const outcome: CaseOutcome = errors.length > 0 ? 'error' : all.some((d) => !d.known) ? 'divergent' : all.length > 0 ? 'known' : 'parity'
  const latencyMs: Record<string, number> = {}
  for (const [name, stepRuns] of runs.runs) {
    latencyMs[name] = Math.round(stepRuns.reduce((sum, r) => sum + (r.observed?.latencyMs ?? 0), 0) * 1000) / 1000
  }
  return {
    reported: {
      id: c.id,
      title: c.title,
      component: c.component,
      tags: c.tags,
      file: c.file,
      outcome,
      ...(errors.length === 0 ? {} : { error: errors.join('; ') }),
      latencyMs,
      steps,
    },
    staleRules: [...declared].filter((r) => !matched.has(r)),
    matchedRules: matched,
  }
}
