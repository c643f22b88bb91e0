import type { BodySchema, ParamDoc, RouteDoc } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { EVENT_TYPE_PATTERN } from './event-input.ts'
import type { ObserverBodies } from './observer.ts'

/** What a failed append answers with; nothing of the request is kept (docs/journal.md). */
const JOURNAL_ERRORS = ['JOURNAL_WRITE_FAILED', 'JOURNAL_LOCK_TIMEOUT', 'JOURNAL_CLOSED']

const SEQ: BodySchema = { type: 'integer', minimum: 0 }
const TIMESTAMP: BodySchema = { type: 'string', description: 'ISO 8601, UTC (`Date.toISOString`).' }
const NODE_STATUS: BodySchema = { enum: ['ok', 'failed', 'skipped'] }
const DURATION_MS: BodySchema = { type: 'integer', minimum: 0 }

const PUBLISH_RESULT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['accepted', 'first_seq', 'last_seq'],
  additionalProperties: false,
  properties: { accepted: { type: 'integer', minimum: 1 }, first_seq: SEQ, last_seq: SEQ },
}

const EVENT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['seq', 'type', 'source', 'data', 'at'],
  additionalProperties: false,
  properties: {
    seq: { ...SEQ, description: 'The journal seq of the event’s record: rising, not contiguous.' },
    type: { type: 'string' },
    source: { type: ['string', 'null'] },
    data: { description: 'As posted (null when absent).' },
    at: TIMESTAMP,
  },
}

const EVENTS_PAGE_SCHEMA: BodySchema = {
  type: 'object',
  required: ['events', 'next', 'gap', 'oldest_seq', 'last_seq'],
  additionalProperties: false,
  properties: {
    events: { type: 'array', items: EVENT_SCHEMA },
    next: { ...SEQ, description: 'Pass as `since` next time.' },
    gap: { type: 'boolean', description: 'Events newer than `since` were evicted: the reader missed some.' },
    oldest_seq: { type: ['integer', 'null'], minimum: 0 },
    last_seq: SEQ,
  },
}

/** A node's error: the component's problem body whole, or an OBSERVER_* one (docs/observer.md). */
const NODE_ERROR_SCHEMA: BodySchema = {
  type: 'object',
  required: ['code', 'status', 'detail'],
  additionalProperties: true,
  properties: { code: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } },
}

const NODE_RESULT_SCHEMA: BodySchema = {
  type: 'object',
  required: ['id', 'mode', 'status', 'started_at', 'duration_ms'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    mode: { type: 'string' },
    status: NODE_STATUS,
    started_at: { type: ['string', 'null'], description: 'Null for a skipped node.' },
    duration_ms: DURATION_MS,
    output: { description: 'The component’s JSON answer (ok nodes).' },
    error: NODE_ERROR_SCHEMA,
    skipped_because: { type: 'string', description: 'The failed node upstream.' },
    output_truncated: { const: true, description: 'The stored copy dropped the output to fit maxRunRecordBytes.' },
  },
}

const NODE_SUMMARY_SCHEMA: BodySchema = {
  type: 'object',
  required: ['id', 'mode', 'status', 'duration_ms'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    mode: { type: 'string' },
    status: NODE_STATUS,
    duration_ms: DURATION_MS,
    error_code: { type: 'string' },
    skipped_because: { type: 'string' },
  },
}

function runSchema(node: BodySchema): BodySchema {
  return {
    type: 'object',
    required: ['run_id', 'name', 'success', 'started_at', 'finished_at', 'duration_ms', 'truncated', 'nodes'],
    additionalProperties: false,
    properties: {
      run_id: { type: 'string' },
      name: { type: 'string' },
      success: { type: 'boolean', description: 'True only when every node is ok.' },
      started_at: TIMESTAMP,
      finished_at: TIMESTAMP,
      duration_ms: DURATION_MS,
      truncated: { type: 'boolean', description: 'This copy lost outputs (or error detail) to fit maxRunRecordBytes.' },
      nodes: { type: 'array', items: node, description: 'In request order.' },
    },
  }
}

const COUNT: BodySchema = { type: 'integer', minimum: 0 }

function closed(properties: Record<string, BodySchema>): BodySchema {
  return { type: 'object', required: Object.keys(properties), additionalProperties: false, properties }
}

