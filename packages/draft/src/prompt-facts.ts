import { singleLine } from './text.ts'

/**
 * What the built-in template model reads out of a chat prompt. Two sources, in this order of
 * precedence: `key: value` lines (one fact per line, keys in LINE_KEYS), then a few fixed
 * phrases in the running text (see `fromSentence`). Unknown text is ignored; nothing is guessed.
 */
export interface PromptFacts {
  channel: 'email' | 'sms' | ''
  name: string
  role: string
  years: number | null
  skills: string[]
  certifications: string[]
  title: string
  site: string
  city: string
  start: string
  shift: string
  pay: string
  contactName: string
  contactPhone: string
}

type TextKey = Exclude<keyof PromptFacts, 'years' | 'skills' | 'certifications' | 'channel'>
type LineTarget = TextKey | 'years' | 'skills' | 'certifications' | 'channel'

/** Accepted line keys (case-insensitive, spaces or hyphens read as underscores) → the fact they set. */
export const LINE_KEYS: Readonly<Record<string, LineTarget>> = {
  channel: 'channel',
  name: 'name',
  worker: 'name',
  worker_name: 'name',
  first_name: 'name',
  recipient: 'name',
  role: 'role',
  worker_role: 'role',
  trade: 'role',
  years: 'years',
  years_experience: 'years',
  experience: 'years',
  skills: 'skills',
  certifications: 'certifications',
  certs: 'certifications',
  credentials: 'certifications',
  title: 'title',
  job: 'title',
  job_title: 'title',
  position: 'title',
  site: 'site',
  company: 'site',
  employer: 'site',
  location: 'site',
  facility: 'site',
  city: 'city',
  start: 'start',
  start_date: 'start',
  starts: 'start',
  date: 'start',
  shift: 'shift',
  hours: 'shift',
  pay: 'pay',
  pay_rate: 'pay',
  rate: 'pay',
  wage: 'pay',
  contact: 'contactName',
  contact_name: 'contactName',
  recruiter: 'contactName',
  signature: 'contactName',
  phone: 'contactPhone',
  contact_phone: 'contactPhone',
  callback: 'contactPhone',
}

const LINE = /^\s*(?:[-*]\s*)?([A-Za-z][A-Za-z _-]{0,30}?)\s*:\s*(.*?)\s*$/
const CAPITALISED_RUN = "[A-Z][\\w&'.-]*(?: [A-Z][\\w&'.-]*)*"
const CALENDAR_WORDS = new Set(
  'january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday'.split(
    ' ',
  ),
)

export function emptyFacts(): PromptFacts {
  return {
    channel: '',
    name: '',
    role: '',
    years: null,
    skills: [],
    certifications: [],
    title: '',
    site: '',
    city: '',
    start: '',
    shift: '',
    pay: '',
    contactName: '',
    contactPhone: '',
  }
}

function setFromLine(facts: PromptFacts, target: LineTarget, value: string): void {
  if (value === '') return
  if (target === 'years') {
    const m = /\d{1,2}/.exec(value)
    if (m !== null) facts.years = Number(m[0])
  } else if (target === 'skills' || target === 'certifications') {
    facts[target] = value
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
  } else if (target === 'channel') {
    const v = value.toLowerCase()
    facts.channel = v.includes('sms') || v.includes('text') ? 'sms' : v.includes('mail') ? 'email' : ''
  } else facts[target] = value
}

const first = (re: RegExp, text: string): string => re.exec(text)?.[1]?.trim() ?? ''

/**
 * Fixed phrases of the running text (first match wins):
 * name `to <Capitalised>`, else `<Text|SMS|Email|Message|Invite> <Capitalised>` opening the prompt; title `for|about a|an|the <words> role|position|job|opening`, else the
 * same ending in `shift` (a shift phrase found inside the title is taken out of it);
 * site `at <Capitalised Words>`; city `in <Capitalised Words>` (not a month or weekday);
 * start `starting|starts|start date|beginning [on|is] <text up to , ; . ! ?>`;
 * shift `<day|night|evening|overnight|morning|afternoon|weekend|swing|graveyard|first|second|third|1st|2nd|3rd> shift`;
 * pay `$<amount>[/hr | per hour | an hour]`; phone the first 10-digit North American number;
 * years `<n> years`; contact `sign(ed) [it] as <Name>`.
 */
function fromSentence(text: string): Partial<PromptFacts> {
  const city = first(new RegExp(`\\bin (${CAPITALISED_RUN})`), text)
  const years = /\b(\d{1,2})\+? years?\b/i.exec(text)?.[1]
  return {
    name:
      first(/\bto ([A-Z][A-Za-z'-]+)/, text) ||
      first(/^(?:[Pp]lease )?(?:[Tt]ext|SMS|[Ee]-?mail|[Mm]essage|[Ii]nvite) ([A-Z][A-Za-z'-]+)/, text),
    title:
      first(/\b(?:for|about) (?:a|an|the) ([A-Za-z][\w &/-]*?) (?:role|position|job|opening)s?\b/i, text) ||
      first(/\b(?:for|about) (?:a|an|the) ([A-Za-z][\w &/-]*?) shifts?\b/i, text),
    site: first(new RegExp(`\\bat (${CAPITALISED_RUN})`), text),
    city: CALENDAR_WORDS.has(city.split(' ')[0]?.toLowerCase() ?? '') ? '' : city,
    start: first(/\b(?:starting|starts|start date|beginning)(?: on| is|:)? ([^,;.!?]+)/i, text),
    shift: first(
      /\b((?:day|night|evening|overnight|morning|afternoon|weekend|swing|graveyard|first|second|third|1st|2nd|3rd)[ -]shift)\b/i,
      text,
    ),
    pay: first(/(\$\s?\d+(?:\.\d{1,2})?(?:\s*(?:\/\s*(?:hr|hour|h)|per hour|an hour))?)/i, text),
    contactPhone: first(/((?:\+1[ -]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4})(?!\d)/, text),
    contactName: first(/\b[Ss]ign(?:ed)?(?: it)? as ([A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+)?)/, text),
    years: years === undefined ? null : Number(years),
  }
}

/** Facts of one prompt. Pure: the same text always gives the same facts. */
export function extractPromptFacts(prompt: string): PromptFacts {
  const facts = emptyFacts()
  const fromLines = new Set<LineTarget>()
  const prose: string[] = []
  for (const line of prompt.split(/\r?\n/)) {
    const m = LINE.exec(line)
    const target = m === null ? undefined : LINE_KEYS[(m[1] ?? '').toLowerCase().replace(/[ -]/g, '_')]
    if (m === null || target === undefined) {
      prose.push(line)
      continue
    }
    setFromLine(facts, target, singleLine(m[2] ?? ''))
    fromLines.add(target)
  }
  const sentence = fromSentence(singleLine(prose.join(' ')))
  for (const [key, value] of Object.entries(sentence) as [keyof PromptFacts, unknown][]) {
    if (fromLines.has(key as LineTarget) || value === '' || value === null) continue
    Object.assign(facts, { [key]: value })
  }
  // "a night shift welder job" names the shift inside the title; say it once.
  const at = facts.shift === '' ? -1 : facts.title.toLowerCase().indexOf(facts.shift.toLowerCase())
  if (at >= 0 && !fromLines.has('title')) facts.title = singleLine(facts.title.slice(0, at) + facts.title.slice(at + facts.shift.length))
  return facts
}
