// The runtimes and the repository root are @lakehouse/launch's; re-exported for the instruments built on parity.
export { APP_RUNTIMES, type AppRuntime, findRepoRoot } from '@lakehouse/launch'
export { CaseConfigError, type CaseSelection, describeSchemaErrors, loadCases, type RawStep, toCaseStep } from './cases/case-loader.ts'
export { STEP_SCHEMA } from './cases/case-schema.ts'
export { type BuiltRequest, buildRequest, previewBody } from './cases/request-builder.ts'
export { fillJson, fillString, readJsonPath, type TemplateHelpers, UnknownVariableError, type Vars } from './cases/variables.ts'
export { type ContractChecker, contractChecker } from './contract/contract-check.ts'
// Starting from real traffic (docs/parity.md): recording, HAR import, shadow mode, contracts.
export { contractFromFlags } from './contract/contract-flags.ts'
export { ContractError, loadContract, parseContract } from './contract/load-contract.ts'
export { displayPath } from './display-path.ts'
export * from './model.ts'
export { codeSpan, describeTarget, formatDuration, mdCell, mdText, oneLine } from './report/format.ts'
// Shared with the load generator's reports and tracker block (one escaper, one block locator).
export { embedJson, escapeHtml } from './report/html-escape.ts'
export { type Painter, painter } from './report/terminal-summary.ts'
export { xmlAttr, xmlSafe, xmlText } from './report/xml-escape.ts'
export { assembleReport, exitCodeFor, newRunId, type ReportInput, writeReportFiles } from './run/assemble-report.ts'
export { type ProgressEvent, pairsOf, type RunOptions, type RunResult, runParity, type TrackerUpdate } from './run/runner.ts'
export { SHADOW_USAGE, type ShadowIo, shadowMain } from './shadow/shadow-cli.ts'
export type { ShadowCounters } from './shadow/shadow-counters.ts'
export { SAFE_METHODS, type ShadowOptions, type ShadowResult, type ShadowSession, startShadowSession } from './shadow/shadow-session.ts'
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
export { type CorpusOptions, CorpusWriteError, RECORDED_FILE, type RecordedCorpus, writeRecordedCorpus } from './traffic/corpus-writer.ts'
export type { Exchange } from './traffic/exchange.ts'
export {
  corpusExchanges,
  EXCHANGE_LOG_NAME,
  type ExchangeLog,
  type ExchangeLogContents,
  type LoggedExchange,
  openExchangeLog,
  readExchangeLog,
} from './traffic/exchange-log.ts'
export { HarFormatError, type HarImport, type HarOptions, type HarSkip, importHar, readHar } from './traffic/har.ts'
export { type CliIo, harMain, IMPORT_HAR_USAGE } from './traffic/har-cli.ts'
export { classifyBody, decodeContentEncoding } from './traffic/observed-body.ts'
export { type CorpusWriter, RECORD_USAGE, type RecordIo, recordMain } from './traffic/record-cli.ts'
export {
  DEFAULT_MAX_BODY_BYTES,
  RECORD_LISTEN_HOST,
  type RecordProxy,
  RecordProxyError,
  type RecordProxyOptions,
  type RecordProxyStats,
  startRecordProxy,
} from './traffic/record-proxy.ts'
export { ALWAYS_REDACTED_HEADERS, REDACTED, RedactionRuleError, redactionRules } from './traffic/redact.ts'
