import type { Measurement, Scenario, TargetInfo, ThresholdResult, TierComparison } from '../model.ts'
import { compareTiers } from './rounds.ts'
import { evaluateThresholds } from './thresholds.ts'
import { collectWarnings } from './warnings.ts'

export interface AnalysisInput {
  readonly measurements: readonly Measurement[]
  /** Baseline first, candidate second (the report's `targets`). */
  readonly targets: readonly Pick<TargetInfo, 'name'>[]
  /** The mix's scenarios: their order is the report's, their thresholds are evaluated. */
  readonly scenarios: readonly Pick<Scenario, 'name' | 'thresholds'>[]
}

export interface Analysis {
  readonly comparisons: TierComparison[]
  readonly thresholds: ThresholdResult[]
  readonly warnings: string[]
  /** 1 when any threshold failed. Configuration and target errors (2) are the runner's to set. */
  readonly exit_code: 0 | 1
}

/** The report's derived parts, from the measurements alone: a run, a merge and a re-analysis all produce them here. */
export function analyze(input: AnalysisInput): Analysis {
  const thresholds = evaluateThresholds(input.measurements, input.scenarios)
  return {
    comparisons: compareTiers(input.measurements, input.targets, input.scenarios),
    thresholds,
    warnings: collectWarnings(input.measurements),
    exit_code: thresholds.every((t) => t.pass) ? 0 : 1,
  }
}
