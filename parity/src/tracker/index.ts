export { type BlockName, locateAllBlocks, TRACKER_MARKERS, TrackerFormatError } from './tracker-blocks.ts'
export { findResolved, knownDivergences } from './tracker-coverage.ts'
export { TRACKER_WORKFLOW, trackerTemplate } from './tracker-init.ts'
export { parseTracker } from './tracker-parse.ts'
export {
  autoFindingText,
  isAutoRow,
  parseAutoFinding,
  parseAutoPair,
  parseFindingScope,
  TRACKER_COLUMNS,
  TRACKER_STATUSES,
  type TrackerRow,
  type TrackerStatus,
} from './tracker-row.ts'
export {
  type SummaryChange,
  type SummarySkip,
  summaryScope,
  type TrackerDocUpdate,
  type TrackerUpdateOptions,
  updateTrackerDoc,
} from './tracker-update.ts'
