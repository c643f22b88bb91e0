import { configError, HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, resolveWith } from '@lakehouse/kit'

export interface ObserverConfig extends HttpLimits {
  /** Events kept in memory; the oldest is evicted when full (POST never refuses for space). */
  readonly ringCapacity: number
  /** Largest event, serialised as `{type, source, data}`, in bytes (413 above). */
  readonly maxEventBytes: number
  /** Most events in one `{events: [...]}` batch. */
  readonly maxBatchEvents: number
  /** `limit` of `GET /events` and `GET /runs` when the client gives none. */
  readonly defaultPageLimit: number
  /** Largest `limit` accepted by `GET /events` and `GET /runs`. */
  readonly maxPageLimit: number
  /** Most nodes in one workflow. */
  readonly maxNodes: number
  /** Nodes of one run that may call components at the same time. */
  readonly nodeConcurrency: number
  /** Bound on one node's component call (including reading its answer). */
  readonly nodeTimeoutMs: number
  /** Bound on a whole run; nodes still waiting or running then fail with OBSERVER_WORKFLOW_TIMEOUT. */
  readonly workflowTimeoutMs: number
  /** Largest component answer a node reads, in bytes. */
  readonly maxNodeOutputBytes: number
  /** Largest `observer.run` journal record; outputs are dropped (largest first) to fit, with `truncated: true`. */
  readonly maxRunRecordBytes: number
  /** Runs kept in memory (and readable by id); older ones stay in the journal only. */
  readonly maxRuns: number
  /** Runs executing at once; one more gets 503 OBSERVER_BUSY. */
  readonly maxConcurrentRuns: number
  /** `Retry-After` on 503 OBSERVER_BUSY. */
  readonly busyRetryAfterSeconds: number
  /** How long `close()` waits for running workflows before it gives up on them. */
  readonly closeTimeoutMs: number
}

export const observerDefaults: ObserverConfig = Object.freeze({
  ringCapacity: 10_000,
  maxEventBytes: 16 * 1024,
  maxBatchEvents: 1000,
  defaultPageLimit: 100,
  maxPageLimit: 1000,
  maxBodyBytes: 4 * 1024 * 1024,
  maxJsonDepth: 64,
  maxNodes: 64,
  nodeConcurrency: 4,
  nodeTimeoutMs: 30_000,
  workflowTimeoutMs: 60_000,
  maxNodeOutputBytes: 1024 * 1024,
  maxRunRecordBytes: 64 * 1024,
  maxRuns: 1000,
  maxConcurrentRuns: 16,
  busyRetryAfterSeconds: 1,
  closeTimeoutMs: 10_000,
})

// Journal records over 256 KiB are refused; these caps leave room for the record's envelope.
const MAX_RECORD_PAYLOAD = 192 * 1024

export function resolveObserverConfig(input?: Partial<ObserverConfig>): Readonly<ObserverConfig> {
  const resolved = resolveWith(
    observerDefaults,
    input,
    {
      ringCapacity: intBetween(1, 1_000_000),
      maxEventBytes: intBetween(256, MAX_RECORD_PAYLOAD),
      maxBatchEvents: intBetween(1, 10_000),
      defaultPageLimit: intBetween(1, 10_000),
      maxPageLimit: intBetween(1, 10_000),
      ...HTTP_LIMIT_CHECKS,
      // 128 nodes reduced to {id, mode, status, …} still fit the smallest run record (see run-record.ts).
      maxNodes: intBetween(1, 128),
      nodeConcurrency: intBetween(1, 64),
      nodeTimeoutMs: intBetween(1, 3_600_000),
      workflowTimeoutMs: intBetween(1, 3_600_000),
      maxNodeOutputBytes: intBetween(1024, 256 * 1024 * 1024),
      maxRunRecordBytes: intBetween(48 * 1024, MAX_RECORD_PAYLOAD),
      maxRuns: intBetween(1, 100_000),
      maxConcurrentRuns: intBetween(1, 1024),
      busyRetryAfterSeconds: intBetween(1, 3600),
      closeTimeoutMs: intBetween(0, 3_600_000),
    },
    'observer.',
  )
  if (resolved.defaultPageLimit > resolved.maxPageLimit) {
    configError('observer.defaultPageLimit', `must not exceed maxPageLimit (${resolved.maxPageLimit}), got ${resolved.defaultPageLimit}`)
  }
  return resolved
}
