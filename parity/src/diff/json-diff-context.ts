/**
 * What the object walk (compare-json.ts) and the array strategies (compare-arrays.ts) share:
 * the pending findings, rules, a canonicaliser, and the recursive step itself — passed in
 * rather than imported so the two files do not import each other.
 */
import type { DivergenceClass, Finding, Risk } from '../model.ts'
import { makeFinding, onEach, type TargetNames } from './findings.ts'
import { type PathNode, pathOf } from './json-path.ts'
import { briefValue, displayValue } from './json-text.ts'
import { jsonTypeOf } from './json-type.ts'
import type { CompiledRules } from './rules.ts'

/**
 * A finding as the walk records it: raw values and a path node. Path strings, display values
 * and messages are built only for what survives — an `order` finding discards every
 * per-index finding below its array, which for a reordered 25 000-element array is most of them.
 */
export interface PendingFinding {
  readonly class: DivergenceClass
  readonly risk: Risk
  readonly at: PathNode
  readonly baseline: unknown
  readonly candidate: unknown
}

export interface JsonDiffContext {
  readonly names: TargetNames
  readonly rules: CompiledRules
  /** Appended in document order; an array strategy may truncate what it replaces (order). */
  readonly pending: PendingFinding[]
  readonly canonical: (value: unknown) => string
  walk(baseline: unknown, candidate: unknown, at: PathNode): void
}

export function emit(ctx: JsonDiffContext, cls: DivergenceClass, risk: Risk, at: PathNode, baseline: unknown, candidate: unknown): void {
  ctx.pending.push({ class: cls, risk, at, baseline, candidate })
}

/** Present on the baseline only: a caller reading it breaks. */
export function emitMissing(ctx: JsonDiffContext, at: PathNode, baseline: unknown): void {
  emit(ctx, 'missing', 'breaking', at, baseline, undefined)
}

/** Present on the candidate only: old callers never look at it. */
export function emitExtra(ctx: JsonDiffContext, at: PathNode, candidate: unknown): void {
  emit(ctx, 'extra', 'additive', at, undefined, candidate)
}

function message(p: PendingFinding, names: TargetNames): string {
  const { baseline: a, candidate: b } = p
  switch (p.class) {
    case 'type':
      return onEach(names, jsonTypeOf(a), jsonTypeOf(b))
    case 'missing':
      return onEach(names, `present (${jsonTypeOf(a)})`, 'absent')
    case 'extra':
      return onEach(names, 'absent', `present (${jsonTypeOf(b)})`)
    case 'order':
      return `same ${Array.isArray(a) ? a.length : 0} elements in another order on ${names.candidate} than on ${names.baseline}`
    default:
      return onEach(names, briefValue(a), briefValue(b))
  }
}

export function materialize(p: PendingFinding, names: TargetNames): Finding {
  return makeFinding({
    class: p.class,
    risk: p.risk,
    path: pathOf(p.at),
    baseline: displayValue(p.baseline),
    candidate: displayValue(p.candidate),
    message: message(p, names),
  })
}
