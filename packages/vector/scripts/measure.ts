/**
 * A quick measurement, reported rather than asserted (timings on shared 2-core machines vary
 * 2–6×). Usage, one phase per process so RSS figures are independent:
 *
 *   bun scripts/measure.ts vectors [count] [dim]   # random vectors, batches of 1,000
 *   bun scripts/measure.ts text [count]            # embed+add with @lakehouse/embed's local model
 *
 * On Node: `bun build scripts/measure.ts --target=node --external usearch --outfile=measure.tmp.mjs`
 * then `node measure.tmp.mjs …` from this directory. Prints one JSON object.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbedService } from '@lakehouse/embed'
import { createVectorService } from '../src/index.ts'

const [phase = 'vectors', countArg, dimArg] = process.argv.slice(2)
const count = Number(countArg ?? 100_000)
const dim = Number(dimArg ?? 384)
const BATCH = 1000

let seed = 42
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const vector = () => Array.from({ length: dim }, () => rand() * 2 - 1)
const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number

const ROLES = ['electrician', 'forklift driver', 'welder', 'cnc operator', 'picker', 'assembler', 'quality tech', 'machinist']
const CITIES = ['Austin', 'Boston', 'Chicago', 'Denver', 'El Paso', 'Fresno', 'Gary', 'Houston']
const SKILLS = ['osha-30', 'first article', 'bilingual', 'night shift', 'industrial wiring', 'blueprints', 'forklift certified', 'tig']
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T
const workerText = (i: number) =>
  `${pick(ROLES)} in ${pick(CITIES)} with ${pick(SKILLS)} and ${pick(SKILLS)}, ${1 + (i % 20)} years, worker ${i}`

const dir = mkdtempSync(join(tmpdir(), 'vector-measure-'))
const embedService = createEmbedService({})
let embedMs = 0
// Time spent embedding, to separate it from graph inserts in the text phase.
const embedder = {
  defaultModel: embedService.defaultModel,
  async embed(texts: readonly string[], model?: string) {
    const t0 = performance.now()
    try {
      return await embedService.embed(texts, model)
    } finally {
      embedMs += performance.now() - t0
    }
  },
}
const svc = await createVectorService({}, { dir, embedder })
const runtime = process.versions.bun === undefined ? `node ${process.version}` : `bun ${process.versions.bun}`
const model = embedder.defaultModel
const embedDim = Number(/(\d+)$/.exec(model)?.[1] ?? 384)

await svc.create({ name: 'm', dim: phase === 'text' ? embedDim : dim, metric: 'cos' })
const started = performance.now()
for (let start = 0; start < count; start += BATCH) {
  const n = Math.min(BATCH, count - start)
  const items = Array.from({ length: n }, (_, j) =>
    phase === 'text'
      ? { id: `w${start + j}`, text: workerText(start + j), metadata: { city: pick(CITIES) } }
      : { id: `w${start + j}`, vector: vector(), metadata: { city: pick(CITIES) } },
  )
  await svc.add('m', items)
}
const addS = (performance.now() - started) / 1000
const rssAfterAdd = process.memoryUsage().rss
const embedMsDuringAdd = embedMs
const maxRssAfterAdd = process.resourceUsage().maxRSS * 1024

const queries = 1000
const lat: number[] = []
const filtered: number[] = []
for (let q = 0; q < queries; q++) {
  const input = phase === 'text' ? { text: `${pick(ROLES)} ${pick(SKILLS)} ${pick(CITIES)}`, k: 10 } : { vector: vector(), k: 10 }
  let t = performance.now()
  await svc.search('m', input)
  lat.push(performance.now() - t)
  t = performance.now()
  await svc.search('m', { ...input, filter: { city: pick(CITIES) }, excludeIds: ['w1', 'w2'] })
  filtered.push(performance.now() - t)
}
lat.sort((a, b) => a - b)
filtered.sort((a, b) => a - b)

const maxRssBeforeClose = process.resourceUsage().maxRSS * 1024
let t = performance.now()
await svc.close()
const closeMs = performance.now() - t
const diskBytes = readdirSync(join(dir, 'm')).reduce((sum, f) => sum + statSync(join(dir, 'm', f)).size, 0)
const savesDuringRun = svc.stats().saves
t = performance.now()
const reloaded = await createVectorService({}, { dir, embedder })
const loadMs = performance.now() - t
const reloadedSize = reloaded.info('m')?.size
await reloaded.close()
rmSync(dir, { recursive: true, force: true })

process.stdout.write(
  `${JSON.stringify({
    runtime,
    phase,
    count,
    dim: phase === 'text' ? embedDim : dim,
    addSeconds: Number(addS.toFixed(1)),
    perSecond: Math.round(count / addS),
    embedSecondsDuringAdd: Number((embedMsDuringAdd / 1000).toFixed(1)),
    rssAfterAddMB: mb(rssAfterAdd),
    maxRssAfterAddMB: mb(maxRssAfterAdd),
    maxRssAfterSearchMB: mb(maxRssBeforeClose),
    searchP50ms: Number(percentile(lat, 0.5).toFixed(3)),
    searchP99ms: Number(percentile(lat, 0.99).toFixed(3)),
    filteredP50ms: Number(percentile(filtered, 0.5).toFixed(3)),
    filteredP99ms: Number(percentile(filtered, 0.99).toFixed(3)),
    saves: savesDuringRun,
    closeFlushMs: Math.round(closeMs),
    diskMB: mb(diskBytes),
    restartLoadMs: Math.round(loadMs),
    reloadedSize,
  })}\n`,
)
