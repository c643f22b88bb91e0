import { GSM7_SEGMENT_LIMIT } from '@lakehouse/validator'
import { septets, toGsmText } from './gsm-text.ts'
import type { OutreachFacts } from './outreach-facts.ts'
import { fitWithin, singleLine } from './text.ts'

/**
 * One SMS, GSM-7 only, at most `limit` septets (default 160, one segment):
 *
 *   Hi <first>, <title> at <site>[, <city>], starts <Mon Mar 3>[, <shift>][, <pay>].
 *   [Your <skill> experience fits.] Reply YES if interested[ or call <phone>].[ -<contact>]
 *
 * Every field is mapped to GSM-7 first (toGsmText). Then: fields longer than FIELD_CAPS are
 * shortened with "..." (a phone number, the skill and the signature are dropped instead, since a
 * cut number is worse than none); optional parts are dropped one at a time, always in
 * DROP_ORDER, until the text fits; the required fields are shortened further in SHORTEN_ORDER
 * down to a floor each; a last hard cut keeps the limit even for hostile input.
 */

type Optional = 'fit' | 'signature' | 'shift' | 'city' | 'call' | 'pay'

/** Least useful first: the fit line is nice to have, pay and a call-back number are what people act on. */
export const DROP_ORDER: readonly Optional[] = ['fit', 'signature', 'shift', 'city', 'call', 'pay']

type Shortenable = 'site' | 'title' | 'start' | 'name'

/** Longest free-text fields first; the floor keeps each one recognisable. */
export const SHORTEN_ORDER: readonly (readonly [Shortenable, number])[] = [
  ['site', 12],
  ['title', 12],
  ['start', 10],
  ['name', 6],
]

/** Septets a field may take before it is shortened; keeps one long field from crowding out the rest. */
export const FIELD_CAPS = { name: 20, title: 40, site: 40, city: 24, start: 24, shift: 24, pay: 24 } as const

/** Septets past which a field is left out rather than cut. */
export const DROP_CAPS = { fit: 30, phone: 20, contact: 24 } as const

const gsm = (text: string): string => singleLine(toGsmText(text))
const capped = (text: string, cap: number): string => fitWithin(text, cap, septets)
const orDrop = (text: string, cap: number): string => (septets(text) > cap ? '' : text)

interface SmsFields {
  name: string
  title: string
  site: string
  start: string
  readonly city: string
  readonly shift: string
  readonly pay: string
  readonly fit: string
  readonly phone: string
  readonly contact: string
}

function render(f: SmsFields, dropped: ReadonlySet<Optional>): string {
  const keep = (part: Optional, text: string) => (dropped.has(part) || text === '' ? '' : text)
  const offer =
    f.title === ''
      ? f.site === ''
        ? 'a new opening'
        : `work at ${f.site}`
      : f.site === ''
        ? `${f.title} opening`
        : `${f.title} at ${f.site}`
  const details = [
    offer,
    keep('city', f.city),
    f.start === '' ? '' : `starts ${f.start}`,
    keep('shift', f.shift),
    keep('pay', f.pay),
  ].filter((s) => s !== '')
  const fit = keep('fit', f.fit === '' ? '' : ` Your ${f.fit} experience fits.`)
  const call = keep('call', f.phone === '' ? '' : ` or call ${f.phone}`)
  const signature = keep('signature', f.contact === '' ? '' : ` -${f.contact}`)
  const greeting = f.name === '' ? 'Hi there,' : `Hi ${f.name},`
  const offerText = details.join(', ')
  // A field cut with "..." already ends the sentence; "...." would read as a typo.
  const stop = offerText.endsWith('...') ? '' : '.'
  return `${greeting} ${offerText}${stop}${fit} Reply YES if interested${call}.${signature}`
}

export function composeSms(facts: OutreachFacts, limit: number = GSM7_SEGMENT_LIMIT): string {
  const job = facts.job
  const f: SmsFields = {
    name: capped(gsm(facts.firstName), FIELD_CAPS.name),
    title: capped(gsm(job.title), FIELD_CAPS.title),
    site: capped(gsm(job.site), FIELD_CAPS.site),
    start: capped(gsm(job.startShort), FIELD_CAPS.start),
    city: capped(gsm(job.city), FIELD_CAPS.city),
    shift: capped(gsm(job.shift), FIELD_CAPS.shift),
    pay: capped(gsm(job.pay), FIELD_CAPS.pay),
    fit: orDrop(gsm(facts.skills[0] ?? facts.role), DROP_CAPS.fit),
    phone: orDrop(gsm(job.contactPhone), DROP_CAPS.phone),
    contact: orDrop(gsm(job.contactName), DROP_CAPS.contact),
  }
  const dropped = new Set<Optional>()
  let text = render(f, dropped)
  for (const part of DROP_ORDER) {
    if (septets(text) <= limit) return text
    dropped.add(part)
    text = render(f, dropped)
  }
  for (const [field, floor] of SHORTEN_ORDER) {
    const over = septets(text) - limit
    if (over <= 0) return text
    const current = septets(f[field])
    if (current <= floor) continue
    f[field] = fitWithin(f[field], Math.max(floor, current - over), septets)
    text = render(f, dropped)
  }
  return septets(text) <= limit ? text : fitWithin(text, limit, septets)
}
