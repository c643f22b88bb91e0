import { createHash } from 'node:crypto'
import type { ColumnSpec } from './types.ts'

// ASCII unit and record separators (DESIGN.md §5): unlike commas or colons they do not occur
// in CSV headers or type names, so `a,b` as one column cannot hash like columns `a` and `b`.
const UNIT_SEPARATOR = '\x1f'
const RECORD_SEPARATOR = '\x1e'

/**
 * The schema fingerprint: SHA-256 hex over the `(name, type)` pairs in header order, name and
 * type joined by 0x1f, pairs joined by 0x1e, UTF-8 encoded. Nullability is deliberately not
 * part of it (a column gaining nulls is not a schema change). Names or types that themselves
 * contain 0x1e/0x1f could collide, so the catalog refuses control characters in both (see
 * register-input.ts) and ingest should refuse such headers before calling this.
 */
export function fingerprintSchema(columns: readonly ColumnSpec[]): string {
  const text = columns.map((c) => c.name + UNIT_SEPARATOR + c.type).join(RECORD_SEPARATOR)
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
