import { createHash } from 'node:crypto'
import { encodeJson } from '@lakehouse/kit'
import type { Hit, Metadata } from '@lakehouse/vector'
import type { OutcomeCounts, PlaybookEvidence } from './boost.ts'
import type { RecordRequest } from './record-request.ts'
import { PLAYBOOK_OUTCOMES } from './types.ts'

/**
 * How playbook records are stored as vector items (docs/matrix.md, "Storage and persistence").
 *
 * Format 2, written now: ONE item per (corpus, normalised query), its vector the query, its
 * metadata the per-worker success and failure counts of every record of that query. A search then
 * reads the `playbookK` nearest *distinct* queries, so a record can never be crowded out by
 * earlier records of the same query.
 *
 * Format 1, written before: one item per record (`worker_ids` + `outcome`). Items without a
 * `format` member are read as format 1, each record counting once, so an existing data
 * directory keeps its boosts.
 */
export const PLAYBOOK_FORMAT = 2

/** Every record of one (corpus, query), folded together. */
export interface PlaybookAggregate {
  readonly query: string
  readonly corpus: string
  /** Per worker id: how many records named it, by outcome. */
  readonly workers: ReadonlyMap<string, OutcomeCounts>
  /** Records folded in (input items, whatever their number of worker ids). */
  readonly records: number
  readonly firstRecordedAt: string
  readonly lastRecordedAt: string
  /** The most recent note given; earlier notes are not kept. */
  readonly note: string | undefined
}

const OUTCOMES: ReadonlySet<string> = new Set(PLAYBOOK_OUTCOMES)
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Deterministic: every record of one (corpus, query) upserts the same item. */
export function playbookItemId(corpus: string, query: string): string {
  const text = encodeJson(['playbook', PLAYBOOK_FORMAT, corpus, query])
  return `pb-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`
}

/** `current` (absent for a new query) plus `items`, all of its (corpus, query), recorded at `recordedAt`. */
export function foldRecords(
  current: PlaybookAggregate | undefined,
  key: { readonly query: string; readonly corpus: string },
  items: readonly RecordRequest[],
  recordedAt: string,
): PlaybookAggregate {
  const workers = new Map(current?.workers)
  let note = current?.note
  for (const item of items) {
    for (const id of item.workerIds) {
      const { success, failure } = workers.get(id) ?? { success: 0, failure: 0 }
      workers.set(id, item.outcome === 'success' ? { success: success + 1, failure } : { success, failure: failure + 1 })
    }
    if (item.note !== undefined) note = item.note
  }
  return {
    query: key.query,
    corpus: key.corpus,
    workers,
    records: (current?.records ?? 0) + items.length,
    // Records of one query wait for each other's lock, so a later clock reading can fold in first.
    // ISO-8601 UTC strings of one format order as the instants do.
    firstRecordedAt: current === undefined || recordedAt < current.firstRecordedAt ? recordedAt : current.firstRecordedAt,
    lastRecordedAt: current === undefined || recordedAt > current.lastRecordedAt ? recordedAt : current.lastRecordedAt,
    note,
  }
}

/**
 * Vector metadata values are flat (string, number, boolean, null, string[]), so the per-worker
 * counts are one JSON text, workers in code-unit order so equal aggregates encode equally.
 */
export function encodeAggregate(aggregate: PlaybookAggregate): Metadata {
  const workers = [...aggregate.workers].sort(([a], [b]) => byCode(a, b))
  return {
    format: PLAYBOOK_FORMAT,
    query: aggregate.query,
    corpus: aggregate.corpus,
    workers: encodeJson(Object.fromEntries(workers.map(([id, c]) => [id, { success: c.success, failure: c.failure }]))),
    records: aggregate.records,
    first_recorded_at: aggregate.firstRecordedAt,
    last_recorded_at: aggregate.lastRecordedAt,
    ...(aggregate.note === undefined ? {} : { note: aggregate.note }),
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

function parseWorkers(text: string): Map<string, OutcomeCounts> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  const workers = new Map<string, OutcomeCounts>()
  for (const [id, counts] of Object.entries(parsed)) {
    if (counts === null || typeof counts !== 'object') return undefined
    const { success, failure } = counts as Record<string, unknown>
    if (!isCount(success) || !isCount(failure)) return undefined
    workers.set(id, { success, failure })
  }
  return workers
}

// Written by this module, but an index on disk is outside our control: what does not parse is undefined.
export function decodeAggregate(metadata: Metadata): PlaybookAggregate | undefined {
  const { format, query, corpus, workers, records, first_recorded_at: first, last_recorded_at: last, note } = metadata
  if (format !== PLAYBOOK_FORMAT || typeof query !== 'string' || typeof corpus !== 'string' || typeof workers !== 'string') return undefined
  if (!isCount(records) || typeof first !== 'string' || typeof last !== 'string') return undefined
  if (note !== undefined && typeof note !== 'string') return undefined
  const parsed = parseWorkers(workers)
  if (parsed === undefined) return undefined
  return { query, corpus, workers: parsed, records, firstRecordedAt: first, lastRecordedAt: last, note }
}

/** A format 1 item: one record, each of its workers counted once under its outcome. */
function decodeRecord(metadata: Metadata): Pick<PlaybookEvidence, 'query' | 'corpus' | 'workers'> | undefined {
  const { query, worker_ids: workerIds, outcome, corpus } = metadata
  if (typeof query !== 'string' || typeof corpus !== 'string' || typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return undefined
  if (!Array.isArray(workerIds) || !workerIds.every((id) => typeof id === 'string')) return undefined
  const counts: OutcomeCounts = outcome === 'success' ? { success: 1, failure: 0 } : { success: 0, failure: 1 }
  return { query, corpus, workers: new Map(workerIds.map((id) => [id, counts])) }
}

/** Evidence from a hit of either format; undefined for an item that does not parse (or a format from the future). */
export function toEvidence(hit: Hit): PlaybookEvidence | undefined {
  const format = hit.metadata.format
  const decoded = format === undefined || format === null ? decodeRecord(hit.metadata) : decodeAggregate(hit.metadata)
  return decoded === undefined
    ? undefined
    : { query: decoded.query, corpus: decoded.corpus, workers: decoded.workers, similarity: hit.score }
}
