// The runtimes and the repository root are @lakehouse/launch's; re-exported for the instruments built on parity.
export { APP_RUNTIMES, type AppRuntime, findRepoRoot } from '@lakehouse/launch'
export { CaseConfigError, type CaseSelection, describeSchemaErrors, loadCases, type RawStep, toCaseStep } from './cases/case-loader.ts'
export { STEP_SCHEMA } from './cases/case-schema.ts'
export { type BuiltRequest, buildRequest, previewBody } from './cases/request-builder.ts'
export { fillJson, fillString, readJsonPath, type TemplateHelpers, UnknownVariableError, type Vars } from './cases/variables.ts'
export * from './model.ts'
export { codeSpan, describeTarget, formatDuration, mdCell, mdText, oneLine } from './report/format.ts'
// Shared with the load generator's reports and tracker block (one escaper, one block locator).
export { embedJson, escapeHtml } from './report/html-escape.ts'
export { type Painter, painter } from './report/terminal-summary.ts'
export { xmlAttr, xmlSafe, xmlText } from './report/xml-escape.ts'
export { type ProgressEvent, pairsOf, type RunOptions, type RunResult, runParity, type TrackerUpdate } from './run/runner.ts'
export { corpusAppArgs } from './targets/corpus-app-args.ts'
export { type ClientTimeouts, createTargetClient, DEFAULT_TIMEOUTS, RequestFailedError, type TargetClient } from './targets/http-client.ts'
export {
  type Exit,
  type LaunchedApp,
  type LaunchOptions,
  launchApp,
  runLakehouseCli,
  TargetError,
} from './targets/launch.ts'
export { gitCommit, targetsFromFlags } from './targets/target-flags.ts'
export {
  bootedAuth,
  parseTargetList,
  type RunningTarget,
  runToken,
  startTargets,
  type TargetSet,
  type TargetSpec,
} from './targets/targets.ts'
export { lineOf, locateMarkedBlock, type MarkerPair, TRACKER_MARKERS, TrackerFormatError } from './tracker/tracker-blocks.ts'
export { appendToBlock } from './tracker/tracker-generated.ts'
