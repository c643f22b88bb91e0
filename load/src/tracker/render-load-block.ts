import { mdCell, mdText } from '@lakehouse/parity'
import { formatChange, formatCount, formatMiB, formatMs, formatP, formatPct } from '../analysis/format.ts'
import { compareTiers, roundStat, roundsOf, targetNames, tiersOf } from '../analysis/rounds.ts'
import type { ComparedMetric, LoadReport, TierComparison } from '../model.ts'
import { SEED_REFERENCE, type SeedFigures } from './seed-reference.ts'

const ALL = '*'
const NONE = '—'

/**
 * The load block: a line naming the run, then one table per tier (rows: scenarios and
 * "all"; per target: median ok/s, fail %, p50 and p99 over rounds), a line with server RSS,
 * load-generator CPU and the rank-test verdict, and under the c=50 table the seed's Go
 * figures. Everything comes from the report and the date, so the same report renders the
 * same bytes.
 */
export function renderLoadBlock(report: LoadReport, date: string): string {
  const targets = targetNames(report.targets, report.measurements)
  const comparisons = compareTiers(report.measurements, report.targets, report.mix.scenarios)
  const parts = [runLine(report, date)]
  if (report.measurements.length === 0) parts.push('_The run measured nothing._')
  for (const c of comparisons) {
    parts.push(
      `**c=${c.tier}**${report.settings.model === 'open' && report.settings.rate !== undefined ? ` (open model, ${formatCount(report.settings.rate)} scenarios/s offered)` : ''}`,
    )
    parts.push(
      tierTable(
        c,
        targets,
        report.mix.scenarios.map((s) => s.name),
      ),
    )
    parts.push(resourceLine(report, c, targets))
    if (c.tier === SEED_REFERENCE.tier) parts.push(seedTable(report.mix.scenarios.map((s) => s.name)))
  }
  return `\n${parts.join('\n\n')}\n`
}

/** `closed model` / `open model (200 scenarios/s)`. */
export function modelLabel(report: LoadReport): string {
  return report.settings.model === 'closed'
    ? 'closed model'
    : `open model${report.settings.rate === undefined ? '' : ` (${formatCount(report.settings.rate)} scenarios/s)`}`
}

