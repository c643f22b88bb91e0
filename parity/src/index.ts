export { CaseConfigError, type CaseSelection, loadCases } from './cases/case-loader.ts'
export { type BuiltRequest, buildRequest, previewBody } from './cases/request-builder.ts'
export { fillJson, fillString, readJsonPath, UnknownVariableError, type Vars } from './cases/variables.ts'
export * from './model.ts'
export { type ProgressEvent, pairsOf, type RunOptions, type RunResult, runParity, type TrackerUpdate } from './run/runner.ts'
export { corpusAppArgs } from './targets/corpus-app-args.ts'
export { type ClientTimeouts, createTargetClient, DEFAULT_TIMEOUTS, RequestFailedError, type TargetClient } from './targets/http-client.ts'
export {
  APP_RUNTIMES,
  type AppRuntime,
  appCommand,
  type Exit,
  type LaunchedApp,
  type LaunchOptions,
  launchApp,
  TargetError,
} from './targets/launch.ts'
export { findRepoRoot } from './targets/repo-root.ts'
export { parseTargetList, type RunningTarget, startTargets, type TargetSet, type TargetSpec } from './targets/targets.ts'
