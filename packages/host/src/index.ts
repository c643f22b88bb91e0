export { type AccessFlags, interfaceAddresses, isLoopbackHost, resolveAccess } from './access-settings.ts'
export {
  BOOT_FAILURE_EXIT_CODE,
  type BootOptions,
  type BootResult,
  bootHost,
  describeBootFailure,
  type Host,
  type StartOptions,
  startHost,
} from './boot.ts'
export { bunIdleSeconds, SERVE_LIMITS, type ServeLimits } from './serve-limits.ts'
export { type Env, resolveServeSettings, SERVE_USAGE, type ServeSettings } from './serve-settings.ts'
export { DUPLICATE_SIGNAL_MS, installShutdown, type ShutdownPlan } from './shutdown.ts'
export { readWorkerIds } from './worker-ids.ts'
