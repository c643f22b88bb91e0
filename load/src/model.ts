/**
 * The load generator's data model: a mix (what to send), and the run report written to
 * `reports/load/<run-id>/report.json` (what was measured). Everything in the report is plain
 * JSON; latencies are integers in microseconds; histograms are HdrHistogram compressed-base64
 * strings so runs can be merged and compared from the JSON alone. `LOAD_REPORT_SCHEMA_ID`
 * names the version; `docs/load-report.md` documents every member.
 */

import type { CaseStep, TargetInfo as ParityTargetInfo } from '@lakehouse/parity'

// ── mix ─────────────────────────────────────────────────────────────────────────────────

/** One check on a response; every one must hold or the step fails with cause `assertion`. */
export type BodyAssertion =
  | { readonly path: string; readonly op: 'exists' }
  | { readonly path: string; readonly op: 'not_empty' }
  | { readonly path: string; readonly op: 'equals'; readonly value: unknown }
  | { readonly path: string; readonly op: 'not_equals'; readonly value: unknown }
  | { readonly path: string; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: unknown }
  /** The list at `path` shares no element with `value` (a list, usually `{{captured}}`). */
  | { readonly path: string; readonly op: 'disjoint'; readonly value: unknown }
  /** The list (or string) at `path` contains `value`. */
  | { readonly path: string; readonly op: 'contains'; readonly value: unknown }
  | { readonly path: string; readonly op: 'matches'; readonly value: string }

export interface StepExpect {
  /** Accepted statuses; default: the step's `expect_status`, else any 2xx. */
  readonly status?: readonly number[]
  /** Lower-case header name → exact value. */
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: readonly BodyAssertion[]
}

export interface LoadStep extends CaseStep {
  readonly expect: StepExpect
}

/** `p99 < 10ms`, `fail < 0.1%`, `p50 <= 2ms`, `rate > 100/s` (scenarios per second). */
export interface Threshold {
  /** As written in the mix file. */
  readonly source: string
  readonly metric: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean' | 'fail' | 'rate'
  readonly op: '<' | '<=' | '>' | '>='
  /** Microseconds for latencies, percent for `fail`, scenarios/s for `rate`. */
  readonly value: number
}

export interface Scenario {
  readonly name: string
  readonly weight: number
  /** Per-iteration variables, templated once at step 0 (`{{pick pool}}`, `{{int a b}}`, `{{iteration}}`). */
  readonly vars: Readonly<Record<string, unknown>>
  readonly steps: readonly LoadStep[]
  readonly thresholds: readonly Threshold[]
}

export interface Mix {
  readonly name: string
  readonly description: string
  /** Repository-relative path of the mix file. */
  readonly file: string
  /** SHA-256 of the file's bytes: runs of "the same mix" are checked with it before merging. */
  readonly sha256: string
  /** What the targets need before the first request; `corpus` makes booted targets load the prepared staffing corpus. */
  readonly requires: { readonly corpus: boolean }
  readonly pools: Readonly<Record<string, readonly unknown[]>>
  readonly scenarios: readonly Scenario[]
}

// ── report ──────────────────────────────────────────────────────────────────────────────

export const LOAD_REPORT_SCHEMA_ID = 'lakehouse.load.report/v1'

/** Why a step failed. `skipped` is not a cause of a scenario failure: it counts the steps an earlier failure prevented. */
export type FailureCause = 'status' | 'assertion' | 'timeout' | 'reset' | 'error'
export const FAILURE_CAUSES: readonly FailureCause[] = ['status', 'assertion', 'timeout', 'reset', 'error']

export type FailureCounts = Readonly<Record<FailureCause, number>>

/** Integer microseconds; all zero when `count` is 0. */
export interface LatencySummary {
  readonly count: number
  readonly min_us: number
  readonly mean_us: number
  readonly p50_us: number
  readonly p90_us: number
  readonly p99_us: number
  readonly p999_us: number
  readonly max_us: number
}

