import type { Journal } from '@lakehouse/journal'
import { type BodyCheck, createSlots, type Logger } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'
import { observerErrors } from './errors.ts'
import { createEventsParser, EVENT_TYPE_PATTERN, type EventsBodyCheck, eventsBodyCheck } from './event-input.ts'
import type { EventLog } from './event-log.ts'
import type { EventRing } from './event-ring.ts'
import { executePlan } from './executor.ts'
import { checkLimit, checkPattern, checkSeq } from './query-params.ts'
import type { RunHistory } from './run-history.ts'
import { fitRunRecord } from './run-record.ts'
import {
  type EventsPage,
  type EventsQuery,
  type ObserverStats,
  type PublishResult,
  RUN_RECORD_KIND,
  type RunSummary,
  type WorkflowInput,
  type WorkflowRun,
} from './types.ts'
import { createWorkflowParser, workflowBodyCheck } from './workflow-input.ts'
import { planWorkflow, type WorkflowPlan } from './workflow-plan.ts'

/** The body checks `publish` and `runWorkflow` run: their limits are configuration. */
export interface ObserverBodies {
  readonly events: EventsBodyCheck
  readonly workflow: BodyCheck<WorkflowInput>
}

/** The observer's domain operations; routes.ts binds them to HTTP. */
export interface Observer {
  /** `{type, source?, data?}` or `{events: [...]}`; durable when it resolves. */
  publish(body: unknown): Promise<PublishResult>
  readEvents(query?: EventsQuery): EventsPage
  /** Validates (400s), runs, journals; resolves with the full run once its record is durable. */
  runWorkflow(body: unknown): Promise<WorkflowRun>
  getRun(runId: string): WorkflowRun | undefined
  listRuns(limit?: number): RunSummary[]
  stats(): ObserverStats
  close(): Promise<void>
  /** So the routes publish the checks that run. */
  readonly bodies: ObserverBodies
}

export interface ObserverParts {
  readonly config: Readonly<ObserverConfig>
  readonly journal: Journal
  readonly dispatch: (req: Request) => Promise<Response>
  readonly logger: Logger
  readonly now: () => Date
  readonly ring: EventRing
  readonly events: EventLog
  readonly history: RunHistory
  readonly replaySkipped: number
}

export function createObserver(parts: ObserverParts): Observer {
  const { config, journal, ring, events, history, logger, now } = parts
  const slots = createSlots(config.maxConcurrentRuns)
  // The body schemas depend on configured limits: compiled once, here.
  const bodies: ObserverBodies = { events: eventsBodyCheck(config.maxBatchEvents), workflow: workflowBodyCheck(config.maxNodes) }
  const parseEvents = createEventsParser(bodies.events, config)
  const parseWorkflow = createWorkflowParser(bodies.workflow, config)
  const active = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  const refuseWhenClosed = () => {
    if (closing !== undefined) throw observerErrors.problem('OBSERVER_CLOSED', { detail: 'the observer is shutting down' })
  }

  const execute = async (plan: WorkflowPlan): Promise<WorkflowRun> => {
    const runId = crypto.randomUUID()
    const startedAt = now().toISOString()
    const t0 = performance.now()
    const nodes = await executePlan({ runId, plan, config, journal, dispatch: parts.dispatch, logger, now })
    const run: WorkflowRun = {
      run_id: runId,
      name: plan.name,
      success: nodes.every((n) => n.status === 'ok'),
      started_at: startedAt,
      finished_at: now().toISOString(),
      duration_ms: Math.round(performance.now() - t0),
      truncated: false,
      nodes,
    }
    const stored = fitRunRecord(run, config.maxRunRecordBytes)
    await journal.append(RUN_RECORD_KIND, stored)
    history.add(stored)
    logger.debug('workflow run recorded', {
      runId,
      name: plan.name,
      success: run.success,
      durMs: run.duration_ms,
      truncated: stored.truncated,
    })
    return run
  }

  return {
    bodies,
    async publish(body) {
      refuseWhenClosed()
      return events.publish(parseEvents(body))
    },
    readEvents(query = {}) {
      const since = checkSeq('since', query.since ?? 0)
      const limit = checkLimit(query.limit ?? config.defaultPageLimit, config.maxPageLimit)
      const type = query.type === undefined ? undefined : checkPattern('type', query.type, EVENT_TYPE_PATTERN)
      return events.read(since, limit, type)
    },
    async runWorkflow(body) {
      refuseWhenClosed()
      const plan = planWorkflow(parseWorkflow(body))
      const release = slots.tryAcquire()
      if (release === undefined) {
        throw observerErrors.problem('OBSERVER_BUSY', {
          detail: `all ${config.maxConcurrentRuns} workflow slots are in use; retry later`,
          headers: { 'retry-after': String(config.busyRetryAfterSeconds) },
        })
      }
      const work = execute(plan).finally(release)
      const tracked = work.catch(() => undefined).finally(() => active.delete(tracked))
      active.add(tracked)
      return work
    },
    getRun: (runId) => history.get(runId),
    listRuns: (limit) => history.list(checkLimit(limit ?? config.defaultPageLimit, config.maxPageLimit)),
    stats() {
      const j = journal.stats()
      return {
        events: {
          accepted: events.accepted,
          ring_size: ring.size,
          ring_capacity: ring.capacity,
          evicted: ring.evicted,
          evicted_through: ring.evictedThrough,
          oldest_seq: ring.oldestSeq,
          last_seq: ring.lastSeq,
        },
        runs: { total: history.total, failed: history.failed, kept: history.kept, running: slots.inUse },
        journal: { last_seq: j.last_seq, corrupt_skipped: j.corrupt_skipped, torn_tails: j.torn_tails },
        replay_skipped: parts.replaySkipped,
      }
    },
    close() {
      closing ??= (async () => {
        const settled = Promise.allSettled([...active, events.idle()]).then(() => true)
        let timer: ReturnType<typeof setTimeout> | undefined
        const bound = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), config.closeTimeoutMs)
          timer.unref()
        })
        const finished = await Promise.race([settled, bound])
        clearTimeout(timer)
        // The journal is the caller's: it decides whether the stragglers' records still land.
        if (!finished)
          logger.warn('observer closed with workflows still running', { running: active.size, waitedMs: config.closeTimeoutMs })
      })()
      return closing
    },
  }
}
