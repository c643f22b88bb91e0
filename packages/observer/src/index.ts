export { type ObserverConfig, observerDefaults, resolveObserverConfig } from './config.ts'
export { type ObserverErrorCode, observerErrors } from './errors.ts'
export { EVENT_TYPE_PATTERN } from './event-input.ts'
export { type ModeSpec, type ModeTarget, NODE_MODE_NAMES, NODE_MODES } from './modes.ts'
export { INTERNAL_ORIGIN } from './node-call.ts'
export type { Observer } from './observer.ts'
export { REF_KEY } from './refs.ts'
export { OBSERVER_MOUNT } from './routes.ts'
export { createObserverService, type ObserverDeps, type ObserverService } from './service.ts'
export {
  EVENT_RECORD_KIND,
  type EventInput,
  type EventRecordData,
  type EventsPage,
  type EventsQuery,
  NODE_RECORD_KIND,
  type NodeError,
  type NodeRecordData,
  type NodeResult,
  type NodeStatus,
  type NodeSummary,
  type ObserverEvent,
  type ObserverStats,
  type OutputDigest,
  type PublishResult,
  RUN_RECORD_KIND,
  type RunSummary,
  type WorkflowInput,
  type WorkflowNodeInput,
  type WorkflowRun,
} from './types.ts'
export { NODE_ID_PATTERN } from './workflow-input.ts'
