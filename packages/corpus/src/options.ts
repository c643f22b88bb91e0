import { configError, intBetween } from '@lakehouse/kit'

export interface CorpusOptions {
  /** Data rows after the header. */
  readonly rows: number
  /** Any string; the same seed always yields the same bytes. */
  readonly seed: string
}

/** What callers may pass: a numeric seed is the same seed as its decimal string (42 ≡ "42"). */
export interface CorpusOptionsInput {
  readonly rows?: number
  readonly seed?: string | number
}

/** Ten million rows is ~6.5 GB of CSV; beyond that the caller almost certainly mistyped. */
export const MAX_CORPUS_ROWS = 10_000_000

/** 100k rows is the load-test default (DESIGN §8); scale runs ask for 500k. */
export const corpusDefaults: CorpusOptions = Object.freeze({ rows: 100_000, seed: 'lakehouse' })

/** Spreads defaults, validates, freezes; bad input throws kit's CONFIG_INVALID naming the key. */
export function resolveCorpusOptions(input?: CorpusOptionsInput): Readonly<CorpusOptions> {
  const rows = input?.rows ?? corpusDefaults.rows
  const rowsProblem = intBetween(0, MAX_CORPUS_ROWS)(rows)
  if (rowsProblem !== undefined) configError('corpus.rows', rowsProblem)
  const seed = input?.seed ?? corpusDefaults.seed
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    // Non-integer numbers would be seeded through their String() form, which is exact but
    // surprising (0.1 + 0.2 is not "0.3"); integers and strings cover every real use.
    configError('corpus.seed', `a numeric seed must be a safe integer, got ${String(seed)}`)
  }
  if (typeof seed !== 'number' && typeof seed !== 'string') configError('corpus.seed', `must be a string or an integer, got ${typeof seed}`)
  return Object.freeze({ rows, seed: String(seed) })
}