const STATS_SCHEMA: BodySchema = closed({
  events: closed({
    accepted: COUNT,
    ring_size: COUNT,
    ring_capacity: COUNT,
    evicted: COUNT,
    evicted_through: SEQ,
    oldest_seq: { type: ['integer', 'null'], minimum: 0 },
    last_seq: SEQ,
  }),
  runs: closed({ total: COUNT, failed: COUNT, kept: COUNT, running: COUNT }),
  journal: closed({ last_seq: SEQ, corrupt_skipped: COUNT, torn_tails: COUNT }),
  replay_skipped: COUNT,
})

export interface ObserverRouteDocs {
  readonly publish: RouteDoc
  readonly readEvents: RouteDoc
  readonly runWorkflow: RouteDoc
  readonly listRuns: RouteDoc
  readonly getRun: RouteDoc
  readonly stats: RouteDoc
}

/** The bodies and the page limits are configuration: the docs take the checks the observer compiled. */
export function observerRouteDocs(
  bodies: ObserverBodies,
  config: Pick<ObserverConfig, 'defaultPageLimit' | 'maxPageLimit'>,
): ObserverRouteDocs {
  const limit: ParamDoc = {
    description: `Most items to return, 1..${config.maxPageLimit} (default ${config.defaultPageLimit}).`,
    schema: { type: 'integer', minimum: 1, maximum: config.maxPageLimit },
  }
  return {
    publish: {
      summary: 'Record one event or a batch of events',
      description:
        'Durable when answered: a batch is appended in one go, all or none. Each event serialised is at most maxEventBytes (docs/observer.md).',
      body: bodies.events,
      responses: { 202: { description: 'Recorded; seqs of the first and last event.', schema: PUBLISH_RESULT_SCHEMA } },
      errors: ['OBSERVER_EVENT_TOO_LARGE', 'OBSERVER_CLOSED', ...JOURNAL_ERRORS],
    },
    readEvents: {
      summary: 'Read the events after a seq, oldest first',
      description: 'From the in-memory ring; `gap` says when events past `since` were evicted (docs/observer.md).',
      query: {
        since: {
          description: 'Return events with a seq above this one (default 0).',
          schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        },
        limit,
        type: { description: 'Only events of this exact type.', schema: { type: 'string', pattern: EVENT_TYPE_PATTERN.source } },
      },
      responses: { 200: { description: 'A page of events and the cursor for the next one.', schema: EVENTS_PAGE_SCHEMA } },
      errors: ['HTTP_INVALID_REQUEST'],
    },
    runWorkflow: {
      summary: 'Run a workflow: a DAG of component calls',
      description:
        'Answers once the run is recorded; a node that failed makes `success` false but the answer is still 200. Modes, refs and limits are in docs/observer.md.',
      body: bodies.workflow,
      responses: { 200: { description: 'The run, with every node’s output or error.', schema: runSchema(NODE_RESULT_SCHEMA) } },
      errors: [
        'OBSERVER_WORKFLOW_TOO_LARGE',
        'OBSERVER_UNKNOWN_MODE',
        'OBSERVER_WORKFLOW_INVALID',
        'OBSERVER_DUPLICATE_NODE',
        'OBSERVER_UNKNOWN_DEPENDENCY',
        'OBSERVER_REF_INVALID',
        'OBSERVER_WORKFLOW_CYCLE',
        'OBSERVER_BUSY',
        'OBSERVER_CLOSED',
        ...JOURNAL_ERRORS,
      ],
    },
    listRuns: {
      summary: 'List the kept runs, newest first',
      query: { limit },
      responses: {
        200: {
          description: 'Run summaries: no outputs or error bodies.',
          schema: closed({ runs: { type: 'array', items: runSchema(NODE_SUMMARY_SCHEMA) } }),
        },
      },
      errors: ['HTTP_INVALID_REQUEST'],
    },
    getRun: {
      summary: 'Read one kept run',
      pathParams: { run_id: { description: 'As `run_id` in the run; only the newest maxRuns are kept.' } },
      responses: { 200: { description: 'The run as recorded (outputs may be dropped to fit).', schema: runSchema(NODE_RESULT_SCHEMA) } },
      errors: ['OBSERVER_RUN_NOT_FOUND'],
    },
    stats: {
      summary: 'Read the observer’s counters',
      responses: { 200: { description: 'Events, runs and journal counters.', schema: STATS_SCHEMA } },
      errors: [],
    },
  }
}
