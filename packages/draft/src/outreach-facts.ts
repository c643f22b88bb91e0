import { type JobFacts, jobFacts } from './job-details.ts'
import { firstName, singleLine } from './text.ts'
import type { JobSpec, WorkerProfile } from './types.ts'

/** Everything a message may say, already chosen and single-lined. Empty strings mean "not known". */
export interface OutreachFacts {
  readonly firstName: string
  readonly role: string
  readonly years: number | null
  readonly workerCity: string
  /** At most MAX_SKILLS, most relevant to the job first. */
  readonly skills: readonly string[]
  /** At most MAX_CERTIFICATIONS, most relevant to the job first. */
  readonly certifications: readonly string[]
  readonly job: JobFacts
}

export const MAX_SKILLS = 3
export const MAX_CERTIFICATIONS = 2

/** Lower-case words of 3+ letters or digits, a trailing plural "s" dropped ("forklifts" ~ "forklift"). */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w))
}

/**
 * The `limit` items sharing the most words with the job's title and shift (ties keep the
 * worker's own order, which Array#sort guarantees to be stable since ES2019).
 */
export function mostRelevant(items: readonly string[], jobText: string, limit: number): string[] {
  const wanted = new Set(words(jobText))
  const score = (item: string) => words(item).filter((w) => wanted.has(w)).length
  return items
    .map((item, index) => ({ item: singleLine(item), index, score: score(item) }))
    .filter((x) => x.item !== '')
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((x) => x.item)
}

export function outreachFacts(worker: WorkerProfile, job: JobSpec): OutreachFacts {
  const facts = jobFacts(job)
  const jobText = `${facts.title} ${facts.shift}`
  return {
    firstName: firstName(worker.name),
    role: singleLine(worker.role),
    years: worker.years_experience,
    workerCity: singleLine(worker.city),
    skills: mostRelevant(worker.skills, jobText, MAX_SKILLS),
    certifications: mostRelevant(worker.certifications, jobText, MAX_CERTIFICATIONS),
    job: facts,
  }
}
