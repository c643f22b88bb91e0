/**
 * The parity instrument's data model: what a case is, what a target answered, what a
 * divergence is, and the run report written to `reports/parity/<run-id>/report.json`.
 * Everything in here is plain JSON-serialisable data; `REPORT_SCHEMA_ID` names its version.
 */

// ── divergences ─────────────────────────────────────────────────────────────────────────

/** What kind of disagreement: see docs/parity.md for each class. */
export type DivergenceClass = 'status' | 'type' | 'missing' | 'extra' | 'order' | 'value' | 'header' | 'contract'
export const DIVERGENCE_CLASSES: readonly DivergenceClass[] = ['status', 'type', 'missing', 'extra', 'order', 'value', 'header', 'contract']

/**
 * How much a caller switching from the baseline to the candidate would suffer:
 * breaking (a parser or a branch on status breaks), medium (same shape, other content),
 * additive (the candidate sends more than the baseline; old callers are unaffected).
 */
export type Risk = 'breaking' | 'medium' | 'additive'
export const RISKS: readonly Risk[] = ['breaking', 'medium', 'additive']

/**
 * One difference between two observed responses, before it is tied to a case and a pair.
 * `path` is `status` for the status line, `header:<lower-case name>` for a header, and a
 * JSONPath into the body otherwise (`$` is the whole body; `$.a.b[2]`; arrays matched by key
 * use `$.items[?(@.id=='x')]`).
 */
export interface Finding {
  readonly class: DivergenceClass
  readonly risk: Risk
  readonly path: string
  /** What the baseline had at `path` (undefined when absent), already JSON-safe for display. */
  readonly baseline?: unknown
  /** What the candidate had at `path` (undefined when absent). */
  readonly candidate?: unknown
  /**
   * The change with the values that vary between occurrences taken out: types for body
   * values (`integer→string`, `string`, `object→absent`), both codes for a status
   * (`200→201`), presence for a header (`present→absent`, `value`). Findings grouping
   * divergences (`ParityFinding`) share it.
   */
  readonly shape: string
  /** One line for people: "integer on node, float on bun". */
  readonly message: string
}

// ── observed responses ──────────────────────────────────────────────────────────────────

export type ObservedBody =
  | { readonly kind: 'empty' }
  /** `text` is the raw body text; parse it with lossless-json to keep number literals. */
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly base64: string; readonly size: number }

