/**
 * compareResponses: status, then headers by name, then body findings in document order —
 * then ignore rules split them into `findings` and `ignored`. Ignore rules are applied after
 * the walk, not as a skip during it, so every suppressed difference is kept for the report
 * and every rule that suppressed one is known (the runner flags the rest as stale). Headers
 * derived from a body that differs are kept with the ignored ones (BODY_DERIVED_HEADERS).
 */
import type { CompareRules, Comparison, Finding, Observed, ObservedBody } from '../model.ts'
import { compareBodies } from './compare-body.ts'
import { compareHeaders, compareStatus } from './compare-headers.ts'
import { DEFAULT_TARGET_NAMES, type TargetNames } from './findings.ts'
import { compiledRulesFor, ignoreRulesFor } from './rules.ts'

/**
 * Headers computed from the body bytes: when the bodies differ their values differ too, and
 * saying so again beside every body difference only hides the real ones. A value difference
 * is reported only when the bodies are byte-equal — then it is a difference of its own
 * (another algorithm, weak vs strong). A header sent by one side only is always reported:
 * no body difference explains a missing etag.
 */
export const BODY_DERIVED_HEADERS: readonly string[] = ['etag', 'content-length', 'content-md5', 'digest', 'content-digest', 'repr-digest']
const DERIVED_PATHS = new Set(BODY_DERIVED_HEADERS.map((name) => `header:${name}`))

function sameBytes(a: ObservedBody, b: ObservedBody): boolean {
  if (a.kind === 'empty' || b.kind === 'empty') return a.kind === b.kind
  const bytes = (body: Exclude<ObservedBody, { kind: 'empty' }>) => (body.kind === 'binary' ? body.base64 : body.text)
  return bytes(a) === bytes(b)
}

export function compareResponses(
  baseline: Observed,
  candidate: Observed,
  rules: CompareRules,
  names: TargetNames = DEFAULT_TARGET_NAMES,
): Comparison {
  const compiled = compiledRulesFor(rules)
  const all = [
    ...compareStatus(baseline.status, candidate.status, names),
    ...compareHeaders(baseline.headers, candidate.headers, compiled, names),
    ...compareBodies(baseline.body, candidate.body, compiled, names),
  ]
  const isDerived = (f: Finding) => f.shape === 'value' && DERIVED_PATHS.has(f.path)
  const derived = sameBytes(baseline.body, candidate.body) ? [] : all.filter(isDerived)
  const rest = derived.length === 0 ? all : all.filter((f) => !isDerived(f))
  if (compiled.ignore.length === 0) return { findings: rest, ignored: derived, matchedRules: [] }
  const findings: Finding[] = []
  const ignored: Finding[] = [...derived]
  const matched = new Set<string>()
  for (const finding of rest) {
    const hits = ignoreRulesFor(compiled, finding.path)
    for (const rule of hits) matched.add(rule)
    if (hits.length > 0) ignored.push(finding)
    else findings.push(finding)
  }
  // In the order the rules were written, so reports and stale-rule checks read naturally.
  return { findings, ignored, matchedRules: rules.ignore.filter((r, i) => matched.has(r) && rules.ignore.indexOf(r) === i) }
}
