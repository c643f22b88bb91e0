import { createHash } from 'node:crypto'
import type { CaseStep, ParityCase } from '@lakehouse/parity'
import type { LoadStep, Mix, Scenario } from '../model.ts'

/**
 * A parity case corpus (hand-written, or recorded by `pnpm parity record` / `import-har`) →
 * a load mix: one scenario per case, weighted by how often recorded traffic had it.
 *
 * Captures are the one thing a mix cannot carry the way parity does. Parity keeps a target's
 * captured values across cases; a load scenario is an independent iteration, so a value can
 * only reach the steps of its own scenario. A case that uses a variable captured by an earlier
 * case is therefore **merged** into that case's scenario, in corpus order: create → get →
 * delete stays one flow, and each iteration creates its own record before reading and
 * deleting it. Its weight is the weight of the scenario's first case (how often the flow was
 * started; the corpus writer never folds the exchanges of a flow, so they weigh 1). A case
 * whose variable no kept earlier case captures cannot be sent and is left out and counted —
 * also when the only capture is in a write left out below.
 *
 * A load run must not create thousands of records by surprise: a case with a step that is not
 * GET, HEAD or OPTIONS is left out unless `writes` is set, and counted.
 */
export interface CorpusMixOptions {
  /** Include cases with POST/PUT/PATCH/DELETE (and any other non-safe) steps. Default false. */
  readonly writes?: boolean
  /** The mix name in reports (default `corpus`). */
  readonly name?: string
  /** Where the corpus came from (repository-relative directory), shown where a mix file would be. */
  readonly file?: string
}

export interface LeftOutCase {
  readonly id: string
  readonly reason: string
}

export interface CorpusMix {
  readonly mix: Mix
  /** Cases merged into an earlier case's scenario (they use a value it captures). */
  readonly merged: number
  /** Cases left out because they write (without `writes`). */
  readonly writes: readonly LeftOutCase[]
  /** Cases left out because a variable they use is captured by no kept earlier case. */
  readonly unresolved: readonly LeftOutCase[]
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s+[^\s{}]+)*)\s*\}\}/g
// The corpus writer titles a recorded case `METHOD target → status` (parity/src/traffic/corpus-writer.ts).
const RECORDED_STATUS = / → ([1-5]\d\d)$/

/** What a step sends that may hold placeholders: not its captures, compare rules or expectations. */
function placeholdersOf(step: CaseStep): { vars: string[]; helpers: string[] } {
  const vars: string[] = []
  const helpers: string[] = []
  if (step.template === false) return { vars, helpers }
  const text = JSON.stringify([step.path, step.query ?? {}, step.headers ?? {}, step.body ?? {}])
  for (const m of text.matchAll(PLACEHOLDER)) ((m[2] ?? '').trim() === '' ? vars : helpers).push(m[0])
  return { vars: vars.map((v) => v.replace(/[{}\s]/g, '')), helpers }
}

function isWrite(c: ParityCase): boolean {
  return c.steps.some((s) => !SAFE_METHODS.has(s.method.toUpperCase()))
}

/**
 * The status a step must answer: its `expect_status`; else, for a one-step recorded case that
 * got something other than 2xx (a 304 to a conditional GET, a 404), the recorded status —
 * replaying what was observed is not a failure; else any 2xx, as in a mix file.
 */
function expectOf(c: ParityCase, step: CaseStep): LoadStep['expect'] {
  if (step.expectStatus !== undefined || c.steps.length !== 1) return { body: [] }
  const recorded = RECORDED_STATUS.exec(c.title)?.[1]
  return recorded === undefined || recorded.startsWith('2') ? { body: [] } : { status: [Number(recorded)], body: [] }
}

function loadStep(c: ParityCase, step: CaseStep, name: string): LoadStep {
  // Compare rules are parity's business; everything the request needs is kept as written.
  const { compare: _compare, ...sent } = step
  return { ...sent, name, expect: expectOf(c, step) }
}

export function corpusMix(cases: readonly ParityCase[], options: CorpusMixOptions = {}): CorpusMix {
  const writes: LeftOutCase[] = []
  const unresolved: LeftOutCase[] = []
  const kept: ParityCase[] = []
  // Union-find over kept cases: a case joins the scenario of every case it takes a value from.
  const parent: number[] = []
  const find = (i: number): number => {
    let r = i
    while (parent[r] !== r) r = parent[r] as number
    parent[i] = r
    return r
  }
  const capturedBy = new Map<string, number>()
  const capturedByWrite = new Map<string, string>()

  for (const c of cases) {
    if (options.writes !== true && isWrite(c)) {
      writes.push({ id: c.id, reason: `${c.steps.map((s) => s.method.toUpperCase()).join(', ')}` })
      for (const s of c.steps) for (const v of Object.keys(s.capture ?? {})) capturedByWrite.set(v, c.id)
      continue
    }
    const own = new Set<string>()
    const providers = new Set<number>()
    let problem: string | undefined
    for (const s of c.steps) {
      const { vars, helpers } = placeholdersOf(s)
      // Parity sends `{{a b}}` as text; load would call a helper: neither is what was recorded.
      if (helpers.length > 0) problem ??= `${helpers[0]} is a helper call, which parity sends as text`
      for (const v of vars) {
        if (own.has(v)) continue
        const from = capturedBy.get(v)
        if (from !== undefined) providers.add(from)
        else {
          const write = capturedByWrite.get(v)
          problem ??=
            write === undefined
              ? `{{${v}}} is captured by no earlier case`
              : `{{${v}}} is captured only by ${write}, a write left out (--corpus-writes includes it)`
        }
      }
      for (const v of Object.keys(s.capture ?? {})) own.add(v)
    }
    if (problem !== undefined) {
      unresolved.push({ id: c.id, reason: problem })
      continue
    }
    const i = kept.length
    kept.push(c)
    parent.push(i)
    for (const p of providers) parent[find(p)] = find(i)
    for (const v of own) capturedBy.set(v, i)
  }

  // Group in corpus order: a scenario is named after, and weighted by, its first case.
  const groups = new Map<number, ParityCase[]>()
  for (const [i, c] of kept.entries()) {
    const root = find(i)
    const g = groups.get(root)
    if (g === undefined) groups.set(root, [c])
    else g.push(c)
  }
  const scenarios: Scenario[] = [...groups.values()].map((g) => {
    const first = g[0] as ParityCase
    return {
      name: first.id,
      weight: first.weight ?? 1,
      vars: {},
      steps: g.flatMap((c) => c.steps.map((s) => loadStep(c, s, g.length === 1 ? s.name : `${c.id}/${s.name}`))),
      thresholds: [],
    }
  })
  const name = options.name ?? 'corpus'
  const description = `${cases.length} corpus cases → ${scenarios.length} scenarios (${kept.length - scenarios.length} merged into flows, ${writes.length} writes left out, ${unresolved.length} with an uncaptured variable left out)`
  return {
    mix: {
      name,
      description,
      file: options.file ?? name,
      // No file of its own: the scenarios as built identify "the same mix" for compare and merge.
      sha256: createHash('sha256').update(JSON.stringify(scenarios)).digest('hex'),
      requires: { corpus: false },
      pools: {},
      scenarios,
    },
    merged: kept.length - scenarios.length,
    writes,
    unresolved,
  }
}

/** The mix alone; `corpusMix` also says what was merged and left out. */
export function mixFromCorpus(cases: readonly ParityCase[], options: CorpusMixOptions = {}): Mix {
  return corpusMix(cases, options).mix
}
