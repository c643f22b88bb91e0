import type { MatrixConfig } from './config.ts'
import { matrixErrors } from './errors.ts'
import { boundedString, type Entries, entry, isObject, stringList, summary, unknownMembers } from './input-check.ts'
import { checkQuery, MAX_ID_CHARS, MAX_NAME_CHARS } from './search-request.ts'
import { PLAYBOOK_OUTCOMES, type PlaybookOutcome } from './types.ts'

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

const ITEM_MEMBERS: ReadonlySet<string> = new Set(['query', 'worker_ids', 'outcome', 'corpus', 'note'])
const BULK_MEMBERS: ReadonlySet<string> = new Set(['items'])
const ITEM_SHAPE = '{query, worker_ids, outcome, corpus?, note?}'
const SHAPE = `${ITEM_SHAPE} or {items: [${ITEM_SHAPE}, …]}`
const MAX_NOTE_CHARS = 2000
const OUTCOMES: ReadonlySet<string> = new Set(PLAYBOOK_OUTCOMES)

function checkItem(value: unknown, at: string, config: Readonly<MatrixConfig>, out: Entries): RecordRequest | undefined {
  if (!isObject(value)) {
    out.push(entry('schema', at, 'type', `${at} must be an object ${ITEM_SHAPE}`))
    return undefined
  }
  const before = out.length
  const query = value.query === undefined ? undefined : checkQuery(value.query, `${at}.query`, config.maxQueryChars, out)
  if (value.query === undefined) out.push(entry('schema', `${at}.query`, 'required', `${at}.query is required`))
  const workerIds =
    value.worker_ids === undefined
      ? undefined
      : stringList(value.worker_ids, `${at}.worker_ids`, { min: 1, max: config.maxWorkerIds, maxChars: MAX_ID_CHARS }, out)
  if (value.worker_ids === undefined) out.push(entry('schema', `${at}.worker_ids`, 'required', `${at}.worker_ids is required`))
  const outcome = value.outcome
  if (outcome === undefined) out.push(entry('schema', `${at}.outcome`, 'required', `${at}.outcome is required`))
  else if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) {
    out.push(entry('schema', `${at}.outcome`, 'enum', `${at}.outcome must be one of ${PLAYBOOK_OUTCOMES.join(', ')}`))
  }
  const corpus = value.corpus === undefined ? config.defaultCorpora[0] : boundedString(value.corpus, `${at}.corpus`, MAX_NAME_CHARS, out)
  const note = value.note === undefined ? undefined : boundedString(value.note, `${at}.note`, MAX_NOTE_CHARS, out)
  unknownMembers(value, ITEM_MEMBERS, at, out)
  if (out.length > before || query === undefined || workerIds === undefined || corpus === undefined) return undefined
  return { query, workerIds, outcome: outcome as PlaybookOutcome, corpus, note }
}

function invalid(errors: Entries): never {
  throw matrixErrors.problem('MATRIX_INVALID_REQUEST', { detail: summary(SHAPE, errors), errors })
}

/** One item, or `{items}` with 1..maxRecordItems items; every problem of every item is listed. */
export function parseRecordBody(body: unknown, config: Readonly<MatrixConfig>): RecordRequest[] {
  if (isObject(body) && 'items' in body) {
    const out: Entries = []
    unknownMembers(body, BULK_MEMBERS, '$', out)
    const items = body.items
    if (!Array.isArray(items)) invalid([...out, entry('schema', '$.items', 'type', '$.items must be an array')])
    if (items.length === 0) invalid([...out, entry('length', '$.items', 'too_short', '$.items must hold at least 1 item')])
    if (items.length > config.maxRecordItems) {
      invalid([
        ...out,
        entry('length', '$.items', 'too_long', `$.items holds ${items.length} items; the limit is ${config.maxRecordItems}`),
      ])
    }
    const parsed = items.map((item: unknown, i) => checkItem(item, `$.items[${i}]`, config, out))
    if (out.length > 0) invalid(out)
    return parsed as RecordRequest[]
  }
  return parseRecordItems([body], config, '$')
}

/** For `record()`: items given directly; fields are reported as `$` for one item, `$[i]` for several. */
export function parseRecordItems(items: readonly unknown[], config: Readonly<MatrixConfig>, single?: '$'): RecordRequest[] {
  const out: Entries = []
  if (items.length === 0) invalid([entry('length', '$', 'too_short', '$ must hold at least 1 item')])
  if (items.length > config.maxRecordItems) {
    invalid([entry('length', '$', 'too_long', `$ holds ${items.length} items; the limit is ${config.maxRecordItems}`)])
  }
  const parsed = items.map((item, i) => checkItem(item, single ?? `$[${i}]`, config, out))
  if (out.length > 0) invalid(out)
  return parsed as RecordRequest[]
}