export interface Observed {
  readonly status: number
  /** Lower-case header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly body: ObservedBody
  readonly latencyMs: number
}

// ── compare rules (per case, merged over defaults) ──────────────────────────────────────

export type HeaderRule = 'ignore' | 'equal' | 'present'

/**
 * A ranked list (search hits, best first) compared as a ranked list rather than index by
 * index: overlap of the top `k`, rank displacement of the ids both sides return, and score
 * differences of those ids. One finding per list when a threshold is crossed (docs/parity.md).
 */
export interface RankedRule {
  /** The member that identifies a hit (`id`). */
  readonly key: string
  /** The member holding the hit's score; compared numerically within `scoreTolerance`. */
  readonly score?: string
  /** How many leading hits of each side are compared (default: all of the longer list). */
  readonly k?: number
  /** Shared ids ÷ size of the larger top-k below which the lists diverge (0…1, default 1). */
  readonly minOverlap?: number
  /** Largest rank change of a shared id that is not a divergence (default 0). */
  readonly maxDisplacement?: number
  /** Absolute score difference that is not a divergence (default: the `tolerance` rule for the score path, else 0). */
  readonly scoreTolerance?: number
}

export interface CompareRules {
  /** JSONPaths (`[*]` matches any index or key filter) whose differences are not divergences. */
  readonly ignore: readonly string[]
  /** Array JSONPath (with `[*]` allowed) → the member that identifies an element. */
  readonly arrayKeys: Readonly<Record<string, string>>
  /** Array JSONPaths whose order does not matter at all (not even reported as `order`). */
  readonly unordered: readonly string[]
  /** Numeric JSONPath → absolute tolerance under which two numbers are equal. */
  readonly tolerance: Readonly<Record<string, number>>
  /** Lower-case header name → rule; headers not listed use DEFAULT_HEADER_RULES or `equal`. */
  readonly headers: Readonly<Record<string, HeaderRule>>
  /** Array JSONPath (with `[*]` allowed) → how to compare it as a ranked list. */
  readonly ranked: Readonly<Record<string, RankedRule>>
}

/** Volatile headers ignored unless a case says otherwise (DESIGN.md §7). */
export const DEFAULT_HEADER_RULES: Readonly<Record<string, HeaderRule>> = Object.freeze({
  date: 'ignore',
  server: 'ignore',
  'content-length': 'ignore',
  connection: 'ignore',
  'keep-alive': 'ignore',
  'transfer-encoding': 'ignore',
  'x-request-id': 'ignore',
})

export const EMPTY_RULES: CompareRules = Object.freeze({ ignore: [], arrayKeys: {}, unordered: [], tolerance: {}, headers: {}, ranked: {} })

/** Result of comparing two responses under rules. */
export interface Comparison {
  readonly findings: readonly Finding[]
  /**
   * Differences suppressed by an ignore rule, or body-derived headers (etag, content-length)
   * of bodies that differ — kept for the report, never counted.
   */
  readonly ignored: readonly Finding[]
  /** The `ignore` rules (verbatim) that suppressed at least one difference. */
  readonly matchedRules: readonly string[]
}

// ── cases ───────────────────────────────────────────────────────────────────────────────

export type StepBody =
  | { readonly json: unknown }
  | { readonly text: string }
  /** Path relative to the case file. */
  | { readonly file: string }
  | { readonly multipart: readonly MultipartPart[] }
  /** `prefix + text × count + suffix`: large bodies without committed fixtures. */
  | { readonly repeat: { readonly prefix?: string; readonly text: string; readonly count: number; readonly suffix?: string } }

export interface MultipartPart {
  readonly name: string
  readonly value?: string
  /** Path relative to the case file. */
  readonly file?: string
  readonly filename?: string
  readonly contentType?: string
}

export interface Capture {
  /** `body` (JSONPath into the JSON body) or `header` (a header name) or `status`. */
  readonly from: 'body' | 'header' | 'status'
  readonly path?: string
}

export interface CaseStep {
  readonly name: string
  readonly method: string
  /** May contain `{{var}}` placeholders filled from this target's captures. */
  readonly path: string
  readonly query?: Readonly<Record<string, string>>
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: StepBody
  /** Variable name → where to read it from this step's response (kept per target). */
  readonly capture?: Readonly<Record<string, Capture>>
  /** false: send `{{…}}` literally instead of filling variables. */
  readonly template?: boolean
  /** Sanity expectation on every target; a miss marks the case `error` (exit 2), not a divergence. */
  readonly expectStatus?: number
  readonly compare?: Partial<CompareRules>
}

export interface ParityCase {
  readonly id: string
  readonly title: string
  readonly component: string
  readonly tags: readonly string[]
  /** Repository-relative path of the file the case came from. */
  readonly file: string
  /** Setup cases run before all others, on every target. */
  readonly setup: boolean
  /** false for non-idempotent cases: skip the second baseline run that detects noise. */
  readonly noiseCheck: boolean
  /** How often recorded traffic had this case (folded near-duplicates, ≥ 1); `pnpm load` uses it as the scenario weight. */
  readonly weight?: number
  readonly compare: CompareRules
  /** The `ignore` rules `compare` inherited from the file's defaults: judged stale per file, not per case. */
  readonly fileIgnore: readonly string[]
  readonly steps: readonly CaseStep[]
}

// ── report ──────────────────────────────────────────────────────────────────────────────

/** v2 added `findings`, `settings`, a finding's `shape`, a divergence's `findingId` and a step's `endpoint`. */
export const REPORT_SCHEMA_ID = 'lakehouse.parity.report/v2'

export type CaseOutcome = 'parity' | 'known' | 'divergent' | 'error'

export interface TargetInfo {
  readonly name: string
  readonly url: string
  /** Booted by the run (node/bun apps) or given as a URL. */
  readonly booted: boolean
  /** From GET /health when the target has one. */
  readonly runtime?: string
  readonly version?: string
}

export interface ReportedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** Body as text (binary: base64), truncated to 64 KiB with `truncated: true`. */
  readonly body: string
  readonly bodyKind: ObservedBody['kind']
  readonly truncated: boolean
  readonly latencyMs: number
}

