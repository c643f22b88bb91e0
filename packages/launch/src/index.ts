export {
  APP_RUNTIMES,
  type AppRuntime,
  BUN_APP_ENTRY,
  BUN_WRITER_ENTRY,
  bunBinary,
  CLI_ENTRY,
  cliCommand,
  isAppRuntime,
  journalWriterCommand,
  MissingBundleError,
  NODE_APP_BUNDLE,
  NODE_WRITER_BUNDLE,
  nodeBinary,
  serverCommand,
} from './commands.ts'
export { findRepoRoot } from './repo-root.ts'
