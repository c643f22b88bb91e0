import type { ProblemEntry } from '@lakehouse/kit'
import { quoteCallerText } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { entry, extras, isObject, summary } from './entries.ts'
import { observerErrors } from './errors.ts'
import type { WorkflowInput, WorkflowNodeInput } from './types.ts'

export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
const MAX_NAME_CHARS = 128
const WORKFLOW_MEMBERS = ['name', 'nodes'] as const
const NODE_MEMBERS = ['id', 'mode', 'input', 'depends_on'] as const
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/

function checkNode(value: unknown, at: string, maxNodes: number, out: ProblemEntry[]): void {
  if (!isObject(value)) {
    out.push(entry('schema', at, 'type', `${at} must be an object {id, mode, input, depends_on?}`))
    return
  }
  const { id, mode, input, depends_on: deps } = value
  if (id === undefined) out.push(entry('schema', `${at}.id`, 'required', `${at}.id is required`))
  else if (typeof id !== 'string') out.push(entry('schema', `${at}.id`, 'type', `${at}.id must be a string`))
  else if (!NODE_ID_PATTERN.test(id))
    out.push(entry('format', `${at}.id`, 'pattern', `${at}.id ${quoteCallerText(id)} must match ${NODE_ID_PATTERN.source}`))
  if (mode === undefined) out.push(entry('schema', `${at}.mode`, 'required', `${at}.mode is required`))
  else if (typeof mode !== 'string') out.push(entry('schema', `${at}.mode`, 'type', `${at}.mode must be a string`))
  if (input === undefined) out.push(entry('schema', `${at}.input`, 'required', `${at}.input is required (the component's request body)`))
  else if (!isObject(input))
    out.push(entry('schema', `${at}.input`, 'type', `${at}.input must be an object (the component's request body)`))
  if (deps !== undefined) {
    if (!Array.isArray(deps)) out.push(entry('schema', `${at}.depends_on`, 'type', `${at}.depends_on must be an array of node ids`))
    else if (deps.length > maxNodes) {
      out.push(entry('length', `${at}.depends_on`, 'max_items', `${at}.depends_on lists more than ${maxNodes} nodes`))
    } else {
      const seen = new Set<string>()
      deps.forEach((d, i) => {
        const field = `${at}.depends_on[${i}]`
        if (typeof d !== 'string') out.push(entry('schema', field, 'type', `${field} must be a node id (string)`))
        else if (seen.has(d)) out.push(entry('duplicate', field, 'duplicate_dependency', `${field} repeats ${quoteCallerText(d)}`))
        else seen.add(d)
      })
    }
  }
  extras(value, NODE_MEMBERS, at, out)
}

/**
 * Checks the shape of `POST /workflows/run`: too many nodes → OBSERVER_WORKFLOW_TOO_LARGE
 * (before walking them); anything else → OBSERVER_WORKFLOW_INVALID with every problem listed.
 * Modes, ids, dependencies, refs and cycles are checked by the plan, on a shape-valid input.
 */
export function parseWorkflowInput(value: unknown, config: Readonly<ObserverConfig>): WorkflowInput {
  const out: ProblemEntry[] = []
  if (!isObject(value)) {
    out.push(entry('schema', '$', 'type', '$ must be an object {name, nodes}'))
    throw observerErrors.problem('OBSERVER_WORKFLOW_INVALID', { detail: summary(out), errors: out })
  }
  const { name, nodes } = value
  if (name === undefined) out.push(entry('schema', '$.name', 'required', '$.name is required'))
  else if (typeof name !== 'string') out.push(entry('schema', '$.name', 'type', '$.name must be a string'))
  else if (name.trim() === '' || name.length > MAX_NAME_CHARS) {
    out.push(entry('length', '$.name', 'length', `$.name must be 1..${MAX_NAME_CHARS} characters and not only whitespace`))
  } else if (CONTROL.test(name)) out.push(entry('format', '$.name', 'control_character', '$.name must not contain control characters'))
  if (nodes === undefined) out.push(entry('schema', '$.nodes', 'required', '$.nodes is required'))
  else if (!Array.isArray(nodes)) out.push(entry('schema', '$.nodes', 'type', '$.nodes must be an array of nodes'))
  else if (nodes.length === 0) out.push(entry('length', '$.nodes', 'min_items', '$.nodes must hold at least one node'))
  else if (nodes.length > config.maxNodes) {
    throw observerErrors.problem('OBSERVER_WORKFLOW_TOO_LARGE', {
      detail: `the workflow has ${nodes.length} nodes; the limit is ${config.maxNodes}`,
      extensions: { max_nodes: config.maxNodes },
    })
  } else {
    for (const [i, n] of nodes.entries()) checkNode(n, `$.nodes[${i}]`, config.maxNodes, out)
  }
  extras(value, WORKFLOW_MEMBERS, '$', out)
  if (out.length > 0) throw observerErrors.problem('OBSERVER_WORKFLOW_INVALID', { detail: summary(out), errors: out })
  return { name: name as string, nodes: nodes as WorkflowNodeInput[] }
}
