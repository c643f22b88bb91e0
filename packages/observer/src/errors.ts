import { defineErrors } from '@lakehouse/kit'

/**
 * The observer's codes. A request body of the wrong shape (events or workflow) is kit's shared
 * `HTTP_INVALID_REQUEST`; the workflow checks after the schema have their own codes because a
 * client fixes each differently. The last group never answers a request of its own: those codes appear as a
 * node's `error.code` inside a run (the run itself is still 200 with `success: false`).
 */
export const observerErrors = defineErrors('observer', {
  OBSERVER_EVENT_TOO_LARGE: {
    status: 413,
    title: 'Event Too Large',
    description:
      'An event serialised as `{type, source, data}` is over `maxEventBytes` (default 16 KiB); `limit_bytes` and, in a batch, `index` say which. Nothing in the request was recorded.',
  },
  OBSERVER_WORKFLOW_INVALID: {
    status: 400,
    title: 'Invalid Workflow',
    description:
      "A node's input cannot be routed by its mode (a `draft` node lacks a literal `channel` of `email` or `sms`); `errors` lists every such node. A workflow body of the wrong shape is `HTTP_INVALID_REQUEST`.",
  },
  OBSERVER_WORKFLOW_TOO_LARGE: {
    status: 400,
    title: 'Workflow Too Large',
    description: 'The workflow has more nodes than `maxNodes` (default 64); `max_nodes` gives the limit.',
  },
  OBSERVER_UNKNOWN_MODE: {
    status: 400,
    title: 'Unknown Node Mode',
    description: 'A node names a mode the observer does not have; `errors` points at each such node and `modes` lists the valid ones.',
  },
  OBSERVER_DUPLICATE_NODE: {
    status: 400,
    title: 'Duplicate Node Id',
    description: 'Two nodes share an id; `errors` points at every repeat.',
  },
  OBSERVER_UNKNOWN_DEPENDENCY: {
    status: 400,
    title: 'Unknown Node Dependency',
    description: '`depends_on` names a node that is not in the workflow; `errors` points at each such entry.',
  },
  OBSERVER_REF_INVALID: {
    status: 400,
    title: 'Invalid Node Reference',
    description:
      'An input value `{"$from": id, "path"?: "a.0.b"}` is malformed or names a node that is not in that node\'s `depends_on`; `errors` points at each.',
  },
  OBSERVER_WORKFLOW_CYCLE: {
    status: 400,
    title: 'Workflow Has A Cycle',
    description: '`depends_on` edges form a cycle; `cycle` lists its node ids in order.',
  },
  OBSERVER_RUN_NOT_FOUND: {
    status: 404,
    title: 'Run Not Found',
    description: 'No run with that id is kept (unknown, or older than the newest `maxRuns`).',
  },
  OBSERVER_BUSY: {
    status: 503,
    title: 'Observer Busy',
    description: '`maxConcurrentRuns` workflows are already running; nothing was started. Retry after `Retry-After` seconds.',
  },
  OBSERVER_CLOSED: {
    status: 503,
    title: 'Observer Closed',
    description: 'The observer is shutting down and accepts no new events or runs; reads still work.',
  },
  OBSERVER_REF_UNRESOLVED: {
    status: 422,
    title: 'Node Reference Unresolved',
    description:
      "Node error only: a `$from` path did not resolve in the upstream node's output at run time; `from`, `path` and `field` say which. The node was not called.",
  },
  OBSERVER_NODE_TIMEOUT: {
    status: 504,
    title: 'Node Timed Out',
    description: 'Node error only: the component call took longer than `nodeTimeoutMs` (default 30 s).',
  },
  OBSERVER_WORKFLOW_TIMEOUT: {
    status: 504,
    title: 'Workflow Timed Out',
    description:
      'Node error only: the run passed `workflowTimeoutMs` (default 60 s) while this node was running or waiting to start; nodes downstream are skipped.',
  },
  OBSERVER_NODE_BAD_RESPONSE: {
    status: 502,
    title: 'Node Got A Bad Response',
    description:
      'Node error only: the component answered with something that is not JSON (or a non-2xx that is not a problem); `upstream_status` and the start of `upstream_body` are kept.',
  },
  OBSERVER_NODE_OUTPUT_TOO_LARGE: {
    status: 502,
    title: 'Node Output Too Large',
    description: 'Node error only: the component answered with more than `maxNodeOutputBytes` (default 1 MiB).',
  },
})

export type ObserverErrorCode = keyof typeof observerErrors.specs
