/**
 * The memory contract (DESIGN.md §5). Wire names are snake_case because they are the JSON API;
 * members are declared in the order they are serialised.
 */

export interface Trace {
  /** A random UUID (v4, lower case) given at creation. */
  readonly uid: string
  readonly content: string
  /** Sorted, unique, each matching TAG_PATTERN. */
  readonly tags: readonly string[]
  /** ISO-8601 UTC from the service clock; informational only (order is `seq`). */
  readonly created_at: string
  readonly updated_at: string
  /** The trace this one revises, or null. */
  readonly predecessor: string | null
  readonly retired: boolean
  /** How many times an Add with this trace's idempotency key was answered with it. */
  readonly replay_count: number
  /** 1 at creation, +1 per update of content or tags. */
  readonly rev: number
  /** Journal seq of the record that created the trace: the order of history. */
  readonly seq: number
}

export interface AddInput {
  readonly content: string
  readonly tags?: readonly string[]
  /** Idempotency key: an Add with a key already seen returns that trace (status existing). */
  readonly key?: string
}

export interface AddResult {
  /** created → 201; existing (key seen before) → 200 with replay_count incremented. */
  readonly status: 'created' | 'existing'
  readonly trace: Trace
}

export interface UpdateInput {
  readonly content?: string
  readonly tags?: readonly string[]
  /** When given, the update is refused (MEMORY_REV_CONFLICT) unless the trace is at this rev. */
  readonly expected_rev?: number
}

export interface ReviseInput {
  readonly content: string
  /** Defaults to the predecessor's tags. */
  readonly tags?: readonly string[]
}

export interface SearchInput {
  readonly text?: string
  readonly tags?: readonly string[]
  readonly limit?: number
  readonly include_retired?: boolean
}

export interface SearchHit {
  /** Share of the query's distinct word tokens found in the content (1 for a tags-only search). */
  readonly score: number
  readonly trace: Trace
}

export interface SearchResult {
  /** Best first: score descending, then newest (higher seq) first. */
  readonly items: SearchHit[]
  /** Matches before `limit` was applied. */
  readonly total: number
}

export interface HistoryResult {
  readonly uid: string
  /** The uid and its predecessors, oldest (lowest seq) first. */
  readonly chain: Trace[]
  /** True when a predecessor link points at a trace that does not exist. */
  readonly truncated: boolean
  /** The uid of that absent predecessor, or null. */
  readonly missing: string | null
}

export interface MemoryStats {
  /** Traces held, retired ones included. */
  readonly traces: number
  readonly retired: number
  /** Idempotency keys seen. */
  readonly keys: number
  /** Journal records that replay (or a live apply) could not fold: unknown kind or invalid data. */
  readonly skipped_records: number
  readonly journal: {
    readonly last_seq: number
    readonly replayed: number
    readonly corrupt_skipped: number
    readonly torn_tails: number
  }
}

/** The domain operations, shared by the HTTP routes and direct callers (observer workflows). */
export interface Memory {
  add(input: AddInput): Promise<AddResult>
  update(uid: string, input: UpdateInput): Promise<Trace>
  revise(predecessor: string, input: ReviseInput): Promise<Trace>
  /** Idempotent: retiring a retired trace returns it unchanged and writes nothing. */
  retire(uid: string): Promise<Trace>
  /** A copy; undefined when no trace has the uid. */
  get(uid: string): Trace | undefined
  history(uid: string): HistoryResult
  search(input: SearchInput): SearchResult
  stats(): MemoryStats
}
