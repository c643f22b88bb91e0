/**
 * What the object walk (compare-json.ts) and the array strategies (compare-arrays.ts,
 * compare-ranked.ts) share: the pending findings, rules, a canonicaliser, the identifying
 * member of an element, and the recursive step itself — passed in rather than imported so
 * the walk and the strategies do not import each other.
 */
import { isLosslessNumber } from 'lossless-json'
import type { DivergenceClass, Finding, Risk } from '../model.ts'
import { makeFinding, onEach, shapeOf, type TargetNames } from './findings.ts'
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
  /** Set by strategies that summarise a whole array (ranked lists); otherwise built from the class. */
  readonly message?: string
  /** Set with `message` by such strategies; otherwise built from the class and the values' types. */
  readonly shape?: string
}

export interface JsonDiffContext {
  readonly names: TargetNames
  readonly rules: CompiledRules
  /** Appended in document order; an array strategy may truncate what it replaces (order). */
  readonly pending: PendingFinding[]
  readonly canonical: (value: unknown) => string
  walk(baseline: unknown, candidate: unknown, at: PathNode): void
}

/** The identifying member's value as filter text; undefined for non-objects and non-scalar keys. */
export function elementKey(element: unknown, key: string): string | undefined {
  if (element === null || typeof element !== 'object' || Array.isArray(element) || isLosslessNumber(element)) return undefined
  if (!Object.hasOwn(element, key)) return undefined
  const value = (element as Record<string, unknown>)[key]
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return String(value)
  if (isLosslessNumber(value)) return value.value
  return undefined
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

function shape(p: PendingFinding): string {
  switch (p.class) {
    case 'missing':
      return shapeOf(jsonTypeOf(p.baseline), 'absent')
    case 'extra':
      return shapeOf('absent', jsonTypeOf(p.candidate))
    case 'order':
      return 'reordered'
    default:
      return shapeOf(jsonTypeOf(p.baseline), jsonTypeOf(p.candidate))
  }
}

export function materialize(p: PendingFinding, names: TargetNames): Finding {
  return makeFinding({
    class: p.class,
    risk: p.risk,
    path: pathOf(p.at),
    baseline: displayValue(p.baseline),
    candidate: displayValue(p.candidate),
    shape: p.shape ?? shape(p),
    message: p.message ?? message(p, names),
  })
}