export interface StepStats {
  readonly name: string
  /** Requests sent for this step (answered or not). */
  readonly sent: number
  readonly ok: number
  readonly failures: FailureCounts
  /** Steps not sent because an earlier step of the same iteration failed. */
  readonly skipped: number
  /** Responses only (a timeout or reset has no latency), write → full response. */
  readonly latency: LatencySummary
  readonly histogram: string
}

export interface ScenarioStats {
  readonly name: string
  readonly weight: number
  /** Iterations begun (step 0 sent). */
  readonly started: number
  readonly ok: number
  readonly failed: number
  /** Still in flight when the measurement window closed: neither ok nor failed. */
  readonly unfinished: number
  /** Failed iterations by the cause of their failing step. */
  readonly failures: FailureCounts
  /** failed ÷ (ok + failed) × 100. */
  readonly fail_pct: number
  /** ok ÷ measured seconds. */
  readonly ok_per_s: number
  /** Every finished iteration, first write (open model: intended start) → last response. */
  readonly latency: LatencySummary
  readonly latency_ok: LatencySummary
  readonly histogram: string
  readonly histogram_ok: string
  readonly steps: readonly StepStats[]
}

/** One second of one measurement. `t_s` counts from the start of the measurement window. */
export interface Sample {
  readonly t_s: number
  readonly scenarios: number
  readonly requests: number
  readonly failures: number
  /** Server process tree RSS (bytes) and CPU (% of one core); null when no pid is known. */
  readonly rss_bytes: number | null
  readonly cpu_pct: number | null
  /** The load generator's own CPU, % of one core. */
  readonly lg_cpu_pct: number
}

export interface ServerResources {
  readonly pid: number
  readonly rss_start_bytes: number
  readonly rss_end_bytes: number
  readonly rss_max_bytes: number
  /** (end − start) ÷ start × 100 over this measurement window. */
  readonly rss_growth_pct: number
  readonly cpu_mean_pct: number
  readonly cpu_max_pct: number
}

/** Little's law, L = λ·W: connections busy on average vs connections open. ≈ 1 means the client kept every connection busy. */
export interface LittlesLaw {
  readonly connections: number
  readonly requests_per_s: number
  readonly mean_request_latency_us: number
  /** requests_per_s × mean latency (s). */
  readonly busy_connections: number
  /** busy_connections ÷ connections. */
  readonly ratio: number
}

/** Our counters set against autocannon's own; `reconciled` is false when any pair differs, and `mismatches` says which. */
export interface Reconciliation {
  readonly autocannon: {
    readonly requests: number
    readonly responses: number
    readonly timeouts: number
    readonly errors: number
    readonly resets: number
    readonly status_codes: Readonly<Record<string, number>>
  }
  readonly ours: {
    readonly requests: number
    readonly responses: number
    readonly timeouts: number
    readonly connection_errors: number
    readonly flows_ended_early: number
    /** Sent steps that got no response (timeout, reset, closed connection). */
    readonly interrupted: number
    /** Requests still unanswered when the window closed. */
    readonly in_flight_at_end: number
  }
  readonly reconciled: boolean
  readonly mismatches: readonly string[]
}

export type LoadModel = 'closed' | 'open'

export interface Measurement {
  readonly target: string
  /** Connections (closed model) — the tier's key in both models. */
  readonly tier: number
  /** 1-based round; rounds interleave targets A B A B. */
  readonly round: number
  readonly model: LoadModel
  readonly connections: number
  /** Open model: scenario arrivals per second. */
  readonly rate?: number
  readonly started_at: string
  readonly duration_s: number
  readonly scenarios_per_s: number
  readonly requests_per_s: number
  readonly requests: number
  readonly scenarios: {
    readonly started: number
    readonly ok: number
    readonly failed: number
    readonly unfinished: number
    /** Open model: arrivals that found no free connection (k6's dropped_iterations); 0 in the closed model. */
    readonly dropped: number
  }
  readonly fail_pct: number
  readonly failures: FailureCounts
  /** Every scenario together. */
  readonly latency: LatencySummary
  readonly latency_ok: LatencySummary
  readonly request_latency: LatencySummary
  readonly per_scenario: readonly ScenarioStats[]
  readonly server: ServerResources | null
  readonly load_generator: { readonly cpu_pct: number; readonly bound: boolean }
  readonly littles_law: LittlesLaw
  readonly reconciliation: Reconciliation
  readonly samples: readonly Sample[]
  /** The first failures of the window (at most 20), so a report shows what went wrong, not only how often. */
  readonly failure_examples: readonly FailureExample[]
}

