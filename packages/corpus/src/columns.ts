/** The CSV header, in file order. Consumers (ingest, query tests) import this instead of retyping it. */
export const WORKER_COLUMNS = [
  'worker_id',
  'name',
  'email',
  'phone',
  'role',
  'city',
  'state',
  'skills',
  'certifications',
  'years_experience',
  'reliability_score',
  'resume_text',
] as const

export type WorkerColumn = (typeof WORKER_COLUMNS)[number]

/** Separator inside the multi-valued `skills` and `certifications` columns. */
export const LIST_SEPARATOR = '; '

/**
 * One generated worker. Keys are the column names so a row maps onto the CSV (and onto a
 * table built from it) without renaming. `skills` and `certifications` are kept as arrays
 * here and joined with LIST_SEPARATOR in the file.
 */
export interface WorkerRow {
  readonly worker_id: string
  readonly name: string
  readonly email: string
  readonly phone: string
  readonly role: string
  readonly city: string
  readonly state: string
  readonly skills: readonly string[]
  readonly certifications: readonly string[]
  /** Integer, 0–35. */
  readonly years_experience: number
  /** Two decimals in [0.50, 1.00]; always k/100 for an integer k, so it round-trips through the CSV text. */
  readonly reliability_score: number
  readonly resume_text: string
}
