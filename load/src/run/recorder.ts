import type { FailureCause, FailureExample, Mix } from '../model.ts'
import { createHistogram, type Histogram, recordUs } from '../stats/histogram.ts'

/**
 * Every count and histogram of one measurement window. The driver calls it; nothing in here
 * knows about autocannon. Counters are plain numbers so the per-second sampler can diff them.
 */
export type Counts = Record<FailureCause, number>

function zero(): Counts {
  return { status: 0, assertion: 0, timeout: 0, reset: 0, error: 0 }
}

export interface StepRecord {
  sent: number
  ok: number
  failures: Counts
  skipped: number
  readonly histogram: Histogram
}

export interface ScenarioRecord {
  started: number
  ok: number
  failed: number
  failures: Counts
  readonly histogram: Histogram
  readonly histogramOk: Histogram
  readonly steps: StepRecord[]
}

export const MAX_FAILURE_EXAMPLES = 20

export interface Recorder {
  readonly scenarios: ScenarioRecord[]
  readonly requestHistogram: Histogram
  requests: number
  responses: number
  timeouts: number
  /** autocannon `connError` events (a reset or refused connection, busy or idle). */
  connectionErrors: number
  interrupted: number
  flowsEndedEarly: number
  dropped: number
  scenariosFinished: number
  failuresTotal: number
  readonly examples: FailureExample[]
  stepSent(scenario: number, step: number): void
  flowStarted(scenario: number): void
  /** A response arrived for a step: latency in µs from write to the full response. */
  stepAnswered(scenario: number, step: number, latencyUs: number, failure: FailureCause | undefined): void
  /** A sent step got no response (timeout, reset, closed connection). */
  stepInterrupted(scenario: number, step: number, cause: FailureCause): void
  flowFinished(
    scenario: number,
    stepsRun: number,
    latencyUs: number,
    failure: { cause: FailureCause; step: number; message: string } | undefined,
  ): void
}

export function createRecorder(mix: Mix): Recorder {
  const scenarios: ScenarioRecord[] = mix.scenarios.map((s) => ({
    started: 0,
    ok: 0,
    failed: 0,
    failures: zero(),
    histogram: createHistogram(),
    histogramOk: createHistogram(),
    steps: s.steps.map(() => ({ sent: 0, ok: 0, failures: zero(), skipped: 0, histogram: createHistogram() })),
  }))
  const r: Recorder = {
    scenarios,
    requestHistogram: createHistogram(),
    requests: 0,
    responses: 0,
    timeouts: 0,
    connectionErrors: 0,
    interrupted: 0,
    flowsEndedEarly: 0,
    dropped: 0,
    scenariosFinished: 0,
    failuresTotal: 0,
    examples: [],
    stepSent(sc, st) {
      r.requests++
      const s = scenarios[sc]?.steps[st]
      if (s !== undefined) s.sent++
    },
    flowStarted(sc) {
      const s = scenarios[sc]
      if (s !== undefined) s.started++
    },
    stepAnswered(sc, st, us, failure) {
      r.responses++
      recordUs(r.requestHistogram, us)
      const s = scenarios[sc]?.steps[st]
      if (s === undefined) return
      recordUs(s.histogram, us)
      if (failure === undefined) s.ok++
      else s.failures[failure]++
    },
    stepInterrupted(sc, st, cause) {
      r.interrupted++
      if (cause === 'timeout') r.timeouts++
      const s = scenarios[sc]?.steps[st]
      if (s !== undefined) s.failures[cause]++
    },
    flowFinished(sc, stepsRun, us, failure) {
      const s = scenarios[sc]
      if (s === undefined) return
      r.scenariosFinished++
      recordUs(s.histogram, us)
      if (failure === undefined) {
        s.ok++
        recordUs(s.histogramOk, us)
        return
      }
      s.failed++
      r.failuresTotal++
      s.failures[failure.cause]++
      for (let i = stepsRun; i < s.steps.length; i++) {
        const step = s.steps[i]
        if (step !== undefined) step.skipped++
      }
      if (r.examples.length < MAX_FAILURE_EXAMPLES) {
        r.examples.push({
          scenario: mix.scenarios[sc]?.name ?? String(sc),
          step: mix.scenarios[sc]?.steps[failure.step]?.name ?? String(failure.step),
          cause: failure.cause,
          message: failure.message,
        })
      }
    },
  }
  return r
}
