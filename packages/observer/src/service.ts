import type { Journal } from '@lakehouse/journal'
import { encodeJson, type Handler, type Logger, redact, SILENT_LOGGER } from '@lakehouse/kit'
import { type ObserverConfig, resolveObserverConfig } from './config.ts'
import { createEventLog } from './event-log.ts'
import { createEventRing } from './event-ring.ts'
import { createObserver, type Observer } from './observer.ts'
import { rehydrate } from './rehydrate.ts'
import { createObserverHandler } from './routes.ts'
import { createRunHistory } from './run-history.ts'

export interface ObserverDeps {
  /** Where events, node audit rows and runs are recorded; owned by the caller, never closed by the observer. */
  readonly journal: Journal
  /**
   * The gateway's own handler. Workflow nodes call components through it with Requests to
   * `http://lakehouse.internal/v1/…`, so they get the HTTP API's validation, limits and errors.
   */
  readonly dispatch: (req: Request) => Promise<Response>
  readonly logger?: Logger
  /** Clock for event `at` and run timestamps (durations use the monotonic clock). */
  readonly now?: () => Date
}

export interface ObserverService extends Omit<Observer, 'close' | 'bodies'> {
  /** Serves every `/v1/observer/…` route on its full path. */
  readonly handler: Handler
  readonly config: Readonly<ObserverConfig>
  /**
   * Refuses new events and runs (503 OBSERVER_CLOSED), then waits for running workflows up to
   * `closeTimeoutMs`. Does not close the journal.
   */
  close(): Promise<void>
}

/** In-process callers pass objects, not JSON text: a round trip gives them the same checks and ownership as a request body. */
function asJson(value: unknown): unknown {
  return JSON.parse(encodeJson(value))
}

/**
 * Builds the observer: resolves config (CONFIG_INVALID on bad values), replays the journal to
 * rebuild the event ring and the run history, then serves. Async because both must be complete
 * before the first request; a journal that cannot be replayed rejects with its own Problem.
 */
export async function createObserverService(config: Partial<ObserverConfig> | undefined, deps: ObserverDeps): Promise<ObserverService> {
  const resolved = resolveObserverConfig(config)
  const logger = (deps.logger ?? SILENT_LOGGER).child({ component: 'observer' })
  const now = deps.now ?? (() => new Date())
  const started = performance.now()
  const ring = createEventRing(resolved.ringCapacity)
  const history = createRunHistory(resolved.maxRuns)
  const replayed = await rehydrate(deps.journal, ring, history, logger)
  const events = createEventLog({ journal: deps.journal, ring, now, acceptedBefore: replayed.events })
  const observer = createObserver({
    config: resolved,
    journal: deps.journal,
    dispatch: deps.dispatch,
    logger,
    now,
    ring,
    events,
    history,
    replaySkipped: replayed.skipped,
  })
  logger.info('observer ready', {
    events: ring.size,
    evicted: ring.evicted,
    runs: history.kept,
    skipped: replayed.skipped,
    durMs: Math.round(performance.now() - started),
    config: redact(resolved),
  })
  return {
    handler: createObserverHandler(observer, resolved),
    config: resolved,
    publish: (body) => observer.publish(asJson(body)),
    readEvents: (query) => observer.readEvents(query),
    runWorkflow: (body) => observer.runWorkflow(asJson(body)),
    getRun: (runId) => observer.getRun(runId),
    listRuns: (limit) => observer.listRuns(limit),
    stats: () => observer.stats(),
    close: () => observer.close(),
  }
}
