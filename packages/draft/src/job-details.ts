import { singleLine } from './text.ts'
import type { JobSpec } from './types.ts'

/** A job's text, single-lined, with the start date and pay rendered once for every composer. */
export interface JobFacts {
  readonly title: string
  readonly site: string
  /** Empty when not given, as are the other optional members. */
  readonly city: string
  /** "Monday, March 3, 2025" for an ISO date; the caller's text otherwise. */
  readonly startLong: string
  /** "Mon Mar 3" for an ISO date; the caller's text otherwise. */
  readonly startShort: string
  readonly shift: string
  readonly pay: string
  readonly contactName: string
  readonly contactPhone: string
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * `YYYY-MM-DD` → its weekday and date. Computed with Date.UTC on the date alone, never the
 * clock or the local zone, and named from our own tables rather than Intl, whose output
 * depends on the ICU build of each runtime. Anything else (an impossible date such as
 * 2025-02-30, a timestamp, "next Monday") is used as written.
 */
export function formatStart(start: string): { readonly long: string; readonly short: string } {
  const text = singleLine(start)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m === null) return { long: text, short: text }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { long: text, short: text }
  const weekday = DAYS[date.getUTCDay()] ?? ''
  const monthName = MONTHS[month - 1] ?? ''
  return { long: `${weekday}, ${monthName} ${day}, ${year}`, short: `${weekday.slice(0, 3)} ${monthName.slice(0, 3)} ${day}` }
}

/** A number is dollars per hour: 21 → "$21/hr", 21.5 → "$21.50/hr". Text is used as written. */
export function formatPay(pay: string | number | undefined): string {
  if (pay === undefined) return ''
  if (typeof pay === 'string') return singleLine(pay)
  return `$${Number.isInteger(pay) ? String(pay) : pay.toFixed(2)}/hr`
}

/** Trailing sentence punctuation would double up inside our sentences ("starts March 3.,"). */
function clause(text: string): string {
  return singleLine(text).replace(/[\s.,;:!?]+$/, '')
}

export function jobFacts(job: JobSpec): JobFacts {
  const start = formatStart(clause(job.start))
  return {
    title: clause(job.title),
    site: clause(job.site),
    city: clause(job.city ?? ''),
    startLong: start.long,
    startShort: start.short,
    shift: clause(job.shift ?? ''),
    pay: clause(formatPay(job.pay_rate)),
    contactName: clause(job.contact_name ?? ''),
    contactPhone: clause(job.contact_phone ?? ''),
  }
}
