import { FAILURE_CAUSES, LOAD_REPORT_SCHEMA_ID } from '../model.ts'

/** A JSON Schema node (draft-07); keywords as plain data so ajv and docs can read them. */
export type JsonSchema = { readonly [keyword: string]: unknown }

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` })
const str: JsonSchema = { type: 'string' }
const bool: JsonSchema = { type: 'boolean' }
const count: JsonSchema = { type: 'integer', minimum: 0 }
const nonNegative: JsonSchema = { type: 'number', minimum: 0 }
const us = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description: `${description}, µs` })
const percent = (description: string): JsonSchema => ({ type: 'number', minimum: 0, description: `${description}, %` })
const strings: JsonSchema = { type: 'array', items: str }
const instant: JsonSchema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 instant',
}

/** An object whose members are all listed and, unless `optional` names them, required. */
function closed(properties: Readonly<Record<string, JsonSchema>>, optional: readonly string[] = [], extra: JsonSchema = {}): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
    ...extra,
  }
}

/** A map with free keys (target names, scenario names, status codes). */
const mapOf = (values: JsonSchema, description: string): JsonSchema => ({ type: 'object', additionalProperties: values, description })

/** The open model needs its arrival rate; the closed model has none. */
const rateByModel: JsonSchema = {
  if: { type: 'object', properties: { model: { const: 'open' } } },
  // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a thenable
  then: { type: 'object', required: ['rate'] },
  else: { type: 'object', not: { type: 'object', required: ['rate'] } },
}

/**
 * JSON Schema of `report.json` (`LoadReport` in load/src/model.ts), draft-07. Closed: every
 * object lists all its members (`additionalProperties: false`), so a writer that drifts from
 * the model fails the test that validates the sample report, and a consumer validating a file
 * knows it read every member. Maps keyed by target, scenario or status are the exceptions.
 * docs/load-report.md documents each member with its unit.
 */
export const LOAD_REPORT_JSON_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: LOAD_REPORT_SCHEMA_ID,
  title: 'Lakehouse load report',
  ...closed(
    {
      schema: { const: LOAD_REPORT_SCHEMA_ID },
      run_id: { type: 'string', minLength: 1 },
      started_at: instant,
      finished_at: instant,
      duration_ms: { ...nonNegative, description: 'wall time of the whole run, ms' },
      commit: str,
      machine: closed({ cores: { type: 'integer', minimum: 1 }, cpu: str, node: str, platform: str }),
      mix: closed({
        name: str,
        file: { type: 'string', description: 'repository-relative path of the mix file' },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        scenarios: {
          type: 'array',
          items: closed({ name: str, weight: { type: 'number', exclusiveMinimum: 0 }, steps: strings, thresholds: strings }),
        },
      }),
      settings: ref('settings'),
      targets: { type: 'array', items: ref('target') },
      measurements: { type: 'array', items: ref('measurement') },
      comparisons: { type: 'array', items: ref('tierComparison') },
      thresholds: { type: 'array', items: ref('thresholdResult') },
      warnings: strings,
      merged_from: strings,
      exit_code: { enum: [0, 1, 2] },
    },
    ['commit', 'merged_from'],
  ),
  definitions: {
    model: { enum: ['closed', 'open'] },
    failureCause: { enum: [...FAILURE_CAUSES] },
    failureExample: closed({ scenario: str, step: str, cause: ref('failureCause'), message: str }),
    failureCounts: closed(Object.fromEntries(FAILURE_CAUSES.map((c) => [c, count]))),
    latencySummary: closed({
      count,
      min_us: us('smallest'),
      mean_us: us('mean, rounded'),
      p50_us: us('50th percentile'),
      p90_us: us('90th percentile'),
      p99_us: us('99th percentile'),
      p999_us: us('99.9th percentile'),
      max_us: us('largest'),
    }),
    histogram: {
      type: 'string',
      pattern: '^[A-Za-z0-9+/]*={0,2}$',
      description: 'HdrHistogram V2 compressed, base64; values in µs (1 µs .. 1 h, 3 significant digits)',
    },
    settings: closed(
      {
        profile: str,
        model: ref('model'),
        tiers: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
        rounds: { type: 'integer', minimum: 1 },
        duration_s: { ...nonNegative, description: 'measured seconds per round' },
        warmup_s: { ...nonNegative, description: 'unmeasured seconds before each round' },
        rate: { ...nonNegative, description: 'open model: scenario arrivals per second' },
        timeout_s: { ...nonNegative, description: 'per-request timeout, s' },
        seed: str,
        corpus: { oneOf: [{ type: 'null' }, closed({ rows: count, seed: str, key: str })] },
        pinning: { oneOf: [{ type: 'null' }, closed({ server: str, generator: str })] },
      },
      ['rate'],
      rateByModel,
    ),
    target: closed({ name: str, url: str, booted: bool, runtime: str, version: str, pid: { type: 'integer', minimum: 1 } }, [
      'runtime',
      'version',
      'pid',
    ]),
    stepStats: closed({
      name: str,
      sent: count,
      ok: count,
      failures: ref('failureCounts'),
      skipped: count,
      latency: ref('latencySummary'),
      histogram: ref('histogram'),
    }),
    scenarioStats: closed({
      name: str,
      weight: nonNegative,
      started: count,
      ok: count,
      failed: count,
      unfinished: count,
      failures: ref('failureCounts'),
      fail_pct: percent('failed ÷ (ok + failed) × 100'),
      ok_per_s: { ...nonNegative, description: 'ok scenarios per measured second' },
      latency: ref('latencySummary'),
      latency_ok: ref('latencySummary'),
      histogram: ref('histogram'),
      histogram_ok: ref('histogram'),
      steps: { type: 'array', items: ref('stepStats') },
    }),
    sample: closed({
      t_s: { ...nonNegative, description: 'second of the measurement window' },
      scenarios: count,
      requests: count,
      failures: count,
      rss_bytes: { oneOf: [{ type: 'null' }, count], description: 'server process tree RSS, bytes; null without a pid' },
      cpu_pct: { oneOf: [{ type: 'null' }, nonNegative], description: 'server process tree CPU, % of one core; null without a pid' },
      lg_cpu_pct: percent('load generator, of one core'),
    }),
    serverResources: closed({
      pid: { type: 'integer', minimum: 1 },
      rss_start_bytes: count,
      rss_end_bytes: count,
      rss_max_bytes: count,
      rss_growth_pct: { type: 'number', description: '(end − start) ÷ start × 100; negative when RSS shrank' },
      cpu_mean_pct: percent('of one core'),
      cpu_max_pct: percent('of one core'),
    }),
    littlesLaw: closed({
      connections: count,
      requests_per_s: nonNegative,
      mean_request_latency_us: us('mean request latency'),
      busy_connections: nonNegative,
      ratio: nonNegative,
    }),
    reconciliation: closed({
      autocannon: closed({
        requests: count,
        responses: count,
        timeouts: count,
        errors: count,
        resets: count,
        status_codes: mapOf(count, 'HTTP status → responses'),
      }),
      ours: closed({
        requests: count,
        responses: count,
        timeouts: count,
        connection_errors: count,
        flows_ended_early: count,
        interrupted: { ...count, description: 'sent steps that got no response (timeout, reset, closed connection)' },
        in_flight_at_end: { ...count, description: 'requests still unanswered when the window closed' },
      }),
      reconciled: bool,
      mismatches: strings,
    }),
    measurement: closed(
      {
        target: str,
        tier: { type: 'integer', minimum: 1 },
        round: { type: 'integer', minimum: 1 },
        model: ref('model'),
        connections: { type: 'integer', minimum: 1 },
        rate: { ...nonNegative, description: 'open model: scenario arrivals per second' },
        started_at: instant,
        duration_s: nonNegative,
        scenarios_per_s: nonNegative,
        requests_per_s: nonNegative,
        requests: count,
        scenarios: closed({ started: count, ok: count, failed: count, unfinished: count, dropped: count }),
        fail_pct: percent('failed ÷ (ok + failed) × 100'),
        failures: ref('failureCounts'),
        latency: ref('latencySummary'),
        latency_ok: ref('latencySummary'),
        request_latency: ref('latencySummary'),
        per_scenario: { type: 'array', items: ref('scenarioStats') },
        server: { oneOf: [{ type: 'null' }, ref('serverResources')] },
        load_generator: closed({ cpu_pct: percent('of one core'), bound: bool }),
        littles_law: ref('littlesLaw'),
        reconciliation: ref('reconciliation'),
        samples: { type: 'array', items: ref('sample') },
        failure_examples: { type: 'array', items: ref('failureExample'), maxItems: 20 },
      },
      ['rate'],
      rateByModel,
    ),
    roundStat: closed({
      median: { type: 'number' },
      min: { type: 'number' },
      max: { type: 'number' },
      values: { type: 'array', items: { type: 'number' } },
    }),
    rankTest: closed({
      u: nonNegative,
      p: { type: 'number', minimum: 0, maximum: 1 },
      n_a: count,
      n_b: count,
      min_p: { type: 'number', minimum: 0, maximum: 1 },
    }),
    comparedMetric: closed(
      { metric: str, by_target: mapOf(ref('roundStat'), 'target name → its rounds'), test: ref('rankTest'), better: str },
      ['test', 'better'],
    ),
    tierComparison: closed({
      tier: { type: 'integer', minimum: 1 },
      baseline: str,
      candidate: str,
      scenarios: mapOf({ type: 'array', items: ref('comparedMetric') }, 'scenario name, or * for every scenario → metrics'),
    }),
    thresholdResult: closed({
      scenario: str,
      target: str,
      tier: { type: 'integer', minimum: 1 },
      threshold: { type: 'string', description: 'as written in the mix file' },
      value: { type: 'number', description: "median over rounds, in the threshold's unit (µs, %, scenarios/s)" },
      pass: bool,
    }),
  },
}
