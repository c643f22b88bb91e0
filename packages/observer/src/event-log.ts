import type { Journal, JournalRecord } from '@lakehouse/journal'
import { deepFreeze } from './deep-freeze.ts'
import type { CheckedEvent } from './event-input.ts'
import type { EventRing } from './event-ring.ts'
import { EVENT_RECORD_KIND, type EventRecordData, type EventsPage, type ObserverEvent, type PublishResult } from './types.ts'

export interface EventLog {
  /** Durable (one appendMany) before it resolves; a journal Problem rejects and nothing enters the ring. */
  publish(events: readonly CheckedEvent[]): Promise<PublishResult>
  read(since: number, limit: number, type?: string): EventsPage
  /** Events accepted since the journal began. */
  readonly accepted: number
  /** Resolves once every publish started so far has settled. */
  idle(): Promise<void>
}

export function toEvent(record: JournalRecord, data: EventRecordData): ObserverEvent {
  return deepFreeze({ seq: record.seq, type: data.type, source: data.source, data: data.data, at: data.at })
}

/**
 * Appends run concurrently (so the journal can group-commit them), but their events enter the
 * ring in the order the appends were started, which is seq order. Otherwise a reader could see
 * seq 12, move its cursor past it, and never see seq 11 that was still being fsynced.
 */
export function createEventLog(deps: {
  readonly journal: Journal
  readonly ring: EventRing
  readonly now: () => Date
  readonly acceptedBefore: number
}): EventLog {
  const { journal, ring } = deps
  let accepted = deps.acceptedBefore
  let tail: Promise<unknown> = Promise.resolve()
  return {
    get accepted() {
      return accepted
    },
    publish(events) {
      const at = deps.now().toISOString()
      const appending = journal.appendMany(events.map((e) => ({ kind: EVENT_RECORD_KIND, data: { ...e, at } })))
      // Handled here so a failure while an earlier publish is still pending is not "unhandled".
      appending.catch(() => undefined)
      const published = tail
        .then(() => appending)
        .then((records) => {
          for (const [i, r] of records.entries()) ring.push(toEvent(r, { ...(events[i] as CheckedEvent), at }))
          accepted += records.length
          return { accepted: records.length, first_seq: records[0]?.seq ?? 0, last_seq: records.at(-1)?.seq ?? 0 }
        })
      tail = published.catch(() => undefined)
      return published
    },
    read(since, limit, type) {
      const events = ring.after(since, limit, type)
      return {
        events,
        next: events.at(-1)?.seq ?? since,
        gap: since < ring.evictedThrough,
        oldest_seq: ring.oldestSeq,
        last_seq: ring.lastSeq,
      }
    },
    async idle() {
      await tail
    },
  }
}
