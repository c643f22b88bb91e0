import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { Ajv, type ErrorObject } from 'ajv'
import picomatch from 'picomatch'
import { parse as parseYaml } from 'yaml'
import { isValidRulePath, mergeRules } from '../diff/index.ts'
import { displayPath } from '../display-path.ts'
import type { CaseStep, CompareRules, MultipartPart, ParityCase, RankedRule, StepBody } from '../model.ts'
import { CASE_LIST_SCHEMA, CASE_SCHEMA } from './case-schema.ts'

/** A problem with the corpus or the selection: the run stops with exit 2 before any request. */
export class CaseConfigError extends Error {
  override readonly name = 'CaseConfigError'
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem(s) in the case corpus:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

export interface CaseSelection {
  /** Directory holding `<component>/*.{json,yaml,yml}`. */
  readonly caseDir: string
  /** Paths in reports are relative to this (the repository root). */
  readonly root: string
  /** Glob matched against case ids and repository-relative file paths. */
  readonly cases?: string
  /** Keep cases carrying any of these tags (empty: all). */
  readonly tags?: readonly string[]
}

// strictRequired off: the one-body-form rule lists properties inside `not`, which ajv's strict mode flags.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
const validateCase = ajv.compile(CASE_SCHEMA)
const validateList = ajv.compile(CASE_LIST_SCHEMA)

type RawRules = {
  ignore?: string[]
  array_keys?: Record<string, string>
  unordered?: string[]
  tolerance?: Record<string, number>
  headers?: Record<string, 'ignore' | 'equal' | 'present'>
  ranked?: RawRanked | RawRanked[]
}
type RawRanked = {
  path: string
  key: string
  score?: string
  k?: number
  min_overlap?: number
  max_displacement?: number
  score_tolerance?: number
}

/** `ranked:` as written (one list or several, snake_case) → array path → RankedRule. */
function rankedRules(raw: RawRanked | RawRanked[]): Record<string, RankedRule> {
  const out: Record<string, RankedRule> = {}
  for (const r of Array.isArray(raw) ? raw : [raw]) {
    out[r.path] = {
      key: r.key,
      ...(r.score === undefined ? {} : { score: r.score }),
      ...(r.k === undefined ? {} : { k: r.k }),
      ...(r.min_overlap === undefined ? {} : { minOverlap: r.min_overlap }),
      ...(r.max_displacement === undefined ? {} : { maxDisplacement: r.max_displacement }),
      ...(r.score_tolerance === undefined ? {} : { scoreTolerance: r.score_tolerance }),
    }
  }
  return out
}
export type RawStep = Record<string, unknown> & { name?: string; method: string; path: string; compare?: RawRules; expect_status?: number }
type RawCase = {
  id: string
  title: string
  component?: string
  tags?: string[]
  setup?: boolean
  noise_check?: boolean
  weight?: number
  compare?: RawRules
  steps: RawStep[]
}

function rules(raw: RawRules | undefined): Partial<CompareRules> {
  if (raw === undefined) return {}
  return {
    ...(raw.ignore === undefined ? {} : { ignore: raw.ignore }),
    ...(raw.array_keys === undefined ? {} : { arrayKeys: raw.array_keys }),
    ...(raw.unordered === undefined ? {} : { unordered: raw.unordered }),
    ...(raw.tolerance === undefined ? {} : { tolerance: raw.tolerance }),
    ...(raw.headers === undefined
      ? {}
      : { headers: Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k.toLowerCase(), v])) }),
    ...(raw.ranked === undefined ? {} : { ranked: rankedRules(raw.ranked) }),
  }
}

