import { createRouter, type Handler, jsonBodyLimits, jsonResponse, quoteCallerText, readJsonBody } from '@lakehouse/kit'
import type { ObserverConfig } from './config.ts'

import { observerErrors } from './errors.ts'
import { EVENT_TYPE_PATTERN } from './event-input.ts'
import type { Observer } from './observer.ts'
import { eventsQueryParams, limitParam } from './query-params.ts'
import { observerRouteDocs } from './route-docs.ts'

/** Where the gateway mounts the observer; routes are registered on full paths because requests arrive untouched. */
export const OBSERVER_MOUNT = '/v1/observer'
const EVENTS = `${OBSERVER_MOUNT}/events`
const RUNS = `${OBSERVER_MOUNT}/runs`

export function createObserverHandler(observer: Observer, config: Readonly<ObserverConfig>): Handler {
  const limits = jsonBodyLimits(config)
  const params = (req: Request) => new URL(req.url).searchParams
  const docs = observerRouteDocs(observer.bodies, config)
  return createRouter()
    .post(EVENTS, docs.publish, async ({ req }) => jsonResponse(await observer.publish(await readJsonBody(req, limits)), 202))
    .get(EVENTS, docs.readEvents, ({ req }) =>
      jsonResponse(observer.readEvents(eventsQueryParams(params(req), config.maxPageLimit, EVENT_TYPE_PATTERN))),
    )
    .post(`${OBSERVER_MOUNT}/workflows/run`, docs.runWorkflow, async ({ req }) =>
      jsonResponse(await observer.runWorkflow(await readJsonBody(req, limits))),
    )
    .get(RUNS, docs.listRuns, ({ req }) => jsonResponse({ runs: observer.listRuns(limitParam(params(req), config.maxPageLimit)) }))
    .get(`${RUNS}/:run_id`, docs.getRun, ({ param }) => {
      const runId = param('run_id')
      const run = observer.getRun(runId)
      if (run === undefined) throw observerErrors.problem('OBSERVER_RUN_NOT_FOUND', { detail: `no run ${quoteCallerText(runId)} is kept` })
      return jsonResponse(run)
    })
    .get(`${OBSERVER_MOUNT}/stats`, docs.stats, () => jsonResponse(observer.stats()))
    .build()
}
