/**
 * Quick throughput check of the built-in model (not a test, not asserted):
 *   bun packages/embed/scripts/measure-throughput.ts
 *   bun build packages/embed/scripts/measure-throughput.ts --target=node --outfile=/tmp/m.mjs && node /tmp/m.mjs
 * Embeds 10,000 synthetic worker profiles of ≈ 300 characters, five rounds, and prints the
 * best and median vectors per second.
 */
import { createEmbedService } from '../src/index.ts'

const ROLES = ['electrician', 'line cook', 'forklift operator', 'welder', 'warehouse associate', 'CNA', 'plumber', 'HVAC technician']
const SKILLS = [
  'conduit bending',
  'OSHA 30',
  'knife skills',
  'reach truck',
  'TIG welding',
  'pallet jack',
  'patient care',
  'blueprint reading',
  'food safety',
  'inventory',
  'first aid',
  'scissor lift',
  'soldering',
  'MIG welding',
]
const CITIES = ['Chicago, IL', 'Joliet, IL', 'Gary, IN', 'Milwaukee, WI', 'Rockford, IL', 'Aurora, IL']

// A fixed linear congruential sequence, so every run embeds the same texts.
let seed = 12345
const pick = <T>(xs: readonly T[]): T => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return xs[seed % xs.length] as T
}

function profile(i: number): string {
  let text = `Worker ${i}: ${pick(ROLES)} based in ${pick(CITIES)}, ${1 + (i % 20)} years of experience.`
  while (text.length < 300) text += ` Skilled in ${pick(SKILLS)} and ${pick(SKILLS)}; reliable ${pick(ROLES)}.`
  return text.slice(0, 300)
}

const texts = Array.from({ length: 10_000 }, (_, i) => profile(i))
const service = createEmbedService()
const rates: number[] = []
for (let round = 0; round < 5; round++) {
  const started = performance.now()
  for (let i = 0; i < texts.length; i += 256) await service.embed(texts.slice(i, i + 256))
  rates.push(texts.length / ((performance.now() - started) / 1000))
}
rates.sort((a, b) => a - b)
process.stdout.write(
  `${texts.length} texts of ${texts[0]?.length} chars: best ${Math.round(rates[4] ?? 0)} vectors/s, median ${Math.round(rates[2] ?? 0)} vectors/s\n`,
)
await service.close()
