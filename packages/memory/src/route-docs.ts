import type { BodySchema, ParamDoc, RouteDoc } from '@lakehouse/kit'
import type { MemoryBodyChecks } from './input.ts'
import { TAG_PATTERN, UID_PATTERN } from './trace.ts'

const UID = { type: 'string', pattern: UID_PATTERN.source } as const

/** A Trace as copyTrace writes it (types.ts). */
const TRACE_SCHEMA: BodySchema = {
  type: 'object',
  required: ['uid', 'content', 'tags', 'created_at', 'updated_at', 'predecessor', 'retired', 'replay_count', 'rev', 'seq'],
  additionalProperties: false,
  properties: {
    uid: UID,
    content: { type: 'string' },
    tags: { type: 'array', items: { type: 'string', pattern: TAG_PATTERN.source }, description: 'Sorted, without repeats.' },
    created_at: { type: 'string', description: 'ISO-8601 UTC from the service clock; informational (order is `seq`).' },
    updated_at: { type: 'string' },
    predecessor: { ...UID, type: ['string', 'null'], description: 'The trace this one revises, or null.' },
    retired: { type: 'boolean' },
    replay_count: { type: 'integer', minimum: 0, description: 'Adds with this trace’s idempotency key answered with it.' },
    rev: { type: 'integer', minimum: 1, description: '1 at creation, +1 per update.' },
    seq: { type: 'integer', minimum: 1, description: 'Journal seq of the record that created the trace: the order of history.' },
  },
}

const HISTORY_SCHEMA: BodySchema = {
  type: 'object',
  required: ['uid', 'chain', 'truncated', 'missing'],
  additionalProperties: false,
  properties: {
    uid: UID,
    chain: { type: 'array', minItems: 1, items: TRACE_SCHEMA, description: 'The trace and its predecessors, oldest (lowest seq) first.' },
    truncated: { type: 'boolean', description: 'A predecessor link points at a trace that does not exist.' },
    missing: { ...UID, type: ['string', 'null'], description: 'That absent predecessor, or null.' },
  },
}

const SEARCH_SCHEMA: BodySchema = {
  type: 'object',
  required: ['items', 'total'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      description: 'Best first: score descending, then newest first.',
      items: {
        type: 'object',
        required: ['score', 'trace'],
        additionalProperties: false,
        properties: {
          score: { type: 'number', minimum: 0, maximum: 1, description: 'Share of the query’s distinct words found (1 for tags only).' },
          trace: TRACE_SCHEMA,
        },
      },
    },
    total: { type: 'integer', minimum: 0, description: 'Matches before `limit`.' },
  },
}

const COUNT = { type: 'integer', minimum: 0 } as const

/** MemoryStats (types.ts). */
const STATS_SCHEMA: BodySchema = {
  type: 'object',
  required: ['traces', 'retired', 'keys', 'skipped_records', 'journal'],
  additionalProperties: false,
  properties: {
    traces: { ...COUNT, description: 'Traces held, retired ones included.' },
    retired: COUNT,
    keys: { ...COUNT, description: 'Idempotency keys seen.' },
    skipped_records: { ...COUNT, description: 'Journal records that could not be folded (unknown kind, invalid data).' },
    journal: {
      type: 'object',
      required: ['last_seq', 'replayed', 'corrupt_skipped', 'torn_tails'],
      additionalProperties: false,
      properties: { last_seq: COUNT, replayed: COUNT, corrupt_skipped: COUNT, torn_tails: COUNT },
    },
  },
}

const TRACE_UID: ParamDoc = {
  description: 'A trace uid: a lower-case canonical UUID; anything else is MEMORY_INVALID_UID.',
  schema: UID,
}

const LOCATION = { location: 'The new trace: `/v1/memory/traces/{uid}`.' }

/**
 * What a write can fail with besides its own checks: a service shutting down, or the journal
 * refusing the append (its codes pass through; nothing was written).
 */
