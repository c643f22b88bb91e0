import type { WorkerProfile } from './types.ts'

/**
 * Rows reach the drafter from DuckDB (strings, bigint years, nulls) and from tests and
 * in-memory sources (arrays, numbers). One normaliser keeps the drafts identical whichever
 * source produced the row.
 */

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return ''
}

/** `"a; b;c"` or `['a', 'b']` → trimmed, non-empty items in their original order. */
export function splitList(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(text) : text(value).split(';')
  return items.map((s) => s.trim()).filter((s) => s !== '')
}

function years(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null
}

/**
 * A workers-dataset row by column name, as any source holds it; other columns are ignored.
 * Members are optional `unknown` rather than an index signature, so the corpus's `WorkerRow`
 * interface and DuckDB rows both fit.
 */
export interface WorkerRecord {
  readonly worker_id?: unknown
  readonly name?: unknown
  readonly email?: unknown
  readonly phone?: unknown
  readonly role?: unknown
  readonly city?: unknown
  readonly state?: unknown
  readonly skills?: unknown
  readonly certifications?: unknown
  readonly years_experience?: unknown
}

/** A row → WorkerProfile. Missing columns become empty values, not errors. */
export function toWorkerProfile(row: WorkerRecord): WorkerProfile {
  return {
    worker_id: text(row.worker_id),
    name: text(row.name),
    email: text(row.email),
    phone: text(row.phone),
    role: text(row.role),
    city: text(row.city),
    state: text(row.state),
    skills: splitList(row.skills),
    certifications: splitList(row.certifications),
    years_experience: years(row.years_experience),
  }
}
