import { type Check, configError, HTTP_LIMIT_CHECKS, type HttpLimits, intBetween, resolveWith } from '@lakehouse/kit'

export interface MatrixConfig extends HttpLimits {
  /** Corpora (vector index names) searched when a request names none. */
  readonly defaultCorpora: readonly string[]
  /** Results per search when `k` is absent. */
  readonly defaultK: number
  /** Largest `k` a request may ask for. */
  readonly maxK: number
  /** Relevance floor applied when a request has no `min_score`: results scoring below it are dropped. */
  readonly minScore: number
  /** Longest query accepted, in code points (as the body schema's maxLength counts). */
  readonly maxQueryChars: number
  /** Most corpora one search may name. */
  readonly maxCorpora: number
  /** Most `exclude_ids` one search may carry. */
  readonly maxExcludeIds: number
  /** Each corpus is asked for `k × overFetch` hits before the merge, for the recall of approximate (HNSW) search. */
  readonly overFetch: number
  /** Each corpus is asked for `k × playbookCandidates` hits when playbooks are used, so a boosted id below the first page can rise. */
  readonly playbookCandidates: number
  /** Cap on hits asked of one corpus, whatever `k` and the factors give. */
  readonly maxFetch: number
  /** Result-cache entries kept (least recently used evicted first); 0 turns the cache off. */
  readonly cacheEntries: number
  /** How long a cached answer may be served, in ms; 0 turns the cache off. */
  readonly cacheTtlMs: number
  /** The vector index that stores playbook records; created at start when missing. */
  readonly playbookIndex: string
  /** Past playbook records consulted per search. */
  readonly playbookK: number
  /** A record counts only when its query's cosine similarity to the search query is at least this. */
  readonly playbookSimilarity: number
  /** Boost per `success` record: similarity × this. */
  readonly playbookWeight: number
  /** Penalty per `failure` record: similarity × this (0 ignores failures). */
  readonly playbookFailureWeight: number
  /** A worker's total boost is clamped to [−maxBoost, +maxBoost]. */
  readonly maxBoost: number
  /** Most items in one bulk `playbooks/record`. */
  readonly maxRecordItems: number
  /** Most worker ids in one playbook record. */
  readonly maxWorkerIds: number
}

/**
 * Defaults. The numbers behind minScore, playbookSimilarity and the boost weights were chosen
 * against the built-in `local/lexical-384` model over the generated corpus; docs/matrix.md
 * ("Playbooks", "Quality") shows the measurements.
 */
export const matrixDefaults: MatrixConfig = Object.freeze({
  defaultCorpora: Object.freeze(['workers']),
  defaultK: 10,
  maxK: 100,
  minScore: 0,
  maxQueryChars: 2000,
  maxCorpora: 16,
  maxExcludeIds: 10_000,
  overFetch: 2,
  playbookCandidates: 3,
  maxFetch: 1000,
  cacheEntries: 1000,
  cacheTtlMs: 60_000,
  playbookIndex: 'playbooks',
  playbookK: 20,
  playbookSimilarity: 0.5,
  playbookWeight: 0.1,
  playbookFailureWeight: 0.05,
  maxBoost: 0.25,
  maxRecordItems: 1000,
  maxWorkerIds: 100,
  maxBodyBytes: 4 * 1024 * 1024,
  maxJsonDepth: 64,
})

const MAX_NAME_CHARS = 128

const numberBetween =
  (min: number, max: number): Check<number> =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? undefined : `must be a number in ${min}..${max}, got ${String(v)}`

const indexName: Check<string> = (v) =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME_CHARS ? undefined : `must be a name of 1..${MAX_NAME_CHARS} characters`

export function resolveMatrixConfig(input?: Partial<MatrixConfig>): Readonly<MatrixConfig> {
  const resolved = resolveWith(
    matrixDefaults,
    input,
    {
      defaultCorpora: (v) =>
        Array.isArray(v) && v.length > 0 && v.every((name) => indexName(name) === undefined)
          ? undefined
          : `must be a non-empty list of index names of 1..${MAX_NAME_CHARS} characters`,
      defaultK: intBetween(1, 10_000),
      maxK: intBetween(1, 10_000),
      // Scores are cosine similarities for `cos` indexes but inner products or −distances otherwise.
      minScore: numberBetween(-1e9, 1e9),
      maxQueryChars: intBetween(1, 1_000_000),
      maxCorpora: intBetween(1, 1000),
      maxExcludeIds: intBetween(0, 1_000_000),
      overFetch: intBetween(1, 100),
      playbookCandidates: intBetween(1, 100),
      maxFetch: intBetween(1, 100_000),
      cacheEntries: intBetween(0, 10_000_000),
      cacheTtlMs: intBetween(0, 86_400_000),
      playbookIndex: indexName,
      playbookK: intBetween(1, 10_000),
      playbookSimilarity: numberBetween(-1, 1),
      playbookWeight: numberBetween(0, 10),
      playbookFailureWeight: numberBetween(0, 10),
      maxBoost: numberBetween(0, 10),
      maxRecordItems: intBetween(1, 1_000_000),
      maxWorkerIds: intBetween(1, 100_000),
      ...HTTP_LIMIT_CHECKS,
    },
    'matrix.',
  )
  // Cross-key rules resolveWith cannot express per key.
  if (resolved.defaultK > resolved.maxK) configError('matrix.defaultK', `must not exceed maxK (${resolved.maxK})`)
  if (resolved.defaultCorpora.includes(resolved.playbookIndex)) {
    configError('matrix.defaultCorpora', `must not include the playbook index ${resolved.playbookIndex}`)
  }
  return Object.freeze({ ...resolved, defaultCorpora: Object.freeze([...resolved.defaultCorpora]) })
}
