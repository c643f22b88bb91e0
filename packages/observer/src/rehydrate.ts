import type { Journal } from '@lakehouse/journal'
import type { Logger } from '@lakehouse/kit'
import { isObject } from './entries.ts'
import { toEvent } from './event-log.ts'
import type { EventRing } from './event-ring.ts'
import type { RunHistory } from './run-history.ts'
import { EVENT_RECORD_KIND, type EventRecordData, RUN_RECORD_KIND, type WorkflowRun } from './types.ts'

export interface RehydrateResult {
  /** `observer.event` records replayed (all of them, kept or evicted). */
  readonly events: number
  /** Records of observer kinds whose data did not have the expected shape. */
  readonly skipped: number
}

function isEventData(data: unknown): data is EventRecordData {
  return (
    isObject(data) &&
    typeof data.type === 'string' &&
    (data.source === null || typeof data.source === 'string') &&
    typeof data.at === 'string' &&
    'data' in data
  )
}

function isRunData(data: unknown): data is WorkflowRun {
  return (
    isObject(data) &&
    typeof data.run_id === 'string' &&
    typeof data.name === 'string' &&
    typeof data.success === 'boolean' &&
    typeof data.started_at === 'string' &&
    typeof data.finished_at === 'string' &&
    typeof data.duration_ms === 'number' &&
    typeof data.truncated === 'boolean' &&
    Array.isArray(data.nodes)
  )
}

/**
 * Rebuilds the event ring and the run history from the whole journal. Pushing every event
 * through the ring keeps the newest `capacity` and restores the evicted-through watermark, so
 * `gap` answers after a restart exactly as before it. Node records are audit only: a run
 * exists once its `observer.run` record does. Records of other kinds (a shared journal) are
 * ignored.
 */
export async function rehydrate(journal: Journal, ring: EventRing, history: RunHistory, logger: Logger): Promise<RehydrateResult> {
  let events = 0
  let skipped = 0
  for await (const record of journal.replay()) {
    if (record.kind === EVENT_RECORD_KIND) {
      if (isEventData(record.data)) {
        ring.push(toEvent(record, record.data))
        events++
        continue
      }
    } else if (record.kind === RUN_RECORD_KIND) {
      if (isRunData(record.data)) {
        history.add(record.data)
        continue
      }
    } else continue
    skipped++
    logger.warn('observer record skipped on replay', { seq: record.seq, kind: record.kind, reason: 'unexpected data shape' })
  }
  return { events, skipped }
}
