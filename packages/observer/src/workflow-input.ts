import { type BodyCheck, type BodySchema, compileBodySchema } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { observerErrors } from './errors.ts'
import type { WorkflowInput } from './types.ts'

export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
const MAX_NAME_CHARS = 128
// No control characters, and at least one character that is neither a control nor white space.
const NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$'

/**
 * `POST /v1/observer/workflows/run`: the shape. `depends_on` is bounded by the configured
 * maxNodes, so the schema is built when the observer is created. The node count itself stays
 * OBSERVER_WORKFLOW_TOO_LARGE (with `max_nodes`), checked after the schema; modes, ids,
 * dependencies, refs and cycles are checked by the plan, on a body that fits.
 */
export function workflowRequestSchema(maxNodes: number): BodySchema {
  return {
    type: 'object',
    required: ['name', 'nodes'],
    additionalProperties: false,
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: MAX_NAME_CHARS,
        pattern: NAME_PATTERN,
        description: 'The run name: no control characters, not only white space.',
      },
      nodes: {
        type: 'array',
        minItems: 1,
        description: `The nodes, 1..maxNodes (${maxNodes}); the run lists them in this order.`,
        items: {
          type: 'object',
          required: ['id', 'mode', 'input'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: NODE_ID_PATTERN.source, description: 'Unique in the workflow.' },
            mode: { type: 'string', description: 'Which component call the node makes (NODE_MODES; docs/observer.md lists them).' },
            input: {
              type: 'object',
              description: 'The component\'s request body; {"$from": id, "path"?} anywhere stands for an upstream output.',
            },
            depends_on: {
              type: 'array',
              maxItems: maxNodes,
              uniqueItems: true,
              items: { type: 'string' },
              description: 'Ids of nodes that must finish first (besides those its refs name).',
            },
          },
        },
      },
    },
  }
}

export function workflowBodyCheck(maxNodes: number): BodyCheck<WorkflowInput> {
  return compileBodySchema<WorkflowInput>(workflowRequestSchema(maxNodes))
}

/** Checks `POST /workflows/run` bodies with `check`, then the node count. Built once, when the observer is. */
export function createWorkflowParser(check: BodyCheck<WorkflowInput>, config: Readonly<ObserverConfig>): (value: unknown) => WorkflowInput {
  return (value) => {
    const body = check(value)
    if (body.nodes.length > config.maxNodes) {
      throw observerErrors.problem('OBSERVER_WORKFLOW_TOO_LARGE', {
        detail: `the workflow has ${body.nodes.length} nodes; the limit is ${config.maxNodes}`,
        extensions: { max_nodes: config.maxNodes },
      })
    }
    return body
  }
}