export function describeSchemaErrors(file: string, errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''
    const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})` : ''
    return `${file}: ${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? e.keyword}${extra}${allowed}`
  })
}

function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string, depth: number) => {
    if (depth > 8) return
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) walk(p, depth + 1)
      else if (['.json', '.yaml', '.yml'].includes(extname(entry.name))) out.push(p)
    }
  }
  walk(dir, 0)
  return out
}

function stepBody(raw: RawStep, fileDir: string, where: string, problems: string[]): StepBody | undefined {
  const fileAt = (f: string) => {
    const p = resolve(fileDir, f)
    if (!existsSync(p) || !statSync(p).isFile()) problems.push(`${where}: body file ${f} does not exist`)
    return p
  }
  if ('json' in raw) return { json: raw.json }
  if (typeof raw.text === 'string') return { text: raw.text }
  if (typeof raw.file === 'string') return { file: fileAt(raw.file) }
  if (raw.repeat !== undefined) return { repeat: raw.repeat as { text: string; count: number } }
  if (Array.isArray(raw.multipart)) {
    const parts = (raw.multipart as Record<string, string>[]).map(
      (p): MultipartPart => ({
        name: p.name ?? '',
        ...(p.value === undefined ? {} : { value: p.value }),
        ...(p.file === undefined ? {} : { file: fileAt(p.file) }),
        ...(p.filename === undefined ? {} : { filename: p.filename }),
        ...(p.content_type === undefined ? {} : { contentType: p.content_type }),
      }),
    )
    return { multipart: parts }
  }
  return undefined
}

/**
 * One step as written in a file (already checked against STEP_SCHEMA) → the model. Exported
 * for the load generator, whose mix files use this step format: one reader for both.
 */
export function toCaseStep(s: RawStep, index: number, fileDir: string, where: string, problems: string[]): CaseStep {
  const name = s.name ?? `step-${index + 1}`
  const body = stepBody(s, fileDir, `${where} step ${name}`, problems)
  const stepRules = rules(s.compare)
  checkRulePaths(stepRules, `${where} step ${name}`, problems)
  return {
    name,
    method: s.method,
    path: s.path,
    ...(s.query === undefined
      ? {}
      : { query: Object.fromEntries(Object.entries(s.query as Record<string, unknown>).map(([k, v]) => [k, String(v)])) }),
    ...(s.headers === undefined ? {} : { headers: s.headers as Record<string, string> }),
    ...(body === undefined ? {} : { body }),
    ...(s.capture === undefined ? {} : { capture: s.capture as CaseStep['capture'] }),
    ...(s.expect_status === undefined ? {} : { expectStatus: s.expect_status }),
    ...(s.template === false ? { template: false } : {}),
    ...(Object.keys(stepRules).length === 0 ? {} : { compare: stepRules }),
  }
}

function checkRulePaths(r: Partial<CompareRules>, where: string, problems: string[]): void {
  const paths = [
    ...(r.ignore ?? []),
    ...(r.unordered ?? []),
    ...Object.keys(r.arrayKeys ?? {}),
    ...Object.keys(r.tolerance ?? {}),
    ...Object.keys(r.ranked ?? {}),
  ]
  for (const p of paths)
    if (!isValidRulePath(p))
      problems.push(`${where}: ${JSON.stringify(p)} is not a valid rule path ($, .name, ['name'], [0], [*], header:name)`)
}

function toCase(
  raw: RawCase,
  defaults: { component: string; tags: string[]; compare: Partial<CompareRules> },
  file: string,
  fileDir: string,
  problems: string[],
): ParityCase {
  const names = new Set<string>()
  const steps = raw.steps.map((s, i): CaseStep => {
    const step = toCaseStep(s, i, fileDir, `${file}: case ${raw.id}`, problems)
    if (names.has(step.name)) problems.push(`${file}: case ${raw.id} has two steps named ${step.name}`)
    names.add(step.name)
    return step
  })
  checkRulePaths(rules(raw.compare), `${file}: case ${raw.id}`, problems)
  checkRulePaths(defaults.compare, file, problems)
  return {
    id: raw.id,
    title: raw.title,
    component: raw.component ?? defaults.component,
    tags: [...new Set([...defaults.tags, ...(raw.tags ?? [])])],
    file,
    setup: raw.setup ?? false,
    noiseCheck: raw.noise_check ?? true,
    ...(raw.weight === undefined ? {} : { weight: raw.weight }),
    compare: mergeRules(defaults.compare, rules(raw.compare)),
    fileIgnore: [...(defaults.compare.ignore ?? [])].filter((r) => !(raw.compare?.ignore ?? []).includes(r)),
    steps,
  }
}

/**
 * Reads, validates and selects the corpus. Every problem in every file is collected before
 * failing, so one run shows them all. Setup cases come first, then the rest by id.
 */
export function loadCases(selection: CaseSelection): ParityCase[] {
  const dir = resolve(selection.caseDir)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CaseConfigError([`case directory ${dir} does not exist`])
  const problems: string[] = []
  const all: ParityCase[] = []
  for (const path of listFiles(dir)) {
    const file = displayPath(selection.root, path)
    let doc: unknown
    try {
      const text = readFileSync(path, 'utf8')
      doc = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text)
    } catch (e) {
      problems.push(`${file}: cannot parse: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`)
      continue
    }
    // The directory under caseDir names the component unless the file says otherwise.
    const component = relative(dir, dirname(path)).split(/[\\/]/)[0] || basename(path, extname(path))
    if (doc !== null && typeof doc === 'object' && 'cases' in doc) {
      if (!validateList(doc)) {
        problems.push(...describeSchemaErrors(file, validateList.errors))
        continue
      }
      const list = doc as unknown as { component?: string; tags?: string[]; compare?: RawRules; cases: RawCase[] }
      const defaults = { component: list.component ?? component, tags: list.tags ?? [], compare: rules(list.compare) }
      for (const c of list.cases) all.push(toCase(c, defaults, file, dirname(path), problems))
    } else {
      if (!validateCase(doc)) {
        problems.push(...describeSchemaErrors(file, validateCase.errors))
        continue
      }
      all.push(toCase(doc as unknown as RawCase, { component, tags: [], compare: {} }, file, dirname(path), problems))
    }
  }
  const seen = new Map<string, string>()
  for (const c of all) {
    const other = seen.get(c.id)
    if (other !== undefined) problems.push(`case id ${c.id} is defined in both ${other} and ${c.file}`)
    seen.set(c.id, c.file)
  }
  if (problems.length > 0) throw new CaseConfigError(problems)

  const glob = selection.cases === undefined ? undefined : picomatch(selection.cases, { dot: true })
  const tags = selection.tags ?? []
  const chosen = all.filter(
    (c) => (glob === undefined || glob(c.id) || glob(c.file)) && (tags.length === 0 || c.tags.some((t) => tags.includes(t))),
  )
  if (chosen.length === 0)
    throw new CaseConfigError([
      `no case matches the selection (cases: ${selection.cases ?? '*'}, tags: ${tags.join(',') || '*'}) in ${dir}`,
    ])
  // Setup cases a selection depends on are always kept.
  const setup = all.filter((c) => c.setup && !chosen.includes(c))
  return [...setup, ...chosen].sort((a, b) => Number(b.setup) - Number(a.setup) || a.id.localeCompare(b.id))
}
