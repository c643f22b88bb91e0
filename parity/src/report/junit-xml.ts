import type { Divergence, ReportedCase, RunReport } from '../model.ts'
import { byCodeUnit, oneLine, pairLabel, showValue } from './format.ts'
import { xmlAttr, xmlText } from './xml-escape.ts'

/**
 * `junit.xml` for CI dashboards: one testsuite per component, one testcase per case (its
 * `file` attribute the repository-relative case file, as CI annotations expect).
 * divergent → <failure> listing the new divergences; error → <error>; known → a passing
 * testcase with a <system-out> note naming the tracker rows, so CI stays green on tracked
 * differences (exit 0) yet the note is one click away.
 */
export function renderJunitXml(report: RunReport): string {
  const components = [...new Set(report.cases.map((c) => c.component))].sort(byCodeUnit)
  const total = tallyOf(report.cases)
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(`parity ${report.runId}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="0" time="${seconds(report.durationMs)}">`,
  ]
  for (const component of components) {
    const cases = report.cases.filter((c) => c.component === component)
    const t = tallyOf(cases)
    const time = cases.reduce((sum, c) => sum + (c.latencyMs[report.baseline] ?? 0), 0)
    out.push(
      `  <testsuite name="${xmlAttr(component)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="0" time="${seconds(time)}" timestamp="${xmlAttr(report.startedAt)}">`,
    )
    out.push(
      `    <properties><property name="runId" value="${xmlAttr(report.runId)}"/><property name="baseline" value="${xmlAttr(report.baseline)}"/>${
        report.commit === undefined ? '' : `<property name="commit" value="${xmlAttr(report.commit)}"/>`
      }</properties>`,
    )
    for (const c of cases) out.push(...testcase(c, report.baseline))
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}

function testcase(c: ReportedCase, baseline: string): string[] {
  const open = `    <testcase classname="${xmlAttr(c.component)}" name="${xmlAttr(c.id)}" file="${xmlAttr(c.file)}" time="${seconds(c.latencyMs[baseline] ?? 0)}"`
  const divergences = c.steps.flatMap((s) => s.divergences)
  const fresh = divergences.filter((d) => !d.known)
  const known = divergences.filter((d) => d.known)
  const body: string[] = []
  if (c.outcome === 'error') {
    // The runner's case error already names the failing steps; step errors are the fallback.
    const text =
      c.error ?? (c.steps.flatMap((s) => (s.error === undefined ? [] : [`step ${s.name}: ${s.error}`])).join('\n') || 'case error')
    body.push(`      <error message="${xmlAttr(oneLine(text))}" type="error">${xmlText(text)}</error>`)
  }
  if (c.outcome === 'divergent') {
    const message = `${fresh.length} new divergence(s): ${fresh.map((d) => `${d.id} ${d.class} at ${d.path}`).join('; ')}`
    body.push(`      <failure message="${xmlAttr(oneLine(message))}" type="divergent">${xmlText(fresh.map(describe).join('\n'))}</failure>`)
  }
  // One <error> or <failure> per testcase is what CI tools expect; an errored case's new
  // divergences go to system-out with the known ones.
  const notes: string[] = []
  if (c.outcome === 'error' && fresh.length > 0) notes.push(`new divergences:\n${fresh.map(describe).join('\n')}`)
  if (known.length > 0) notes.push(`known divergences (tracked, not failing):\n${known.map(describe).join('\n')}`)
  if (notes.length > 0) body.push(`      <system-out>${xmlText(notes.join('\n\n'))}</system-out>`)
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>']
}

function describe(d: Divergence): string {
  const tracker = d.trackerId === undefined ? '' : ` [${d.trackerId}]`
  return `${d.id}${tracker} step ${d.step} (${pairLabel(d.pair)}) ${d.class}/${d.risk} at ${d.path}: ${oneLine(d.message)} (baseline ${showValue(d.baseline)}, candidate ${showValue(d.candidate)})`
}

function tallyOf(cases: readonly ReportedCase[]): { tests: number; failures: number; errors: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome === 'divergent').length,
    errors: cases.filter((c) => c.outcome === 'error').length,
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}