const WRITE_ERRORS = ['MEMORY_CLOSED', 'JOURNAL_LOCK_TIMEOUT', 'JOURNAL_WRITE_FAILED', 'JOURNAL_CLOSED']
/** Writes that carry caller text: a record can exceed the journal's cap under a generous configuration. */
const CONTENT_WRITE_ERRORS = [...WRITE_ERRORS, 'JOURNAL_RECORD_TOO_LARGE']

export interface MemoryRouteDocs {
  readonly add: RouteDoc
  readonly get: RouteDoc
  readonly update: RouteDoc
  readonly revise: RouteDoc
  readonly retire: RouteDoc
  readonly history: RouteDoc
  readonly search: RouteDoc
  readonly stats: RouteDoc
}

/** `checks` are the compiled body checks memory runs (their schemas carry the configured limits). */
export function memoryRouteDocs(checks: MemoryBodyChecks): MemoryRouteDocs {
  return {
    add: {
      summary: 'Add a trace',
      description:
        'Durable (journaled) before the answer. With a `key` already seen, answers that trace (200) and writes nothing new (docs/memory.md).',
      body: checks.add,
      responses: {
        201: { description: 'Created.', schema: TRACE_SCHEMA, headers: LOCATION },
        200: { description: 'The key was seen: the trace it made, `replay_count` + 1.', schema: TRACE_SCHEMA },
      },
      errors: CONTENT_WRITE_ERRORS,
    },
    get: {
      summary: 'Read one trace',
      pathParams: { uid: TRACE_UID },
      responses: { 200: { description: 'The trace.', schema: TRACE_SCHEMA } },
      errors: ['MEMORY_INVALID_UID', 'MEMORY_NOT_FOUND'],
    },
    update: {
      summary: 'Change the content or tags of a trace',
      description: 'rev + 1; `expected_rev` makes it conditional. A retired trace cannot change (revise it instead).',
      pathParams: { uid: TRACE_UID },
      body: checks.update,
      responses: { 200: { description: 'The trace as updated.', schema: TRACE_SCHEMA } },
      errors: ['MEMORY_INVALID_UID', 'MEMORY_NOT_FOUND', 'MEMORY_RETIRED', 'MEMORY_REV_CONFLICT', ...CONTENT_WRITE_ERRORS],
    },
    revise: {
      summary: 'Supersede a trace with a new one',
      description: 'A new trace whose `predecessor` is this one (retired or not); tags default to the predecessor’s.',
      pathParams: { uid: TRACE_UID },
      body: checks.revise,
      responses: { 201: { description: 'The new trace.', schema: TRACE_SCHEMA, headers: LOCATION } },
      errors: ['MEMORY_INVALID_UID', 'MEMORY_PREDECESSOR_NOT_FOUND', ...CONTENT_WRITE_ERRORS],
    },
    retire: {
      summary: 'Retire a trace',
      description: 'Idempotent: a retired trace is answered as it is and nothing is written. It stays readable and in history.',
      pathParams: { uid: TRACE_UID },
      responses: { 200: { description: 'The retired trace.', schema: TRACE_SCHEMA } },
      errors: ['MEMORY_INVALID_UID', 'MEMORY_NOT_FOUND', ...WRITE_ERRORS],
    },
    history: {
      summary: 'Read a trace and its predecessors',
      pathParams: { uid: TRACE_UID },
      responses: { 200: { description: 'The chain, oldest first.', schema: HISTORY_SCHEMA } },
      errors: ['MEMORY_INVALID_UID', 'MEMORY_NOT_FOUND', 'MEMORY_HISTORY_CYCLE'],
    },
    search: {
      summary: 'Search traces by words and tags',
      description: 'By `text` (word tokens), by `tags` (all must be carried), or both; retired traces only with `include_retired`.',
      body: checks.search,
      responses: { 200: { description: 'The matches, best first, at most `limit`.', schema: SEARCH_SCHEMA } },
      errors: [],
    },
    stats: {
      summary: 'Count traces, keys and journal activity',
      responses: { 200: { description: 'Counters.', schema: STATS_SCHEMA } },
      errors: [],
    },
  }
}
