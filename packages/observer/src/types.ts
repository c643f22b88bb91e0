/**
 * The observer's wire shapes and journal record shapes. Member names are snake_case because
 * they are the JSON API and the audit trail.
 */

/** Journal record kinds written by the observer; `replay` ignores every other kind. */
export const EVENT_RECORD_KIND = 'observer.event'
export const NODE_RECORD_KIND = 'observer.node'
export const RUN_RECORD_KIND = 'observer.run'

export interface EventInput {
  /** `^[a-z][a-z0-9._-]{0,63}$` */
  readonly type: string
  readonly source?: string | null
  readonly data?: unknown
}

/** Data of an `observer.event` record. */
export interface EventRecordData {
  readonly type: string
  readonly source: string | null
  readonly data: unknown
  readonly at: string
}

export interface ObserverEvent extends EventRecordData {
  /** The journal seq of the event's record: strictly rising, not contiguous (other records share the journal). */
  readonly seq: number
}

export interface PublishResult {
  readonly accepted: number
  readonly first_seq: number
  readonly last_seq: number
}

export interface EventsQuery {
  /** Return events with seq > since (default 0). */
  readonly since?: number
  readonly limit?: number
  readonly type?: string
}

export interface EventsPage {
  readonly events: readonly ObserverEvent[]
  /** Pass as `since` next time: the last returned seq, or `since` when none was returned. */
  readonly next: number
  /** True when events newer than `since` were evicted from the ring: the client has missed some. */
  readonly gap: boolean
  /** Oldest event still kept, or null when none is. */
  readonly oldest_seq: number | null
  /** Newest event ever accepted (0 when none). */
  readonly last_seq: number
}

export interface WorkflowNodeInput {
  readonly id: string
  readonly mode: string
  readonly input: unknown
  readonly depends_on?: readonly string[]
}

export interface WorkflowInput {
  readonly name: string
  readonly nodes: readonly WorkflowNodeInput[]
}

export type NodeStatus = 'ok' | 'failed' | 'skipped'

/** A problem body (RFC 9457): the component's own when it answered non-2xx, else an OBSERVER_* one. */
export interface NodeError {
  readonly code: string
  readonly status: number
  readonly detail: string
  readonly [member: string]: unknown
}

export interface NodeResult {
  readonly id: string
  readonly mode: string
  readonly status: NodeStatus
  /** Null for a skipped node (it never started). */
  readonly started_at: string | null
  readonly duration_ms: number
  /** The component's JSON answer (ok nodes). */
  readonly output?: unknown
  readonly error?: NodeError
  /** The failed node upstream that caused the skip. */
  readonly skipped_because?: string
  /** Set in a stored run when the output was dropped to fit `maxRunRecordBytes`. */
  readonly output_truncated?: true
}

export interface WorkflowRun {
  readonly run_id: string
  readonly name: string
  /** True only when every node is ok. */
  readonly success: boolean
  readonly started_at: string
  readonly finished_at: string
  readonly duration_ms: number
  /** True when this copy lost outputs (or error detail) to fit `maxRunRecordBytes`. */
  readonly truncated: boolean
  readonly nodes: readonly NodeResult[]
}

export interface NodeSummary {
  readonly id: string
  readonly mode: string
  readonly status: NodeStatus
  readonly duration_ms: number
  readonly error_code?: string
  readonly skipped_because?: string
}

/** A run without outputs or error bodies, for `GET /runs`. */
export interface RunSummary extends Omit<WorkflowRun, 'nodes'> {
  readonly nodes: readonly NodeSummary[]
}

export interface OutputDigest {
  /** UTF-8 bytes of the output's JSON encoding. */
  readonly bytes: number
  /** SHA-256 hex of that encoding. */
  readonly sha256: string
}

/** Data of an `observer.node` record: one per node, appended as the node finishes (or is skipped). */
export interface NodeRecordData {
  readonly run_id: string
  readonly workflow: string
  readonly node: string
  readonly mode: string
  readonly status: NodeStatus
  readonly started_at: string | null
  readonly duration_ms: number
  readonly error_code?: string
  readonly error_status?: number
  readonly skipped_because?: string
  readonly output_digest?: OutputDigest
}

export interface ObserverStats {
  readonly events: {
    /** Events accepted since the journal began (replayed plus new). */
    readonly accepted: number
    readonly ring_size: number
    readonly ring_capacity: number
    readonly evicted: number
    /** Seq of the newest evicted event (0 when none): `gap` is true for `since` below it. */
    readonly evicted_through: number
    readonly oldest_seq: number | null
    readonly last_seq: number
  }
  readonly runs: {
    /** Runs recorded since the journal began. */
    readonly total: number
    readonly failed: number
    /** Runs kept in memory (≤ maxRuns). */
    readonly kept: number
    /** Runs executing now. */
    readonly running: number
  }
  readonly journal: {
    readonly last_seq: number
    readonly corrupt_skipped: number
    readonly torn_tails: number
  }
  /** Journal records of observer kinds whose data had an unexpected shape at start (skipped). */
  readonly replay_skipped: number
}