export interface Divergence extends Finding {
  /** Stable across runs: hash of case id, step name, pair, class and normalised path. */
  readonly id: string
  /** The `ParityFinding` this divergence belongs to (`pf-…`): hash of pair, class, normalised path and shape. */
  readonly findingId: string
  readonly caseId: string
  readonly component: string
  readonly step: string
  /** [baseline, candidate] target names. */
  readonly pair: readonly [string, string]
  /** Tied to an open row of the decisions tracker. */
  readonly known: boolean
  /** The tracker row id when known. */
  readonly trackerId?: string
}

export interface ReportedStep {
  readonly name: string
  readonly method: string
  /** Path with query, after variable substitution on the baseline. */
  readonly path: string
  /** Method and path template, ids generalised, no query: `GET /workers/{id}` (endpoint.ts). */
  readonly endpoint: string
  readonly requestBodyPreview?: string
  /** Target name → its response; the baseline's second run is under `<baseline>#2`. */
  readonly responses: Readonly<Record<string, ReportedResponse>>
  readonly divergences: readonly Divergence[]
  /** Paths that differed between the two baseline runs: shown greyed, never counted. */
  readonly noise: readonly Finding[]
  readonly ignored: readonly Finding[]
  readonly error?: string
}

export interface ReportedCase {
  readonly id: string
  readonly title: string
  readonly component: string
  readonly tags: readonly string[]
  readonly file: string
  readonly outcome: CaseOutcome
  readonly error?: string
  /** Target name → total latency of the case's steps (first run), milliseconds. */
  readonly latencyMs: Readonly<Record<string, number>>
  readonly steps: readonly ReportedStep[]
}

export interface Tally {
  readonly cases: number
  readonly parity: number
  readonly known: number
  readonly divergent: number
  readonly errors: number
}

export interface RunSummary extends Tally {
  readonly steps: number
  readonly divergences: { readonly total: number; readonly new: number; readonly known: number }
  /** Findings: `new` has at least one divergence no open/accepted row knows; `known` has none. */
  readonly findings: { readonly total: number; readonly new: number; readonly known: number }
  readonly noise: number
  readonly byClass: Readonly<Record<DivergenceClass, number>>
  readonly byRisk: Readonly<Record<Risk, number>>
  readonly byComponent: Readonly<Record<string, Tally>>
  /** Tracker rows whose divergence did not occur in this run (candidates for `resolved`). */
  readonly resolvedTrackerIds: readonly string[]
}

/** How often a finding occurred at one endpoint: in `occurrences` of its `comparisons` (steps compared for the pair). */
export interface EndpointCount {
  readonly endpoint: string
  readonly occurrences: number
  readonly comparisons: number
}

/**
 * Divergences grouped by root cause: same pair, class, normalised path (`$.items[*].id`,
 * `header:etag`) and shape, across every step and case; then such groups that changed the
 * same way in exactly the same steps, as members of one object or as headers, merged
 * (findings.ts). What a reviewer reads first; the divergences stay the evidence.
 */
