/**
 * compareResponses: status, then headers by name, then body findings in document order —
 * then ignore rules split them into `findings` and `ignored`. Ignore rules are applied after
 * the walk, not as a skip during it, so every suppressed difference is kept for the report
 * and every rule that suppressed one is known (the runner flags the rest as stale).
 */
import type { CompareRules, Comparison, Finding, Observed } from '../model.ts'
import { compareBodies } from './compare-body.ts'
import { compareHeaders, compareStatus } from './compare-headers.ts'
import { DEFAULT_TARGET_NAMES, type TargetNames } from './findings.ts'
import { compiledRulesFor, ignoreRulesFor } from './rules.ts'

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
  if (compiled.ignore.length === 0) return { findings: all, ignored: [], matchedRules: [] }
  const findings: Finding[] = []
  const ignored: Finding[] = []
  const matched = new Set<string>()
  for (const finding of all) {
    const hits = ignoreRulesFor(compiled, finding.path)
    for (const rule of hits) matched.add(rule)
    if (hits.length > 0) ignored.push(finding)
    else findings.push(finding)
  }
  // In the order the rules were written, so reports and stale-rule checks read naturally.
  return { findings, ignored, matchedRules: rules.ignore.filter((r, i) => matched.has(r) && rules.ignore.indexOf(r) === i) }
}
