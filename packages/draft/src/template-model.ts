import type { ChatMessage } from '@lakehouse/providers'
import { composeEmail } from './email-composer.ts'
import { outreachFacts } from './outreach-facts.ts'
import { extractPromptFacts } from './prompt-facts.ts'
import { composeSms } from './sms-composer.ts'

/**
 * The built-in chat models. Both are pure functions of the messages: no clock, no randomness,
 * no provider; `temperature` and `max_tokens` are ignored.
 *
 * `local/echo` answers with the last user message, unchanged ('' when there is none).
 *
 * `local/template` reads the last user message. If it asks for outreach (see `wantsOutreach`)
 * it extracts the facts (prompt-facts.ts) and writes the message with the same composers the
 * `/v1/draft` routes use: an email as `Subject: <subject>`, a blank line and the body; an SMS
 * as one GSM-7 text within 160 characters. The channel is a `channel:` line if present, else
 * email if the prompt says email, else SMS if it says sms or text, else email. Any other prompt, or none, gets TEMPLATE_HELP.
 */

export const TEMPLATE_HELP =
  'I am the built-in template model (local/template). I draft short recruiting outreach without calling a language model. ' +
  'Ask me to draft an email or a text message, for example: "Draft an email to Maria about a forklift operator shift at ' +
  'Acme Logistics in Dallas starting 2025-03-03, $19/hr." You can also give the details as lines such as ' +
  '"title: forklift operator", "site: Acme Logistics", "start: 2025-03-03", "pay: $19/hr" or "channel: sms".'

function lastUserMessage(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m?.role === 'user') return m.content
  }
  return undefined
}

/**
 * A verb of writing next to a kind of message ("draft an email"), a prompt that opens with a
 * message verb ("Text Wei about…", "Email Maria…"), or an explicit outreach phrase.
 */
export function wantsOutreach(prompt: string): boolean {
  const verb = /\b(?:draft|write|compose|prepare|create|send)\b/i.test(prompt)
  const noun = /\b(?:email|e-mail|mail|message|note|sms|text|invitation|invite)\b/i.test(prompt)
  const opener = /^\s*(?:please\s+)?(?:text|sms|email|e-mail|message|invite)\b/i.test(prompt)
  return (verb && noun) || opener || /\b(?:outreach|reach out)\b/i.test(prompt)
}

const wantsSms = (prompt: string): boolean => /\b(?:sms|texts?|text message)\b/i.test(prompt)

export function templateReply(messages: readonly ChatMessage[]): string {
  const prompt = lastUserMessage(messages)
  if (prompt === undefined || !wantsOutreach(prompt)) return TEMPLATE_HELP
  const p = extractPromptFacts(prompt)
  const facts = outreachFacts(
    {
      worker_id: '',
      name: p.name,
      email: '',
      phone: '',
      role: p.role,
      city: '',
      state: '',
      skills: p.skills,
      certifications: p.certifications,
      years_experience: p.years,
    },
    {
      title: p.title,
      site: p.site,
      city: p.city,
      start: p.start,
      shift: p.shift,
      pay_rate: p.pay,
      contact_name: p.contactName,
      contact_phone: p.contactPhone,
    },
  )
  const channel = p.channel !== '' ? p.channel : /\be-?mail\b/i.test(prompt) || !wantsSms(prompt) ? 'email' : 'sms'
  if (channel === 'sms') return composeSms(facts)
  const { subject, body } = composeEmail(facts)
  return `Subject: ${subject}\n\n${body}`
}

export function echoReply(messages: readonly ChatMessage[]): string {
  return lastUserMessage(messages) ?? ''
}