function runLine(report: LoadReport, date: string): string {
  const s = report.settings
  const described = report.targets.map((t) => {
    const detail = [t.runtime, t.version].filter((x) => x !== undefined && x !== '').join(' ')
    return detail === '' ? t.name : `${t.name} (${detail})`
  })
  const facts = [
    `mix ${mdText(report.mix.name)} (${modelLabel(report)})`,
    `profile ${mdText(s.profile)}`,
    s.corpus === null ? 'no corpus' : `${formatCount(s.corpus.rows)} corpus rows`,
    `${s.rounds} round${s.rounds === 1 ? '' : 's'} × ${s.duration_s} s per target and tier`,
    `tiers ${tiersOf(report.measurements).join(', ') || s.tiers.join(', ')}`,
    ...(described.length > 0 ? [`targets ${mdText(described.join(', '))}`] : []),
    ...(report.merged_from === undefined ? [] : [`merged from ${report.merged_from.length} shards`]),
  ]
  return `**Last run:** \`${report.run_id}\` (${date}, commit ${report.commit === undefined ? 'unknown' : `\`${report.commit}\``}) · ${facts.join(' · ')}`
}

function tierTable(c: TierComparison, targets: readonly string[], scenarioOrder: readonly string[]): string {
  const columns = ['ok/s', 'fail %', 'p50 ms', 'p99 ms']
  const header = `| scenario | ${targets.flatMap((t) => columns.map((col) => `${mdCell(t)} ${col}`)).join(' | ')} |`
  const rule = `|---|${targets.flatMap(() => columns.map(() => '---:')).join('|')}|`
  const names = [...new Set([...scenarioOrder, ...Object.keys(c.scenarios).filter((n) => n !== ALL)])]
  const row = (label: string, key: string) => {
    const metrics = c.scenarios[key] ?? []
    const cells = targets.flatMap((t) => [
      cell(metrics, 'ok_per_s', t, formatCount),
      cell(metrics, 'fail_pct', t, formatPct),
      cell(metrics, 'p50_us', t, formatMs),
      cell(metrics, 'p99_us', t, formatMs),
    ])
    return `| ${label} | ${cells.join(' | ')} |`
  }
  return [header, rule, ...names.map((n) => row(mdCell(n), n)), row('**all**', ALL)].join('\n')
}

function cell(metrics: readonly ComparedMetric[], metric: string, target: string, show: (v: number) => string): string {
  const stat = metrics.find((m) => m.metric === metric)?.by_target[target]
  return stat === undefined ? NONE : show(stat.median)
}

/** Server RSS (max over rounds), load-generator CPU (median over rounds), and what the rank test says about throughput. */
function resourceLine(report: LoadReport, c: TierComparison, targets: readonly string[]): string {
  const rss = targets.map((t) => {
    const values = roundsOf(report.measurements, t, c.tier).flatMap((m) => (m.server === null ? [] : [m.server.rss_max_bytes]))
    return `${mdText(t)} ${values.length === 0 ? NONE : formatMiB(Math.max(...values))}`
  })
  const lg = targets.map((t) => {
    const rounds = roundsOf(report.measurements, t, c.tier)
    if (rounds.length === 0) return `${mdText(t)} ${NONE}`
    const bound = rounds.filter((m) => m.load_generator.bound).length
    return `${mdText(t)} ${Math.round(roundStat(rounds.map((m) => m.load_generator.cpu_pct)).median)} %${bound > 0 ? ` (CPU-bound in ${bound} of ${rounds.length} rounds)` : ''}`
  })
  return `Server RSS max: ${rss.join(', ')} · load-generator CPU: ${lg.join(', ')} · ${verdict(c) ?? 'single target, no comparison'}`
}

/** `bun faster (+12.0 % ok/s, p=0.03)` or `no clear difference (bun +3.1 % ok/s, p=0.10)`; undefined for a single target. */
export function verdict(c: TierComparison): string | undefined {
  if (c.baseline === c.candidate) return undefined
  const ok = (c.scenarios[ALL] ?? []).find((m) => m.metric === 'ok_per_s')
  const a = ok?.by_target[c.baseline]
  const b = ok?.by_target[c.candidate]
  if (ok === undefined || a === undefined || b === undefined) return 'no comparison (a target has no rounds)'
  const p = ok.test === undefined ? 'single rounds, no test' : `p=${formatP(ok.test.p)}`
  const gain = (winner: number, loser: number) => formatChange(loser === 0 ? undefined : ((winner - loser) / loser) * 100)
  if (ok.better !== undefined) {
    const [w, l] = ok.better === c.baseline ? [a, b] : [b, a]
    return `${mdText(ok.better)} faster (${gain(w.median, l.median)} ok/s, ${p})`
  }
  // Every round of one target beat every round of the other, yet too few rounds for p < 0.05:
  // say both, rather than a bare "no clear difference" that reads as "the same".
  if (ok.test !== undefined && (b.min > a.max || a.min > b.max)) {
    const [lead, w, l] = b.min > a.max ? [c.candidate, b, a] : [c.baseline, a, b]
    return `${mdText(lead)} ahead in every round (${gain(w.median, l.median)} ok/s), but ${ok.test.n_a} vs ${ok.test.n_b} rounds cannot reach p < 0.05 (${p})`
  }
  return `no clear difference (${mdText(c.candidate)} ${gain(b.median, a.median)} ok/s vs ${mdText(c.baseline)}, ${p})`
}

function seedTable(scenarios: readonly string[]): string {
  const all = SEED_REFERENCE.all
  const cells = [
    `${formatCount(all.scenarios_per_s)} scenarios/s (${formatCount(all.after_fix_per_s)}/s after its HNSW fix), ${formatPct(all.fail_pct)} % fail`,
    ...scenarios.map((s) => seedCell(SEED_REFERENCE.scenarios[s])),
  ]
  return [
    `| reference | all | ${scenarios.map(mdCell).join(' | ')} |`,
    `|---|---|${scenarios.map(() => '---').join('|')}|`,
    `| ${SEED_REFERENCE.label} | ${cells.join(' | ')} |`,
  ].join('\n')
}

function seedCell(f: SeedFigures | undefined): string {
  if (f === undefined) return NONE
  const parts = [
    f.p50_ms === undefined ? undefined : `p50 ${f.p50_ms} ms`,
    f.p99_ms === undefined ? undefined : `p99 ${f.p99_ms} ms`,
    f.fail_pct === undefined ? undefined : `${formatPct(f.fail_pct)} % fail${f.note === undefined ? '' : ` (${f.note})`}`,
  ].filter((p): p is string => p !== undefined)
  return parts.length === 0 ? NONE : parts.join(' · ')
}
