/**
 * Building findings: one constructor so every finding has the same shape (no `baseline` /
 * `candidate` keys at all when a side is absent) and messages name the targets.
 */
import type { DivergenceClass, Finding, Risk } from '../model.ts'

/** Target names used in messages ("integer on node, float on bun"). */
export interface TargetNames {
  readonly baseline: string
  readonly candidate: string
}

export const DEFAULT_TARGET_NAMES: TargetNames = Object.freeze({ baseline: 'baseline', candidate: 'candidate' })

export interface FindingInput {
  readonly class: DivergenceClass
  readonly risk: Risk
  readonly path: string
  /** Already JSON-safe (displayValue); undefined when absent on that side. */
  readonly baseline?: unknown
  readonly candidate?: unknown
  readonly shape: string
  readonly message: string
}

export function makeFinding(input: FindingInput): Finding {
  const { baseline, candidate, ...rest } = input
  return {
    class: rest.class,
    risk: rest.risk,
    path: rest.path,
    ...(baseline === undefined ? {} : { baseline }),
    ...(candidate === undefined ? {} : { candidate }),
    shape: rest.shape,
    message: rest.message,
  }
}

/** "<a> on <baseline>, <b> on <candidate>" */
export function onEach(names: TargetNames, baseline: string, candidate: string): string {
  return `${baseline} on ${names.baseline}, ${candidate} on ${names.candidate}`
}

/** A finding's `shape` from the two sides' kinds: `integer→string`, `object→absent`; one kind when both agree. */
export function shapeOf(baseline: string, candidate: string): string {
  return baseline === candidate ? baseline : `${baseline}→${candidate}`
}
