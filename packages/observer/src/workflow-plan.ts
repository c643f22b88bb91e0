import type { ProblemEntry } from '@lakehouse/kit'
import { quoteCallerText } from '@lakehouse/kit'
import { entry, summary } from './entries.ts'
import { type ObserverErrorCode, observerErrors } from './errors.ts'
import { isModeTarget, type ModeSpec, type ModeTarget, modeSpec, NODE_MODE_NAMES } from './modes.ts'
import { collectRefs } from './refs.ts'
import type { WorkflowInput } from './types.ts'

export interface PlanNode {
  readonly id: string
  readonly mode: string
  readonly dependsOn: readonly string[]
  /** Position in the request, for field names such as `$.nodes[2].input`. */
  readonly index: number
  /** The call, with `$from` refs still in the body (resolved when the node starts). */
  readonly target: ModeTarget
}

export interface WorkflowPlan {
  readonly name: string
  /** In request order: the order of `nodes` in the run. */
  readonly nodes: readonly PlanNode[]
  /** A topological order (ties keep request order): the order nodes become eligible to start. */
  readonly order: readonly PlanNode[]
}

function fail(code: ObserverErrorCode, errors: ProblemEntry[], extensions?: Record<string, unknown>): never {
  throw observerErrors.problem(code, { detail: summary(errors), errors, ...(extensions === undefined ? {} : { extensions }) })
}

/** Follows unfinished dependencies from a node left over by the topological sort until one repeats. */
function findCycle(remaining: ReadonlyMap<string, readonly string[]>): string[] {
  const [start] = remaining.keys()
  const path: string[] = []
  const seenAt = new Map<string, number>()
  let current = start as string
  while (!seenAt.has(current)) {
    seenAt.set(current, path.length)
    path.push(current)
    // Every node left over has at least one dependency that is also left over.
    current = (remaining.get(current) ?? []).find((d) => remaining.has(d)) as string
  }
  // The walk went against the edges (node → dependency): report it in run order, starting
  // from the node listed first in the request, so the same workflow always gives the same list.
  const cycle = path.slice(seenAt.get(current)).reverse()
  const order = [...remaining.keys()]
  const first = cycle.reduce((best, id, i) => (order.indexOf(id) < order.indexOf(cycle[best] as string) ? i : best), 0)
  return [...cycle.slice(first), ...cycle.slice(0, first)]
}

function topologicalOrder(nodes: readonly PlanNode[]): PlanNode[] {
  const order: PlanNode[] = []
  const done = new Set<string>()
  const remaining = new Map(nodes.map((n) => [n.id, n.dependsOn]))
  for (;;) {
    const next = nodes.find((n) => remaining.has(n.id) && n.dependsOn.every((d) => done.has(d)))
    if (next === undefined) break
    order.push(next)
    done.add(next.id)
    remaining.delete(next.id)
  }
  if (remaining.size > 0) {
    const cycle = findCycle(remaining)
    const text = [...cycle, cycle[0]].join(' → ')
    throw observerErrors.problem('OBSERVER_WORKFLOW_CYCLE', { detail: `depends_on forms a cycle: ${text}`, extensions: { cycle } })
  }
  return order
}

/**
 * Turns a shape-valid workflow into a plan, or throws the first class of problem found, each
 * with its own code and every instance listed: unknown modes, unroutable inputs, duplicate
 * ids, unknown dependencies, bad refs, then a cycle.
 */
export function planWorkflow(workflow: WorkflowInput): WorkflowPlan {
  const at = (i: number) => `$.nodes[${i}]`
  const unknownModes: ProblemEntry[] = []
  workflow.nodes.forEach((n, i) => {
    if (modeSpec(n.mode) === undefined) {
      unknownModes.push(
        entry(
          'reference',
          `${at(i)}.mode`,
          'unknown_mode',
          `${at(i)}.mode ${quoteCallerText(n.mode)} is not one of ${NODE_MODE_NAMES.join(', ')}`,
        ),
      )
    }
  })
  if (unknownModes.length > 0) fail('OBSERVER_UNKNOWN_MODE', unknownModes, { modes: NODE_MODE_NAMES })

  const unroutable: ProblemEntry[] = []
  const targets = workflow.nodes.map((n, i) => {
    // Every mode is known by now, and the shape check proved `input` is an object.
    const spec = modeSpec(n.mode) as ModeSpec
    const target = spec(n.input as Record<string, unknown>, `${at(i)}.input`)
    if (isModeTarget(target)) return target
    unroutable.push(target)
    return undefined
  })
  if (unroutable.length > 0) fail('OBSERVER_WORKFLOW_INVALID', unroutable)

  const duplicates: ProblemEntry[] = []
  const ids = new Set<string>()
  workflow.nodes.forEach((n, i) => {
    if (ids.has(n.id))
      duplicates.push(entry('duplicate', `${at(i)}.id`, 'duplicate_id', `${at(i)}.id ${quoteCallerText(n.id)} is used by an earlier node`))
    ids.add(n.id)
  })
  if (duplicates.length > 0) fail('OBSERVER_DUPLICATE_NODE', duplicates)

  const unknownDeps: ProblemEntry[] = []
  workflow.nodes.forEach((n, i) => {
    n.depends_on?.forEach((d, j) => {
      const field = `${at(i)}.depends_on[${j}]`
      if (!ids.has(d))
        unknownDeps.push(entry('reference', field, 'unknown_dependency', `${field} ${quoteCallerText(d)} is not a node of this workflow`))
    })
  })
  if (unknownDeps.length > 0) fail('OBSERVER_UNKNOWN_DEPENDENCY', unknownDeps)

  const badRefs: ProblemEntry[] = []
  workflow.nodes.forEach((n, i) => {
    const deps = n.depends_on ?? []
    for (const ref of collectRefs(n.input, `${at(i)}.input`, badRefs)) {
      if (!deps.includes(ref.from)) {
        badRefs.push(
          entry(
            'reference',
            ref.field,
            'not_a_dependency',
            `${ref.field} refers to ${quoteCallerText(ref.from)}, which is not in ${at(i)}.depends_on`,
          ),
        )
      }
    }
  })
  if (badRefs.length > 0) fail('OBSERVER_REF_INVALID', badRefs)

  const nodes: PlanNode[] = workflow.nodes.map((n, i) => ({
    id: n.id,
    mode: n.mode,
    dependsOn: [...(n.depends_on ?? [])],
    index: i,
    target: targets[i] as ModeTarget,
  }))
  return { name: workflow.name, nodes, order: topologicalOrder(nodes) }
}
