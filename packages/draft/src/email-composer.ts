import type { OutreachFacts } from './outreach-facts.ts'
import { article, fitWithin, joinList, plural, upperFirst } from './text.ts'

/** The validator warns above 78 characters (RFC 5322 §2.1.1), so subjects aim below it. */
export const SUBJECT_TARGET = 78

const codePoints = (s: string): number => [...s].length

/**
 * The first of these that fits SUBJECT_TARGET: "<Title> at <site>, starting <Mon Mar 3>",
 * "<Title> at <site>", "<Title>"; else the title cut at a word boundary with "...".
 */
export function composeSubject(f: OutreachFacts): string {
  const { title, site, startShort } = f.job
  const offer = title === '' ? (site === '' ? 'New job opening' : 'New opening') : upperFirst(title)
  const at = site === '' ? '' : ` at ${site}`
  const candidates = [startShort === '' ? '' : `${offer}${at}, starting ${startShort}`, `${offer}${at}`, offer]
  for (const c of candidates) if (c !== '' && codePoints(c) <= SUBJECT_TARGET) return c
  return fitWithin(offer, SUBJECT_TARGET, codePoints)
}

function introduction(f: OutreachFacts): string {
  const { title, site, city, startLong } = f.job
  const offer = title === '' ? 'an opening' : `${article(title)} ${title} opening`
  const place = `${site === '' ? '' : ` at ${site}`}${city === '' ? '' : ` in ${city}`}`
  const start = startLong === '' ? '' : `, starting ${startLong}`
  return `We have ${offer}${place}${start}, and we thought of you.`
}

/** Why this worker: experience, home city, skills, credentials — each sentence only when its facts exist. */
function fit(f: OutreachFacts): string {
  const sentences: string[] = []
  const years = f.years !== null && f.years > 0 ? `${plural(f.years, 'year', 'years')} of experience` : ''
  if (f.role !== '') sentences.push(`Your ${years === '' ? 'experience' : years} as ${article(f.role)} ${f.role} stood out to us.`)
  else if (years !== '') sentences.push(`Your ${years} stood out to us.`)
  if (f.workerCity !== '' && f.workerCity.toLowerCase() === f.job.city.toLowerCase()) {
    sentences.push(`The job is right in ${f.job.city}, where you are based.`)
  }
  if (f.skills.length > 0) sentences.push(`Your skills in ${joinList(f.skills)} are a great match for this role.`)
  if (f.certifications.length === 1) sentences.push(`Your credential (${f.certifications[0]}) is a plus here.`)
  if (f.certifications.length > 1) sentences.push(`Your credentials (${joinList(f.certifications)}) are a plus here.`)
  return sentences.join(' ')
}

function details(f: OutreachFacts): string {
  const { title, site, city, startLong, shift, pay } = f.job
  const where = [site, city].filter((s) => s !== '').join(', ')
  const lines = [
    title === '' ? '' : `- Position: ${title}`,
    where === '' ? '' : `- Location: ${where}`,
    startLong === '' ? '' : `- Start: ${startLong}`,
    shift === '' ? '' : `- Shift: ${shift}`,
    pay === '' ? '' : `- Pay: ${pay}`,
  ].filter((l) => l !== '')
  return lines.length === 0 ? '' : ['Here are the details:', ...lines].join('\n')
}

function reply(f: OutreachFacts): string {
  const { contactName, contactPhone } = f.job
  const call = contactPhone === '' ? '' : ` or call ${contactName === '' ? 'us' : contactName} at ${contactPhone}`
  return (
    `If you are interested, reply to this email${call} and we will confirm the details. ` +
    'If the timing does not work for you, just let us know and we will keep you in mind for future openings.'
  )
}

/** Greeting, introduction, fit, details, how to reply, sign-off: paragraphs split by a blank line. */
export function composeEmailBody(f: OutreachFacts): string {
  const greeting = f.firstName === '' ? 'Hello,' : `Hi ${f.firstName},`
  const signOff = `Thank you,\n${f.job.contactName === '' ? 'The staffing team' : f.job.contactName}`
  return [greeting, [introduction(f), fit(f)].filter((s) => s !== '').join(' '), details(f), reply(f), signOff]
    .filter((p) => p !== '')
    .join('\n\n')
}

export function composeEmail(f: OutreachFacts): { readonly subject: string; readonly body: string } {
  return { subject: composeSubject(f), body: composeEmailBody(f) }
}
