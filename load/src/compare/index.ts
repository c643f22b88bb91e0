export { combineMeasurements, type Shard } from './combine-measurements.ts'
export { type CompareOptions, compareRuns, DEFAULT_TOLERANCE_PCT, type RunComparison } from './compare-runs.ts'
export { LOAD_COMPARE_ERROR_CODES, LoadCompareError, type LoadCompareErrorCode } from './errors.ts'
export { type MergeOptions, mergeRuns } from './merge-runs.ts'
