import { deepFreeze } from './deep-freeze.ts'
import { runSummary } from './run-record.ts'
import type { RunSummary, WorkflowRun } from './types.ts'

/** The newest `maxRuns` recorded runs, by run id, in record (seq) order; counters cover every run ever recorded. */
export interface RunHistory {
  /** Call only once the run's record is durable. Stores (and freezes) the object given. */
  add(run: WorkflowRun): void
  get(runId: string): WorkflowRun | undefined
  /** Newest first, without outputs or error bodies. */
  list(limit: number): RunSummary[]
  readonly total: number
  readonly failed: number
  readonly kept: number
}

export function createRunHistory(maxRuns: number): RunHistory {
  const runs = new Map<string, WorkflowRun>()
  let total = 0
  let failed = 0
  return {
    add(run) {
      // A replayed duplicate (same run id) replaces the older copy and moves to the newest end.
      runs.delete(run.run_id)
      runs.set(run.run_id, deepFreeze(run))
      total++
      if (!run.success) failed++
      while (runs.size > maxRuns) runs.delete(runs.keys().next().value as string)
    },
    get: (runId) => runs.get(runId),
    list(limit) {
      const newest = [...runs.values()].slice(-limit).reverse()
      return newest.map(runSummary)
    },
    get total() {
      return total
    },
    get failed() {
      return failed
    },
    get kept() {
      return runs.size
    },
  }
}
