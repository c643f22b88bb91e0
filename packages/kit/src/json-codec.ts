/**
 * The one JSON codec (DESIGN.md §4). Nothing else calls JSON.stringify on values that may
 * hold BigInt, decimals or temporal values: JSON.stringify throws on BigInt and would silently
 * round integers beyond 2^53.
 *
 *  - bigint within ±(2^53−1) → number; beyond → decimal string
 *  - Decimal / HugeInt (exact numeric text) → string
 *  - CalendarDate → "YYYY-MM-DD"
 *  - Date → ISO-8601 UTC with "Z"
 *  - non-finite numbers → null (as JSON.stringify), documented rather than thrown
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)

/** An exact decimal kept as its text, e.g. a DuckDB DECIMAL(38,10) or HUGEINT. */
export class Decimal {
  readonly text: string
  constructor(text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new TypeError(`not a decimal literal: ${text}`)
    this.text = text
  }
  toJSON(): string {
    return this.text
  }
}

/** A date without a time zone (SQL DATE). */
export class CalendarDate {
  readonly text: string
  constructor(text: string) {
    if (!/^-?\d{4,}-\d{2}-\d{2}$/.test(text)) throw new TypeError(`not a YYYY-MM-DD date: ${text}`)
    this.text = text
  }
  toJSON(): string {
    return this.text
  }
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  // Date.prototype.toJSON has already run by the time the replacer sees a Date value,
  // so only bigint needs handling here; Decimal and CalendarDate carry their own toJSON.
  if (typeof value === 'bigint') {
    return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString()
  }
  return value
}

/**
 * Most bodies hold no BigInt, and V8 stringifies at about half speed with a replacer function
 * (issue 13: a few percent of a small JSON answer on Node), so the plain pass goes first and a
 * BigInt — the TypeError it raises — sends the value through the replacer. A body whose first
 * BigInt sits late in a large value is walked twice; query rows carry theirs in the first row.
 */
export function encodeJson(value: unknown, space?: number): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value, undefined, space)
  } catch (err) {
    if (!(err instanceof TypeError)) throw err
    text = JSON.stringify(value, replacer, space)
  }
  // JSON.stringify returns undefined for undefined/functions at the top level; the wire never does.
  return text === undefined ? 'null' : text
}

/** Maps a BigInt the same way the encoder does, for callers that build plain objects. */
export function jsonSafeInteger(value: bigint): number | string {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString()
}
