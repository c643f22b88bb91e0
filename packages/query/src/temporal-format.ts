/**
 * DuckDB temporal values → text, computed from the integers DuckDB stores (days, µs, ms, s, ns
 * since the epoch) rather than through JS Date, which keeps only milliseconds and cannot
 * represent DuckDB's full range. Output is ISO-8601 with astronomical year numbering (year 0 is
 * 1 BC, as in ISO 8601 and JS); years outside 0000..9999 get more digits and negative years a
 * leading "-". The fraction appears only when non-zero and then with every digit the type
 * stores: 3 for TIMESTAMP_MS, 6 for TIMESTAMP/TIMESTAMPTZ/TIME, 9 for TIMESTAMP_NS/TIME_NS.
 */

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0')

function formatYear(year: number): string {
  return year < 0 ? `-${pad(-year, 4)}` : pad(year, 4)
}

/** Days since 1970-01-01 → "YYYY-MM-DD" (Howard Hinnant's civil_from_days, exact for any int32). */
export function formatDate(days: number): string {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${formatYear(year)}-${pad(month, 2)}-${pad(day, 2)}`
}

function fraction(units: bigint, digits: number): string {
  return units === 0n ? '' : `.${pad(units, digits)}`
}

/** Units since midnight → "HH:MM:SS[.fff…]"; 24:00:00 (allowed by DuckDB's TIME) stays 24:00:00. */
function formatClock(units: bigint, perSecond: bigint, digits: number): string {
  const seconds = units / perSecond
  const hh = seconds / 3600n
  const mm = (seconds / 60n) % 60n
  const ss = seconds % 60n
  return `${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}${fraction(units % perSecond, digits)}`
}

export const MICROS = { perSecond: 1_000_000n, digits: 6 } as const
export const MILLIS = { perSecond: 1_000n, digits: 3 } as const
export const SECONDS = { perSecond: 1n, digits: 0 } as const
export const NANOS = { perSecond: 1_000_000_000n, digits: 9 } as const

export interface TimeUnit {
  readonly perSecond: bigint
  readonly digits: number
}

/** Units since the epoch (UTC) → "YYYY-MM-DDTHH:MM:SS[.fff…]Z". */
export function formatTimestamp(units: bigint, unit: TimeUnit): string {
  const perDay = 86_400n * unit.perSecond
  let days = units / perDay
  let rest = units % perDay
  // BigInt division truncates toward zero; floor it so times before 1970 count back from midnight.
  if (rest < 0n) {
    days -= 1n
    rest += perDay
  }
  return `${formatDate(Number(days))}T${formatClock(rest, unit.perSecond, unit.digits)}Z`
}

/** Units since midnight → "HH:MM:SS[.fff…]". */
export function formatTime(units: bigint, unit: TimeUnit): string {
  return formatClock(units, unit.perSecond, unit.digits)
}

/** TIME WITH TIME ZONE: local time plus its offset, "HH:MM:SS[.ffffff]+HH:MM". */
export function formatTimeTz(micros: bigint, offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+'
  const abs = Math.abs(offsetSeconds)
  const seconds = abs % 60
  const offset = `${sign}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor(abs / 60) % 60, 2)}${seconds === 0 ? '' : `:${pad(seconds, 2)}`}`
  return `${formatClock(micros, MICROS.perSecond, MICROS.digits)}${offset}`
}
