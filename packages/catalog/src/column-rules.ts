/**
 * What makes a column list registrable, for everything that produces one: the register schema
 * (register-input.ts) checks it, and ingest checks a CSV header against the same rules before
 * it writes anything, so a header ingest accepts is a schema the catalog registers.
 */

/** Most columns a manifest may list unless configured (`CatalogConfig.maxColumns`). */
export const DEFAULT_MAX_COLUMNS = 4096
/** The highest `maxColumns` a configuration may set. */
export const MAX_COLUMNS_CEILING = 100_000

/** Longest column name, in code points (JSON Schema's maxLength counts code points). */
export const MAX_COLUMN_NAME_CHARS = 1024
/** Longest column type name, in code points. */
export const MAX_COLUMN_TYPE_CHARS = 128

/**
 * C0 controls and DEL, as the body of a character class (JSON Schema patterns and RegExp
 * alike): 0x1e/0x1f would break the fingerprint's framing, CR/LF/TAB/NUL in an SQL column
 * name only cause grief downstream, and none has any business in a type or a storage key.
 */
export const CONTROL_CHARACTERS = '\\u0000-\\u001f\\u007f'
const CONTROL = new RegExp(`[${CONTROL_CHARACTERS}]`)

export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text)
}

/** A column name's length as the register schema counts it: code points, not UTF-16 units. */
export function columnNameLength(name: string): number {
  let n = 0
  for (const _ of name) n++
  return n
}
