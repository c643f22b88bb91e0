import type { MatrixConfig } from './config.ts'
import { bodyChecksFor, type WireRecord } from './input-check.ts'
import { normaliseQuery } from './query-text.ts'
import type { PlaybookOutcome } from './types.ts'

/** A checked playbook record with defaults applied. */
export interface RecordRequest {
  /** Normalised like a search query, so a record and the searches it should help embed alike. */
  readonly query: string
  /** Unique, in the caller's order. */
  readonly workerIds: readonly string[]
  readonly outcome: PlaybookOutcome
  readonly corpus: string
  readonly note: string | undefined
}

function toRequest(item: WireRecord, config: Readonly<MatrixConfig>): RecordRequest {
  return {
    query: normaliseQuery(item.query),
    // A repeated id changes nothing about a record: first occurrence kept.
    workerIds: [...new Set(item.worker_ids)],
    outcome: item.outcome,
    corpus: item.corpus ?? (config.defaultCorpora[0] as string),
    note: item.note,
  }
}

/** One item, or `{items}` with 1..maxRecordItems items; every problem of every item is listed. */
export function parseRecordBody(body: unknown, config: Readonly<MatrixConfig>): RecordRequest[] {
  const parsed = bodyChecksFor(config).record(body)
  const items = parsed.form === 'multiple' ? parsed.body.items : [parsed.body]
  return items.map((item) => toRequest(item, config))
}

/** For `record()`: items given directly; fields are reported as `$` for one item, `$[i]` for several. */
export function parseRecordItems(items: readonly unknown[], config: Readonly<MatrixConfig>, single?: '$'): RecordRequest[] {
  const checks = bodyChecksFor(config)
  const checked = single === '$' ? [checks.recordItem(items[0])] : checks.recordList(items)
  return checked.map((item) => toRequest(item, config))
}
