export { gatewayErrors } from './access/access-errors.ts'
export { type AccessConfig, accessDefaults, createAccessPolicy, type Peer } from './access/access-policy.ts'
export { ANY_HOST, LOOPBACK_HOST_NAMES } from './access/host-allowlist.ts'
export { type ComponentOptions, type Components, composeComponents, type Mounted, type ObjectStoreChoice } from './compose.ts'
export { type GatewayConfig, gatewayDefaults, resolveGatewayConfig } from './config.ts'
export { ERROR_REGISTRIES } from './errors.ts'
export { createGateway, type Gateway, type GatewayDeps, type GatewayOptions, type WireFacts } from './gateway.ts'
export { type HealthBody, healthBody } from './health.ts'
export { type WatchedStore, watchObjectWrites } from './object-writes.ts'
export {
  ALL_IN_ONE,
  COMPONENT_NAMES,
  COMPONENT_NEEDS,
  type ComponentName,
  parseServices,
  parseUpstream,
  resolveSplitConfig,
  type SplitConfig,
  type Upstream,
} from './split/split-config.ts'
export { splitErrors } from './split/split-errors.ts'
export {
  createWorkersDirectory,
  WORKERS_DATASET,
  type WorkersDirectory,
  type WorkersDirectoryConfig,
  type WorkersDirectoryDeps,
  type WorkersDirectoryStats,
} from './workers-directory.ts'