export interface FailureExample {
  readonly scenario: string
  readonly step: string
  readonly cause: FailureCause
  readonly message: string
}

/** Parity's target description, plus the server pid whose RSS and CPU were sampled. */
export interface TargetInfo extends ParityTargetInfo {
  readonly pid?: number
}

/** Median over rounds with its range, for one target. */
export interface RoundStat {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly values: readonly number[]
}

/** Two-sided exact Mann-Whitney U test of one metric's per-round values, baseline vs candidate. */
export interface RankTest {
  readonly u: number
  readonly p: number
  readonly n_a: number
  readonly n_b: number
  /** The smallest p this many rounds can reach (with 3 rounds each: 0.1). */
  readonly min_p: number
}

export interface ComparedMetric {
  /** `scenarios_per_s`, `ok_per_s`, `p50_us`, `p99_us`, `fail_pct`, `rss_max_bytes` … */
  readonly metric: string
  /** Target name → its rounds. */
  readonly by_target: Readonly<Record<string, RoundStat>>
  /** Baseline vs candidate (first two targets); absent with a single round each. */
  readonly test?: RankTest
  /** The better target when the medians differ and p < 0.05; else undefined ("no clear difference"). */
  readonly better?: string
}

export interface TierComparison {
  readonly tier: number
  readonly baseline: string
  readonly candidate: string
  /** Scenario name (or `*` for all) → metrics. */
  readonly scenarios: Readonly<Record<string, readonly ComparedMetric[]>>
}

export interface ThresholdResult {
  readonly scenario: string
  readonly target: string
  readonly tier: number
  readonly threshold: string
  /** The measured value (median over rounds), in the threshold's unit. */
  readonly value: number
  readonly pass: boolean
}

export interface LoadSettings {
  readonly profile: string
  readonly model: LoadModel
  readonly tiers: readonly number[]
  readonly rounds: number
  readonly duration_s: number
  readonly warmup_s: number
  readonly rate?: number
  readonly timeout_s: number
  readonly seed: string
  /** The prepared staffing corpus the booted targets loaded; null for external targets or mixes without one. */
  readonly corpus: { readonly rows: number; readonly seed: string; readonly key: string } | null
  /** CPU pinning with taskset, or null where it was unavailable. */
  readonly pinning: { readonly server: string; readonly generator: string } | null
}

export interface LoadReport {
  readonly schema: typeof LOAD_REPORT_SCHEMA_ID
  readonly run_id: string
  readonly started_at: string
  readonly finished_at: string
  readonly duration_ms: number
  readonly commit?: string
  readonly machine: { readonly cores: number; readonly cpu: string; readonly node: string; readonly platform: string }
  readonly mix: {
    readonly name: string
    readonly file: string
    readonly sha256: string
    readonly scenarios: readonly {
      readonly name: string
      readonly weight: number
      readonly steps: readonly string[]
      readonly thresholds: readonly string[]
    }[]
  }
  readonly settings: LoadSettings
  readonly targets: readonly TargetInfo[]
  readonly measurements: readonly Measurement[]
  readonly comparisons: readonly TierComparison[]
  readonly thresholds: readonly ThresholdResult[]
  /** Things a reader must know before trusting the figures (load-generator-bound rounds, unreconciled counters, RSS growth …). */
  readonly warnings: readonly string[]
  /** Set by `merge`: the run ids this report combines. */
  readonly merged_from?: readonly string[]
  /** 0 every threshold passed, 1 a threshold failed, 2 configuration or target error. */
  readonly exit_code: 0 | 1 | 2
}
