import type { Metadata } from '@lakehouse/vector'

/** Structured search filters; each maps onto a metadata filter of the vector indexes (see filters.ts). */
export interface MatrixFilters {
  /** Equality with the item's `role`, case-insensitive. */
  readonly role?: string
  /** Equality with the item's `city`, case-insensitive. */
  readonly city?: string
  /** Equality with the item's `state`, case-insensitive. */
  readonly state?: string
  /** Membership in the item's `certifications` array. */
  readonly certification?: string
}

/** `POST /v1/matrix/search` body; `search()` takes the same object, member names as on the wire. */
export interface MatrixSearchInput {
  readonly query: string
  readonly corpora?: readonly string[]
  readonly k?: number
  readonly min_score?: number
  readonly filters?: MatrixFilters
  readonly exclude_ids?: readonly string[]
  readonly use_playbook?: boolean
}

export const PLAYBOOK_OUTCOMES = ['success', 'failure'] as const
export type PlaybookOutcome = (typeof PLAYBOOK_OUTCOMES)[number]

/** A past playbook record that moved a result: its query and how similar it is to this one. */
export interface PlaybookMatch {
  readonly query: string
  readonly similarity: number
  readonly outcome: PlaybookOutcome
}

export interface PlaybookMark {
  /** Added to the corpus score (negative when failures outweigh successes). */
  readonly boost: number
  /** The most similar records behind the boost, at most three. */
  readonly matched: readonly PlaybookMatch[]
}

export interface MatrixResult {
  readonly id: string
  readonly corpus: string
  /** Corpus similarity plus the playbook boost, rounded to 6 decimals. */
  readonly score: number
  readonly metadata: Metadata
  /** Present only on a `use_playbook` search, for results that similar past records name. */
  readonly playbook?: PlaybookMark
}

export interface MatrixSearchResponse {
  /** The query as searched: NFC, trimmed, whitespace runs collapsed, lower-cased. */
  readonly query: string
  readonly results: readonly MatrixResult[]
  readonly count: number
}

/** One `POST /v1/matrix/playbooks/record` item; `record()` takes one or an array of these. */
export interface PlaybookRecordInput {
  readonly query: string
  readonly worker_ids: readonly string[]
  readonly outcome: PlaybookOutcome
  /** The corpus the worker ids belong to; default the first default corpus (`workers`). */
  readonly corpus?: string
  readonly note?: string
}

export interface PlaybookRecordResponse {
  readonly recorded: number
}
