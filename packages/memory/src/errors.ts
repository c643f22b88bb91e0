import { defineErrors } from '@lakehouse/kit'

/**
 * The memory codes. Request-shape failures use kit's shared `HTTP_INVALID_REQUEST` (with an
 * `errors` list); journal failures (`JOURNAL_*`) propagate unchanged, so only what is specific
 * to traces is here.
 */
export const memoryErrors = defineErrors('memory', {
  MEMORY_INVALID_UID: {
    status: 400,
    title: 'Invalid Trace Uid',
    description:
      'The uid in the path is not a lower-case canonical UUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), so no trace can have it.',
  },
  MEMORY_NOT_FOUND: {
    status: 404,
    title: 'Trace Not Found',
    description: 'No trace has that uid.',
  },
  MEMORY_PREDECESSOR_NOT_FOUND: {
    status: 404,
    title: 'Predecessor Not Found',
    description: 'A revise named a predecessor uid that no trace has; nothing was written.',
  },
  MEMORY_REV_CONFLICT: {
    status: 409,
    title: 'Trace Revision Conflict',
    description:
      'An update carried `expected_rev` and the trace is at another rev; the problem carries `expected_rev` and `current_rev`. Nothing was written.',
  },
  MEMORY_RETIRED: {
    status: 409,
    title: 'Trace Retired',
    description: 'The trace is retired and can no longer be updated (it stays readable and in history; revise it to carry it on).',
  },
  MEMORY_HISTORY_CYCLE: {
    status: 409,
    title: 'Trace History Cycle',
    description:
      'Walking predecessors from the uid came back to a trace already visited; the problem carries `uid` and `repeated` (the trace seen twice).',
  },
  MEMORY_CLOSED: {
    status: 503,
    title: 'Memory Closed',
    description: 'The memory service is shutting down and refuses new writes; reads still answer. Retry after `Retry-After` seconds.',
  },
  MEMORY_CHECKPOINT_INVALID: {
    status: 503,
    title: 'Memory Checkpoint Invalid',
    description:
      'Boot-time: the journal holds a checkpoint that verifies but is not a memory snapshot this version can read. The service refuses to start rather than rebuild from a journal whose older segments may be archived.',
  },
})

export type MemoryErrorCode = keyof typeof memoryErrors.specs
