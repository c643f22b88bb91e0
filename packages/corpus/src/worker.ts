import type { WorkerRow } from './columns.ts'
import { FIRST_NAMES, LAST_NAMES, MIDDLE_INITIALS } from './names.ts'
import { type CorpusOptionsInput, resolveCorpusOptions } from './options.ts'
import { PLACES } from './places.ts'
import { createRng, createWeightedPicker, type Rng, sample } from './prng.ts'
import { buildResume } from './resume.ts'
import { ROLE_SPECS } from './roles.ts'

/**
 * Worker rows, one PRNG stream per seed. Each row draws the same sequence of values whatever
 * the total, so the first N rows of a larger corpus equal an N-row corpus (ids aside once the
 * id width grows, see `workerId`). Change the order or number of draws and every seed's output
 * changes: the determinism tests pin a hash for exactly that reason.
 */

const pickPlace = createWeightedPicker(PLACES.map((place) => [place, place.weight] as const))
const pickRole = createWeightedPicker(ROLE_SPECS.map((spec) => [spec, spec.weight] as const))
// 0 certifications 20%, 1 40%, 2 30%, 3 10%; capped by the role's pool.
const pickCertCount = createWeightedPicker<number>([
  [0, 2],
  [1, 4],
  [2, 3],
  [3, 1],
])
// Hyphenated 50%, parenthesised 30%, international 20%: the spellings recruiters paste.
const pickPhoneFormat = createWeightedPicker<(area: string, line: string) => string>([
  [(area, line) => `${area}-555-${line}`, 5],
  [(area, line) => `(${area}) 555-${line}`, 3],
  [(area, line) => `+1 ${area} 555 ${line}`, 2],
])

export const MIN_ID_DIGITS = 6

/**
 * `W-000001`…: zero-padded to six digits, or to the width of `rows` when larger, so plain
 * string order is numeric order within one file.
 */
export function workerId(index: number, rows: number): string {
  return `W-${String(index).padStart(Math.max(MIN_ID_DIGITS, String(rows).length), '0')}`
}

const emailPart = (name: string): string => name.toLowerCase().replace(/[^a-z]/g, '')

/** Skewed low (minimum of two uniforms): most of a staffing bench is early-career. */
function drawYears(rng: Rng): number {
  return Math.floor(36 * Math.min(rng.float(), rng.float()))
}

/** Hundredths in [50, 100], skewed high (mean ≈ 0.83): agencies keep the reliable ones. */
function drawReliabilityHundredths(rng: Rng): number {
  const u = rng.float()
  return 100 - Math.floor(51 * u * u)
}

function drawWorker(rng: Rng, index: number, rows: number): WorkerRow {
  const place = pickPlace(rng)
  const spec = pickRole(rng)
  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  const middle = rng.chance(0.08) ? ` ${rng.pick(MIDDLE_INITIALS)}.` : ''
  const area = rng.pick(place.areaCodes)
  const line = String(rng.int(0, 9999)).padStart(4, '0')
  const phone = pickPhoneFormat(rng)(area, line)
  const skills = sample(rng, spec.skills, rng.int(3, 6))
  const certifications = sample(rng, spec.certifications, pickCertCount(rng))
  const years = drawYears(rng)
  const reliability = drawReliabilityHundredths(rng)
  const setting = rng.pick(spec.settings)
  const resume = buildResume(rng, { role: spec.role, city: place.city, state: place.state, years, setting, skills, certifications })
  return {
    worker_id: workerId(index, rows),
    name: `${first}${middle} ${last}`,
    // The row number makes every address unique even when names repeat.
    email: `${emailPart(first)}.${emailPart(last)}${index}@example.com`,
    phone,
    role: spec.role,
    city: place.city,
    state: place.state,
    skills,
    certifications,
    years_experience: years,
    reliability_score: reliability / 100,
    resume_text: resume,
  }
}

/**
 * Lazily yields `rows` workers; nothing is retained between rows. Options are validated here,
 * at call time, not on the first `next()`, so a bad `rows` fails before any output exists.
 */
export function generateWorkerRows(options?: CorpusOptionsInput): Generator<WorkerRow, void, undefined> {
  const { rows, seed } = resolveCorpusOptions(options)
  return drawWorkers(createRng(seed), rows)
}

function* drawWorkers(rng: Rng, rows: number): Generator<WorkerRow, void, undefined> {
  for (let index = 1; index <= rows; index++) yield drawWorker(rng, index, rows)
}
