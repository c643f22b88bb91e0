import { xmlAttr, xmlText } from '@lakehouse/parity'
import type { LoadReport, Measurement, ThresholdResult } from '../model.ts'
import { EXIT_CODE_MEANINGS, formatThresholdValue, plain, scenarioLabel } from './format.ts'
import { tierViews } from './tier-view.ts'

interface Testcase {
  readonly name: string
  readonly seconds: number
  /** Present when the testcase fails. */
  readonly failure?: { readonly message: string; readonly type: string; readonly detail: string }
  readonly error?: { readonly message: string; readonly detail: string }
}

/**
 * `junit.xml` for CI dashboards: one testsuite per target × tier; one testcase per threshold
 * (a `<failure>` with the measured value when it failed — thresholds alone decide the exit
 * code) and one per measured round, "counters reconciled with autocannon", failing when our
 * counters and autocannon's disagree (the figures of that round cannot be trusted). A run that
 * ended in a configuration or target error (exit 2) adds a `run` suite with one `<error>`.
 */
export function renderJunitXml(report: LoadReport): string {
  const suites: { name: string; timestamp: string; cases: Testcase[] }[] = []
  for (const view of tierViews(report)) {
    for (const target of view.targets) {
      const rounds = view.measurements.filter((m) => m.target === target)
      const cases = [...view.thresholds.filter((t) => t.target === target).map(thresholdCase), ...rounds.map(reconciliationCase)]
      suites.push({ name: `${target} tier ${view.tier}`, timestamp: rounds[0]?.started_at ?? report.started_at, cases })
    }
  }
  if (report.exit_code === 2) {
    const detail = report.warnings.join('\n') || EXIT_CODE_MEANINGS[2]
    suites.push({
      name: 'run',
      timestamp: report.started_at,
      cases: [{ name: 'configuration and targets', seconds: report.duration_ms / 1000, error: { message: EXIT_CODE_MEANINGS[2], detail } }],
    })
  }
  const all = suites.flatMap((s) => s.cases)
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(`load ${report.run_id}`)}" ${tally(all)} time="${seconds(report.duration_ms / 1000)}">`,
  ]
  for (const suite of suites) {
    const time = suite.cases.reduce((n, c) => n + c.seconds, 0)
    out.push(
      `  <testsuite name="${xmlAttr(suite.name)}" ${tally(suite.cases)} time="${seconds(time)}" timestamp="${xmlAttr(suite.timestamp)}">`,
    )
    out.push(`    <properties>${properties(report)}</properties>`)
    for (const c of suite.cases) out.push(...testcase(suite.name, c))
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}

function thresholdCase(t: ThresholdResult): Testcase {
  const measured = formatThresholdValue(t.threshold, t.value)
  const name = `${scenarioLabel(t.scenario)}: ${t.threshold}`
  if (t.pass) return { name, seconds: 0 }
  const message = `${plain(scenarioLabel(t.scenario))} on ${plain(t.target)} at tier ${t.tier}: ${plain(t.threshold)} failed, measured ${measured}`
  return {
    name,
    seconds: 0,
    failure: { message, type: 'threshold', detail: `${message} (median over rounds; raw value ${t.value})` },
  }
}

function reconciliationCase(m: Measurement): Testcase {
  const name = `round ${m.round}: counters reconciled with autocannon`
  if (m.reconciliation.reconciled) return { name, seconds: m.duration_s }
  const message = `round ${m.round} not reconciled: ${m.reconciliation.mismatches.join('; ') || 'counters differ'}`
  const detail = `ours: ${JSON.stringify(m.reconciliation.ours)}\nautocannon: ${JSON.stringify(m.reconciliation.autocannon)}`
  return { name, seconds: m.duration_s, failure: { message, type: 'reconciliation', detail } }
}

function testcase(classname: string, c: Testcase): string[] {
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(c.name)}" time="${seconds(c.seconds)}"`
  if (c.failure !== undefined) {
    const f = c.failure
    return [
      `${open}>`,
      `      <failure message="${xmlAttr(f.message)}" type="${xmlAttr(f.type)}">${xmlText(f.detail)}</failure>`,
      '    </testcase>',
    ]
  }
  if (c.error !== undefined) {
    return [
      `${open}>`,
      `      <error message="${xmlAttr(c.error.message)}" type="error">${xmlText(c.error.detail)}</error>`,
      '    </testcase>',
    ]
  }
  return [`${open}/>`]
}

function properties(report: LoadReport): string {
  const entries: [string, string][] = [
    ['runId', report.run_id],
    ['mix', report.mix.name],
    ['model', report.settings.model],
    ['profile', report.settings.profile],
    ...(report.commit === undefined ? [] : ([['commit', report.commit]] as [string, string][])),
  ]
  return entries.map(([k, v]) => `<property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`).join('')
}

function tally(cases: readonly Testcase[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length
  const errors = cases.filter((c) => c.error !== undefined).length
  return `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0"`
}

function seconds(s: number): string {
  return s.toFixed(3)
}