export interface ParityFinding {
  /** Stable across runs: `pf-` + hash of pair, class, normalised path and shape (finding-id.ts). */
  readonly id: string
  readonly pair: readonly [string, string]
  readonly class: DivergenceClass
  /** The worst risk among the members. */
  readonly risk: Risk
  /**
   * Normalised: concrete indexes and key filters are `[*]`. A finding merging members of one
   * object or several headers names them in braces: `$.{id,title}`, `header:{pragma,vary}`.
   */
  readonly path: string
  /** The normalised paths it covers: `[path]`, or each merged member's. */
  readonly paths: readonly string[]
  readonly shape: string
  /**
   * The per-path finding ids (`Divergence.findingId`) it covers: `[id]`, or, for a merged
   * finding, one per path. A tracker row may name the finding's id or any of these.
   */
  readonly parts: readonly string[]
  /** Steps of the pair where it occurred (a step counts once, however many elements differed). */
  readonly occurrences: number
  /** Steps of the pair compared at the endpoints it touched. */
  readonly comparisons: number
  readonly endpoints: readonly EndpointCount[]
  readonly components: readonly string[]
  readonly cases: readonly string[]
  /** The first occurrence, in case order, with both values. */
  readonly example: {
    readonly divergenceId: string
    readonly caseId: string
    readonly step: string
    readonly endpoint: string
    readonly path: string
    readonly baseline?: unknown
    readonly candidate?: unknown
    readonly message: string
  }
  /** Member divergence ids (`pd-…`), in case order, without repeats. */
  readonly members: readonly string[]
  /** Every member is known (an open or accepted tracker row names it or this finding). */
  readonly known: boolean
  /** The tracker rows that make members known, in first-seen order. */
  readonly trackerIds: readonly string[]
}

/** `--fail-on`: which risks of divergences no person decided on fail a run (exit 1). */
export type FailOn = 'breaking' | 'medium' | 'any'
export const FAIL_ON: readonly FailOn[] = ['breaking', 'medium', 'any']

/** How the run was set up, beyond targets and selection: what a reader needs to judge the verdict. */
export interface RunSettings {
  readonly failOn: FailOn
  /** The tracker read (repository-relative when inside), absent when none. */
  readonly tracker?: string
  readonly updateDocs: boolean
  /**
   * Where the baseline's second observation came from: `replay` (the same instance again),
   * `secondary` (another instance, `secondaryUrl`), or `off` (`--no-noise`).
   */
  readonly noise: 'replay' | 'secondary' | 'off'
  readonly secondaryUrl?: string
  /**
   * `--contract`: the OpenAPI document every answer was checked against, as the user gave it
   * (file path or URL); absent when none. Contract findings have the self-pair `[t, t]`, which
   * `pairs` never lists: this is what tells the tracker such a pair was checked.
   */
  readonly contract?: string
}

export interface StaleRule {
  /** The case whose own rule matched nothing, or the case file for a file-level rule. */
  readonly caseId: string
  readonly rule: string
}

export interface RunReport {
  readonly schema: typeof REPORT_SCHEMA_ID
  readonly runId: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly durationMs: number
  /** Short git commit of the working tree, when known. */
  readonly commit?: string
  readonly targets: readonly TargetInfo[]
  readonly baseline: string
  readonly pairs: readonly (readonly [string, string])[]
  readonly selection: { readonly caseDir: string; readonly cases?: string; readonly tags: readonly string[] }
  readonly settings: RunSettings
  readonly summary: RunSummary
  /** Root causes, by risk then breadth (findings.ts): what reports lead with. */
  readonly findings: readonly ParityFinding[]
  readonly cases: readonly ReportedCase[]
  /** Every divergence of every case, flattened, in case order. */
  readonly divergences: readonly Divergence[]
  readonly staleRules: readonly StaleRule[]
  /** 0 parity or only known divergences, 1 a new divergence, 2 configuration or target error (a case error counts as 2). */
  readonly exitCode: 0 | 1 | 2
}
