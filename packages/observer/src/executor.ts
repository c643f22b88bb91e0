import type { Journal } from '@lakehouse/journal'
import { type Logger, toProblem } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { observerErrors } from './errors.ts'
import { callNode, failure, type NodeOutcome } from './node-call.ts'
import { describeUnresolved, resolveRefs, UnresolvedRef } from './refs.ts'
import { nodeRecordData } from './run-record.ts'
import { NODE_RECORD_KIND, type NodeResult } from './types.ts'
import type { PlanNode, WorkflowPlan } from './workflow-plan.ts'

export interface ExecuteContext {
  readonly runId: string
  readonly plan: WorkflowPlan
  readonly config: Readonly<ObserverConfig>
  readonly journal: Journal
  readonly dispatch: (req: Request) => Promise<Response>
  readonly logger: Logger
  readonly now: () => Date
}

function skippedResult(node: PlanNode, because: string): NodeResult {
  return { id: node.id, mode: node.mode, status: 'skipped', started_at: null, duration_ms: 0, skipped_because: because }
}

/** Resolves refs, then calls the component under the node's own timeout and the run's deadline. Never rejects. */
async function runNode(node: PlanNode, outputs: ReadonlyMap<string, unknown>, run: AbortSignal, ctx: ExecuteContext): Promise<NodeResult> {
  const startedAt = ctx.now().toISOString()
  const t0 = performance.now()
  const finish = (outcome: NodeOutcome): NodeResult => ({
    id: node.id,
    mode: node.mode,
    status: outcome.ok ? 'ok' : 'failed',
    started_at: startedAt,
    duration_ms: Math.round(performance.now() - t0),
    ...(outcome.ok ? { output: outcome.output } : { error: outcome.error }),
  })
  const { path } = node.target
  let body: unknown
  try {
    body = resolveRefs(node.target.body, outputs, `$.nodes[${node.index}].input`)
  } catch (err) {
    if (!(err instanceof UnresolvedRef)) return finish(failure(toProblem(err), path))
    const { from, path: refPath, field } = err
    const problem = observerErrors.problem('OBSERVER_REF_UNRESOLVED', {
      detail: describeUnresolved(err),
      extensions: { from, path: refPath, field },
    })
    return finish(failure(problem, path))
  }
  const controller = new AbortController()
  const { nodeTimeoutMs } = ctx.config
  const timer = setTimeout(() => {
    const detail = `node ${JSON.stringify(node.id)} (${node.mode}) took longer than ${nodeTimeoutMs} ms`
    controller.abort(observerErrors.problem('OBSERVER_NODE_TIMEOUT', { detail, extensions: { timeout_ms: nodeTimeoutMs } }))
  }, nodeTimeoutMs)
  timer.unref()
  const onRunAbort = () => controller.abort(run.reason)
  if (run.aborted) onRunAbort()
  else run.addEventListener('abort', onRunAbort, { once: true })
  try {
    const outcome = await callNode(
      ctx.dispatch,
      { path, body },
      {
        signal: controller.signal,
        maxOutputBytes: ctx.config.maxNodeOutputBytes,
        // ≤ 36 + 1 + 64 characters of [0-9a-f-] and the id alphabet: always an acceptable X-Request-Id.
        requestId: `${ctx.runId}.${node.id}`,
        logger: ctx.logger,
      },
    )
    return finish(outcome)
  } finally {
    clearTimeout(timer)
    run.removeEventListener('abort', onRunAbort)
  }
}

/**
 * Runs the plan: a node starts once all its dependencies are ok (at most `nodeConcurrency` at
 * once), a node with a failed or skipped dependency is skipped, and each node's audit record is
 * appended as it finishes (skips in one appendMany per scheduling pass). A journal failure stops
 * scheduling, waits for running nodes, and rejects with the journal's Problem: nothing of the
 * run is kept, because only the caller's `observer.run` record makes a run exist.
 * Resolves with the results in request order.
 */
export async function executePlan(ctx: ExecuteContext): Promise<NodeResult[]> {
  const { plan, config, journal } = ctx
  const results = new Map<string, NodeResult>()
  const outputs = new Map<string, unknown>()
  const running = new Map<string, Promise<void>>()
  let fatal: { readonly error: unknown } | undefined

  const run = new AbortController()
  const deadline = setTimeout(() => {
    const detail = `the run passed its ${config.workflowTimeoutMs} ms deadline`
    run.abort(observerErrors.problem('OBSERVER_WORKFLOW_TIMEOUT', { detail, extensions: { timeout_ms: config.workflowTimeoutMs } }))
  }, config.workflowTimeoutMs)
  deadline.unref()

  const audit = async (finished: readonly NodeResult[]) => {
    if (finished.length === 0 || fatal !== undefined) return
    try {
      await journal.appendMany(finished.map((n) => ({ kind: NODE_RECORD_KIND, data: nodeRecordData(ctx.runId, plan.name, n) })))
    } catch (error) {
      fatal ??= { error }
    }
  }
  const start = (node: PlanNode) => {
    const task = (async () => {
      const result = await runNode(node, outputs, run.signal, ctx)
      if (result.status === 'ok') outputs.set(node.id, result.output)
      await audit([result])
      results.set(node.id, result)
    })().finally(() => running.delete(node.id))
    running.set(node.id, task)
  }

  try {
    for (;;) {
      if (fatal === undefined) {
        const skipped: NodeResult[] = []
        // Topological order: a node skipped here is seen by its dependents later in the same pass.
        for (const node of plan.order) {
          if (results.has(node.id) || running.has(node.id)) continue
          const upstream = node.dependsOn.map((d) => results.get(d))
          if (upstream.some((r) => r === undefined)) continue
          const blocker = upstream.find((r) => r?.status !== 'ok')
          if (blocker !== undefined) {
            const result = skippedResult(node, blocker.skipped_because ?? blocker.id)
            results.set(node.id, result)
            skipped.push(result)
          } else if (running.size < config.nodeConcurrency) start(node)
        }
        await audit(skipped)
      }
      if (running.size === 0) break
      await Promise.race(running.values())
    }
  } finally {
    clearTimeout(deadline)
  }
  if (fatal !== undefined) throw fatal.error
  return plan.nodes.map((n) => results.get(n.id) as NodeResult)
}
