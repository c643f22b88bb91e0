import { type Rng, sample } from './prng.ts'

/**
 * Resume text: 2–4 template sentences naming the worker's role, skills, certifications, years
 * and city, so full-text and semantic search have something real to match. The opening
 * sentence always holds "City, ST" (every resume carries a comma and is quoted in the CSV);
 * about one resume in six carries a double-quoted phrase and one in five a line break, so
 * every consumer of the file meets RFC 4180 quoting, doubled quotes and multi-line fields.
 */

export interface ResumeFacts {
  readonly role: string
  readonly city: string
  readonly state: string
  readonly years: number
  readonly setting: string
  readonly skills: readonly string[]
  readonly certifications: readonly string[]
}

/** Share of resumes with a double-quoted phrase. */
export const RESUME_QUOTE_RATE = 1 / 6
/** Share of resumes split over two lines. */
export const RESUME_NEWLINE_RATE = 1 / 5

const yearsPhrase = (years: number): string => (years === 0 ? 'less than a year' : years === 1 ? '1 year' : `${years} years`)

/** "a", "a and b", "a, b, and c" — the serial comma adds commas to every longer list. */
const prose = (items: readonly string[]): string =>
  items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`

// "an HVAC technician" is read letter by letter ("aitch"); CNA, CNC and CDL start with consonant sounds.
const article = (word: string): string => (/^(?:[aeiou]|HVAC)/.test(word) ? 'an' : 'a')

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

type Sentence = (f: ResumeFacts) => string

const INTROS: readonly Sentence[] = [
  (f) => `${capitalise(f.role)} with ${yearsPhrase(f.years)} of experience in ${f.setting}, based in ${f.city}, ${f.state}.`,
  (f) => `${f.city}, ${f.state}-based ${f.role} with ${yearsPhrase(f.years)} of hands-on work in ${f.setting}.`,
  (f) => `Dependable ${f.role} from ${f.city}, ${f.state}, bringing ${yearsPhrase(f.years)} in ${f.setting}.`,
  (f) => `Worked as ${article(f.role)} ${f.role} for ${yearsPhrase(f.years)}, mostly in ${f.setting} around ${f.city}, ${f.state}.`,
]

const SKILL_LINES: readonly Sentence[] = [
  (f) => `Skilled in ${prose(f.skills)}.`,
  (f) => `Core strengths include ${prose(f.skills)}.`,
  (f) => `Hands-on with ${prose(f.skills)}, and comfortable training new hires.`,
  (f) => `Day to day: ${f.skills.join(', ')}.`,
]

const CERT_LINES: readonly Sentence[] = [
  (f) => `Credentials include ${prose(f.certifications)}.`,
  (f) => `Current certifications: ${f.certifications.join(', ')}.`,
  (f) => `Certified (${f.certifications.join(', ')}) and up to date on safety training.`,
]

const PLAIN_EXTRAS: readonly Sentence[] = [
  () => 'Available for first, second, or overnight shifts, weekends included.',
  () => 'Has reliable transportation and can start on short notice.',
  (f) => `Open to temp-to-hire roles anywhere in the ${f.city} area.`,
  () => 'Bilingual in English and Spanish, and comfortable leading small crews.',
  () => 'Passed background check and drug screen within the last year.',
]

const QUOTED_EXTRAS: readonly Sentence[] = [
  () => 'Supervisors describe this worker as "on-time, every time."',
  () => 'Known on the floor as "the fixer" for sorting out problems fast.',
  (f) => `A previous client wrote: "Best ${f.role} we have had through the agency, hands down."`,
  () => 'Earned the "Safety First" award, with zero recordable incidents.',
  () => 'Last site lead said: "Shows up early, stays late, and never skips a safety check."',
]

export function buildResume(rng: Rng, facts: ResumeFacts): string {
  const sentences = [rng.pick(INTROS)(facts), rng.pick(SKILL_LINES)(facts)]
  const target = rng.int(2, 4)
  if (sentences.length < target && facts.certifications.length > 0) sentences.push(rng.pick(CERT_LINES)(facts))
  // The quote decision is drawn for every row, whatever `target` is, so the rate holds overall.
  const quoted = rng.chance(RESUME_QUOTE_RATE)
  if (quoted) sentences.push(rng.pick(QUOTED_EXTRAS)(facts))
  for (const extra of sample(rng, PLAIN_EXTRAS, target - sentences.length)) sentences.push(extra(facts))
  const breakAfterIntro = rng.chance(RESUME_NEWLINE_RATE)
  const [intro, ...rest] = sentences
  return breakAfterIntro ? `${intro}\n${rest.join(' ')}` : sentences.join(' ')
}
