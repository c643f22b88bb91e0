import type { ChatMessage } from '@lakehouse/providers'
import { normalizePunctuation } from './gsm-text.ts'
import type { OutreachFacts } from './outreach-facts.ts'
import { joinList, singleLine } from './text.ts'

/**
 * What a provider model is asked when it drafts a body, and how its answer is tidied. The
 * subject line is never delegated: it is composed locally, so only the body can fail
 * validation. The answer is validated like any draft; these rules only make failure rare.
 */

export const DRAFT_SYSTEM_PROMPT =
  'You write recruiting outreach for a staffing agency. Reply with the message text only: no subject line, no preamble, ' +
  'no quotation marks around it, no markdown. Use only the facts provided and never invent pay, dates, addresses or ' +
  'contact details. Never write placeholders or template variables such as {{name}} or [Name], and never include ' +
  'Social Security numbers or any other personal identifiers.'

function factLines(f: OutreachFacts): string {
  const worker = [
    ['First name', f.firstName],
    ['Current role', f.role],
    ['Years of experience', f.years === null ? '' : String(f.years)],
    ['Based in', f.workerCity],
    ['Relevant skills', joinList(f.skills)],
    ['Credentials', joinList(f.certifications)],
  ]
  const j = f.job
  const job = [
    ['Title', j.title],
    ['Site', j.site],
    ['City', j.city],
    ['Start', j.startLong],
    ['Shift', j.shift],
    ['Pay', j.pay],
    ['Recruiter', j.contactName],
    ['Recruiter phone', j.contactPhone],
  ]
  const list = (rows: string[][]) =>
    rows
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `- ${k}: ${v}`)
      .join('\n')
  return `Worker:\n${list(worker)}\n\nJob:\n${list(job)}`
}

export function emailPrompt(f: OutreachFacts): ChatMessage[] {
  const { contactName, contactPhone } = f.job
  const call = contactPhone === '' ? '' : ` or call ${contactName === '' ? 'us' : contactName} at ${contactPhone}`
  const signer = contactName === '' ? 'The staffing team' : contactName
  const ask =
    'Write the body of a short, friendly, professional email (at most 150 words) inviting this worker to the job below. ' +
    `Greet them by first name, say briefly why their experience fits, give the job details, ask them to reply to this email${call}, ` +
    `and sign it "${signer}".`
  return [
    { role: 'system', content: DRAFT_SYSTEM_PROMPT },
    { role: 'user', content: `${ask}\n\n${factLines(f)}` },
  ]
}

export function smsPrompt(f: OutreachFacts): ChatMessage[] {
  const ask =
    'Write one SMS text message of at most 150 characters, using plain ASCII only (no emoji, no curly quotes). ' +
    'Greet the worker by first name, name the job, the site and the start, and ask them to reply YES if interested.'
  return [
    { role: 'system', content: DRAFT_SYSTEM_PROMPT },
    { role: 'user', content: `${ask}\n\n${factLines(f)}` },
  ]
}

/** Trimmed; a leading `Subject:` line dropped, because models add one even when told not to. */
export function tidyEmailBody(content: string): string {
  return content
    .trim()
    .replace(/^subject:[^\n]*\n+/i, '')
    .trim()
}

/**
 * One line, typographic punctuation mapped to GSM-7 ('\u2019' → "'", '\u2014' → '-'). Nothing is cut and
 * nothing else is replaced: an answer that is too long or needs UCS-2 fails validation as written.
 */
export function tidySmsBody(content: string): string {
  return singleLine(normalizePunctuation(content))
}
