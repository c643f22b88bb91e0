import { type BodyCheck, type BodyForms, type BodySchema, compileBodyForms, compileBodySchema } from '@lakehouse/kit'
import type { MatrixConfig } from './config.ts'
import { PLAYBOOK_OUTCOMES, type PlaybookOutcome } from './types.ts'

/**
 * The JSON Schemas of the matrix request bodies. Their ceilings (query length, corpora, k,
 * exclude_ids, worker ids, record items) are configuration, so each schema is built from the
 * resolved config and compiled once per config, when the service is created (`bodyChecksFor`).
 * A body that does not fit answers 400 HTTP_INVALID_REQUEST from kit, every problem listed.
 */

export const MAX_NAME_CHARS = 128
export const MAX_ID_CHARS = 256
const MAX_FILTER_CHARS = 256
const MAX_NOTE_CHARS = 2000
export const FILTER_MEMBERS = ['role', 'city', 'state', 'certification'] as const

type Limits = Readonly<MatrixConfig>

const names = (description: string) => ({ type: 'string', minLength: 1, maxLength: MAX_NAME_CHARS, description }) as const
const id = { type: 'string', minLength: 1, maxLength: MAX_ID_CHARS, description: 'A worker (item) id.' } as const

function query(config: Limits, description: string) {
  // `\S` (a non-whitespace character) refuses '' too: a query of only whitespace normalises to
  // nothing (query-text.ts), so an empty and a blank query are one mistake, reason `pattern`.
  return { type: 'string', maxLength: config.maxQueryChars, pattern: '\\S', description } as const
}

const FILTERS = {
  type: 'object',
  additionalProperties: false,
  description: 'Structured filters on the corpus metadata; every one given must match.',
  properties: {
    role: { type: 'string', minLength: 1, maxLength: MAX_FILTER_CHARS, description: "Equality with the item's role, case-insensitive." },
    city: { type: 'string', minLength: 1, maxLength: MAX_FILTER_CHARS, description: "Equality with the item's city, case-insensitive." },
    state: { type: 'string', minLength: 1, maxLength: MAX_FILTER_CHARS, description: "Equality with the item's state, case-insensitive." },
    certification: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_FILTER_CHARS,
      description: "Membership in the item's certifications.",
    },
  },
} as const

/** `POST /v1/matrix/search` (and `search()`). */
export function searchRequestSchema(config: Limits): BodySchema {
  return {
    type: 'object',
    required: ['query'],
    additionalProperties: false,
    properties: {
      query: query(config, `What to search for, 1..maxQueryChars (${config.maxQueryChars}) characters, not only whitespace.`),
      corpora: {
        type: 'array',
        minItems: 1,
        maxItems: config.maxCorpora,
        items: names('A vector index name.'),
        description: `Corpora (vector indexes) to search, 1..maxCorpora (${config.maxCorpora}); default ${config.defaultCorpora.join(', ')}.`,
      },
      k: {
        type: 'integer',
        minimum: 1,
        maximum: config.maxK,
        description: `Results to return, 1..maxK (${config.maxK}); default ${config.defaultK}.`,
      },
      min_score: { type: 'number', description: `Results scoring below this are dropped; default ${config.minScore}.` },
      filters: FILTERS,
      exclude_ids: {
        type: 'array',
        maxItems: config.maxExcludeIds,
        items: id,
        description: `Ids never returned, at most maxExcludeIds (${config.maxExcludeIds}).`,
      },
      use_playbook: { type: 'boolean', description: 'Boost workers that similar past playbook records name; default false.' },
    },
  }
}

function recordItemSchema(config: Limits): BodySchema {
  return {
    type: 'object',
    required: ['query', 'worker_ids', 'outcome'],
    additionalProperties: false,
    properties: {
      query: query(config, 'The query the workers were placed for (normalised like a search).'),
      worker_ids: {
        type: 'array',
        minItems: 1,
        maxItems: config.maxWorkerIds,
        items: id,
        description: `The workers, 1..maxWorkerIds (${config.maxWorkerIds}).`,
      },
      outcome: { enum: [...PLAYBOOK_OUTCOMES], description: 'Whether the placement worked.' },
      corpus: names(`The corpus the worker ids belong to; default ${config.defaultCorpora[0]}.`),
      note: { type: 'string', minLength: 1, maxLength: MAX_NOTE_CHARS, description: 'Free text kept with the record.' },
    },
  }
}

function recordBulkSchema(config: Limits): BodySchema {
  return {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: config.maxRecordItems,
        items: recordItemSchema(config),
        description: `Records, 1..maxRecordItems (${config.maxRecordItems}).`,
      },
    },
  }
}

export interface WireSearch {
  readonly query: string
  readonly corpora?: string[]
  readonly k?: number
  readonly min_score?: number
  readonly filters?: Partial<Record<(typeof FILTER_MEMBERS)[number], string>>
  readonly exclude_ids?: string[]
  readonly use_playbook?: boolean
}

export interface WireRecord {
  readonly query: string
  readonly worker_ids: string[]
  readonly outcome: PlaybookOutcome
  readonly corpus?: string
  readonly note?: string
}

export interface BodyChecks {
  readonly search: BodyCheck<WireSearch>
  readonly recordItem: BodyCheck<WireRecord>
  /** `POST /v1/matrix/playbooks/record`: one record, or `{items: [record, …]}` (a record has no `items`). */
  readonly record: BodyForms<WireRecord, { items: WireRecord[] }>
  /** `record([...])` in process: the items as a list, fields `$[i]`. */
  readonly recordList: BodyCheck<WireRecord[]>
}

const compiled = new WeakMap<Limits, BodyChecks>()

/** Compiled once per resolved config; the service calls it at creation. */
export function bodyChecksFor(config: Limits): BodyChecks {
  let checks = compiled.get(config)
  if (checks === undefined) {
    const item = recordItemSchema(config)
    checks = {
      search: compileBodySchema(searchRequestSchema(config)),
      recordItem: compileBodySchema(item),
      record: compileBodyForms('items', recordBulkSchema(config), item),
      recordList: compileBodySchema({ type: 'array', minItems: 1, maxItems: config.maxRecordItems, items: item }),
    }
    compiled.set(config, checks)
  }
  return checks
}
