import { analyze } from '../analysis/analyze.ts'
import { parseThreshold } from '../mix/thresholds.ts'
import { LOAD_REPORT_SCHEMA_ID, type LoadReport, type Measurement, type TargetInfo } from '../model.ts'
import { combineMeasurements, type Shard } from './combine-measurements.ts'
import { LoadCompareError } from './errors.ts'

export interface MergeOptions {
  /** The merge's own time, for its run id; default now. */
  readonly now?: Date
}

/**
 * `pnpm load merge A.json B.json …`: shards of one mix run on several machines against the
 * same targets at the same time become one report. Shards must share the mix file (sha256),
 * the load model and the tiers; measurements of the same (target, tier, round) are combined
 * (see combineMeasurements), then comparisons, thresholds and warnings are recomputed from the
 * merged measurements, with the thresholds parsed back from the mix's sources. Everything
 * else — machine, settings, commit, server figures — is the first shard's, and a warning says
 * when the shards disagree on it.
 */
export function mergeRuns(reports: readonly LoadReport[], options: MergeOptions = {}): LoadReport {
  const first = checkShards(reports)
  const groups = new Map<string, Shard[]>()
  for (const r of reports) {
    for (const m of r.measurements) {
      const key = `${m.tier}\u0000${m.round}\u0000${m.target}`
      groups.set(key, [...(groups.get(key) ?? []), { runId: r.run_id, measurement: m }])
    }
  }
  const targets = unionTargets(reports)
  const order = new Map(targets.map((t, i) => [t.name, i] as const))
  const measurements: Measurement[] = [...groups.values()]
    .map(combineMeasurements)
    .sort((a, b) => a.tier - b.tier || a.round - b.round || (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0))
  const analysis = analyze({
    measurements,
    targets,
    scenarios: first.mix.scenarios.map((s) => ({ name: s.name, thresholds: s.thresholds.map(parseThreshold) })),
  })
  const partial = [...groups.values()]
    .filter((g) => g.length < reports.length)
    .map((g) => g[0]?.measurement)
    .filter((m): m is Measurement => m !== undefined)
  // ISO-8601 UTC timestamps sort as text.
  const started_at = reports.map((r) => r.started_at).sort()[0] ?? first.started_at
  const finished_at =
    reports
      .map((r) => r.finished_at)
      .sort()
      .at(-1) ?? first.finished_at
  const rates = reports.map((r) => r.settings.rate).filter((r): r is number => r !== undefined)
  return {
    schema: LOAD_REPORT_SCHEMA_ID,
    run_id: `merge-${runStamp(options.now ?? new Date())}`,
    started_at,
    finished_at,
    duration_ms: Math.max(0, Date.parse(finished_at) - Date.parse(started_at)),
    ...(first.commit === undefined ? {} : { commit: first.commit }),
    machine: first.machine,
    mix: first.mix,
    settings: { ...first.settings, ...(rates.length > 0 ? { rate: rates.reduce((a, b) => a + b, 0) } : {}) },
    targets,
    measurements,
    comparisons: analysis.comparisons,
    thresholds: analysis.thresholds,
    warnings: [...mergeWarnings(reports, partial), ...analysis.warnings],
    merged_from: reports.map((r) => r.run_id),
    exit_code: reports.some((r) => r.exit_code === 2) ? 2 : analysis.exit_code,
  }
}

function checkShards(reports: readonly LoadReport[]): LoadReport {
  const first = reports[0]
  if (first === undefined || reports.length < 2) {
    throw new LoadCompareError('LOAD_MERGE_INPUT', `merge needs at least two reports, got ${reports.length}`)
  }
  const ids = reports.map((r) => r.run_id)
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i)
  if (twice.length > 0) {
    throw new LoadCompareError('LOAD_MERGE_INPUT', `run ${twice[0]} is given more than once: its counts would be added twice`)
  }
  for (const r of reports.slice(1)) {
    if (r.mix.sha256 !== first.mix.sha256) {
      throw new LoadCompareError(
        'LOAD_MERGE_MIX_MISMATCH',
        `run ${r.run_id} used mix ${r.mix.name} (${r.mix.file}, sha256 ${r.mix.sha256.slice(0, 12)}…) but run ${first.run_id} used ${first.mix.name} (${first.mix.file}, sha256 ${first.mix.sha256.slice(0, 12)}…): only shards of the same mix file can be merged`,
      )
    }
    if (r.settings.model !== first.settings.model) {
      throw new LoadCompareError(
        'LOAD_MERGE_SETTINGS_MISMATCH',
        `run ${r.run_id} used the ${r.settings.model} model but run ${first.run_id} the ${first.settings.model} model`,
      )
    }
    if (tierList(r) !== tierList(first)) {
      throw new LoadCompareError(
        'LOAD_MERGE_SETTINGS_MISMATCH',
        `run ${r.run_id} covered tiers ${tierList(r)} but run ${first.run_id} tiers ${tierList(first)}`,
      )
    }
  }
  return first
}

function tierList(r: LoadReport): string {
  return [...r.settings.tiers].sort((a, b) => a - b).join(', ')
}

function unionTargets(reports: readonly LoadReport[]): TargetInfo[] {
  const byName = new Map<string, TargetInfo>()
  for (const r of reports) for (const t of r.targets) if (!byName.has(t.name)) byName.set(t.name, t)
  for (const r of reports)
    for (const m of r.measurements) if (!byName.has(m.target)) byName.set(m.target, { name: m.target, url: '', booted: false })
  return [...byName.values()]
}

function mergeWarnings(reports: readonly LoadReport[], partial: readonly Measurement[]): string[] {
  const out = [`merged from ${reports.length} shards (${reports.map((r) => r.run_id).join(', ')}): counts and rates are their sums`]
  const commits = [...new Set(reports.map((r) => r.commit ?? 'unknown'))]
  if (commits.length > 1) out.push(`the shards ran different commits (${commits.join(', ')})`)
  const durations = [...new Set(reports.map((r) => `${r.settings.rounds} × ${r.settings.duration_s} s`))]
  if (durations.length > 1)
    out.push(`the shards ran different rounds × durations (${durations.join(', ')}); the first shard's settings are reported`)
  if (partial.length > 0) {
    out.push(
      `only some shards measured ${partial.map((m) => `${m.target} c=${m.tier} r${m.round}`).join(', ')}: those figures cover fewer machines`,
    )
  }
  return out
}

/** `20261121T095950Z`, the stamp parity's run ids start with. */
function runStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(/[-:]/g, '')
}
