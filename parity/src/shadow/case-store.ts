/**
 * The compared requests a shadow run keeps for its reports, bounded however long it runs:
 *
 * 1. the first `full` cases whole — every response body, for reading side by side;
 * 2. the next `slim` cases without their responses, noise and ignored lists, divergence values
 *    cut to a short preview — enough for findings to count occurrences and comparisons per
 *    endpoint and to show an example;
 * 3. beyond that only counted: `unreported`, and whether any of them would fail the run, so the
 *    exit code still speaks for all the compared traffic.
 *
 * Both kept tiers also end once the kept cases hold `divergences` divergences: a report's size
 * and the time to render it grow with the divergences it lists (live traffic to one endpoint
 * that differs in a dozen headers is a dozen per request), and the reports are rewritten while
 * requests flow, so that — not only the number of cases — must be bounded.
 *
 * A finding's numbers thus cover the first kept compared requests; the live page and the
 * terminal show how many more were compared.
 */
import type { Divergence, FailOn, ReportedCase } from '../model.ts'
import { exitCodeFor } from '../run/assemble-report.ts'

const VALUE_PREVIEW = 200

export interface CaseStore {
  add(c: ReportedCase): void
  /** The kept cases in arrival order (full ones first). */
  cases(): readonly ReportedCase[]
  /** Compared but not kept (beyond `full + slim` cases or the divergence budget). */
  readonly unreported: number
  /** Divergences in the kept cases: never above the budget. */
  readonly divergences: number
  /** The worst exit code among the cases not kept (0 when none). */
  readonly unreportedExit: 0 | 1 | 2
}

function preview(value: unknown): unknown {
  if (value === undefined) return undefined
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (text === undefined || text.length <= VALUE_PREVIEW) return value
  return `${text.slice(0, VALUE_PREVIEW)}… (${text.length} characters)`
}

function slimDivergence(d: Divergence): Divergence {
  const { baseline, candidate, ...rest } = d
  const b = preview(baseline)
  const c = preview(candidate)
  return { ...rest, ...(b === undefined ? {} : { baseline: b }), ...(c === undefined ? {} : { candidate: c }) }
}

/** The case without what makes it large: responses, request preview, noise and ignored differences. */
export function slimCase(c: ReportedCase): ReportedCase {
  return {
    ...c,
    steps: c.steps.map(({ requestBodyPreview: _preview, ...s }) => ({
      ...s,
      responses: {},
      noise: [],
      ignored: [],
      divergences: s.divergences.map(slimDivergence),
    })),
  }
}

function divergencesOf(c: ReportedCase): number {
  let n = 0
  for (const s of c.steps) n += s.divergences.length
  return n
}

/** Divergences the kept cases may hold at most (both tiers together), by default. */
export const KEPT_DIVERGENCES = 2_000

export function createCaseStore(full: number, slim: number, failOn: FailOn, divergences = KEPT_DIVERGENCES): CaseStore {
  const kept: ReportedCase[] = []
  let held = 0
  // Once one case is not kept, none after it is: the kept cases stay "the first N compared", so a
  // finding's ratio is not skewed towards requests without divergences.
  let closed = false
  let unreported = 0
  let unreportedExit: 0 | 1 | 2 = 0
  return {
    add(c) {
      const n = divergencesOf(c)
      if (!closed && held + n > divergences) closed = true
      if (!closed && kept.length < full) kept.push(c)
      else if (!closed && kept.length < full + slim) kept.push(slimCase(c))
      else {
        closed = true
        unreported++
        unreportedExit = Math.max(unreportedExit, exitCodeFor([c], failOn)) as 0 | 1 | 2
        return
      }
      held += n
    },
    cases: () => kept,
    get divergences() {
      return held
    },
    get unreported() {
      return unreported
    },
    get unreportedExit() {
      return unreportedExit
    },
  }
}
