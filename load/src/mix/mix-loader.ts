import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, resolve } from 'node:path'
import { describeSchemaErrors, displayPath, type RawStep, toCaseStep } from '@lakehouse/parity'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'
import type { BodyAssertion, LoadStep, Mix, Scenario, StepExpect, Threshold } from '../model.ts'
import { HELPER_NAMES, ITERATION_VAR } from './helpers.ts'
import { MIX_SCHEMA } from './mix-schema.ts'
import { parseThreshold } from './thresholds.ts'

/** Problems with a mix file: the run stops with exit 2 before any request, listing all of them. */
export class MixConfigError extends Error {
  override readonly name = 'MixConfigError'
  readonly code = 'LOAD_MIX_INVALID'
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem(s) in the mix:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
const validateMix = ajv.compile(MIX_SCHEMA)

type RawAssertion = Record<string, unknown> & { path: string }
type RawLoadStep = RawStep & { expect?: { status?: number | number[]; headers?: Record<string, string>; body?: RawAssertion[] } }
interface RawScenario {
  name: string
  weight: number
  vars?: Record<string, unknown>
  thresholds?: string[]
  steps: RawLoadStep[]
}
interface RawMix {
  name: string
  description?: string
  requires?: { corpus?: boolean }
  pools?: Record<string, unknown[]>
  thresholds?: string[]
  scenarios: RawScenario[]
}

/** The path grammar of captures and assertions: parity's reader plus `[*]`. */
const READ_PATH = /^\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\['(?:[^'\\]|\\.)*'\]|\[\*\]|\[\?\(@\.[A-Za-z_][A-Za-z0-9_]*=='(?:[^'\\]|\\.)*'\)\])*$/
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s+[^\s{}]+)*)\s*\}\}/g

function placeholders(value: unknown, out: { name: string; args: string[] }[] = []): { name: string; args: string[] }[] {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) out.push({ name: m[1] ?? '', args: (m[2] ?? '').trim().split(/\s+/).filter(Boolean) })
  } else if (Array.isArray(value)) for (const v of value) placeholders(v, out)
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) placeholders(v, out)
  return out
}

function checkPlaceholders(
  value: unknown,
  known: ReadonlySet<string>,
  pools: Readonly<Record<string, unknown>>,
  where: string,
  problems: string[],
): void {
  for (const p of placeholders(value)) {
    if (p.args.length === 0) {
      if (!known.has(p.name)) problems.push(`${where}: {{${p.name}}} is not a scenario var, an earlier capture or ${ITERATION_VAR}`)
      continue
    }
    if (!HELPER_NAMES.includes(p.name)) {
      problems.push(`${where}: {{${p.name} ${p.args.join(' ')}}}: ${p.name} is not a helper (${HELPER_NAMES.join(', ')})`)
    } else if (p.name === 'pick' && (p.args.length !== 1 || !Object.hasOwn(pools, p.args[0] ?? ''))) {
      problems.push(`${where}: {{pick ${p.args.join(' ')}}} names no pool (pools: ${Object.keys(pools).join(', ') || 'none'})`)
    } else if (
      p.name === 'int' &&
      (p.args.length !== 2 || !p.args.every((a) => /^-?\d+$/.test(a)) || Number(p.args[0]) > Number(p.args[1]))
    ) {
      problems.push(`${where}: {{int ${p.args.join(' ')}}} needs two integers, min ≤ max`)
    }
  }
}

function toAssertion(raw: RawAssertion, where: string, problems: string[]): BodyAssertion | undefined {
  // A path may name a captured value (`[?(@.id=='{{chosen}}')]`), filled in before reading.
  if (!READ_PATH.test(raw.path.replace(PLACEHOLDER, 'x')))
    problems.push(`${where}: ${JSON.stringify(raw.path)} is not a path ($, .name, [0], ['name'], [*], [?(@.id=='x')])`)
  const op = Object.keys(raw).find((k) => k !== 'path')
  if (op === undefined) return undefined
  if (op === 'matches') {
    try {
      new RegExp(String(raw.matches))
    } catch (e) {
      problems.push(`${where}: matches ${JSON.stringify(raw.matches)} is not a regular expression (${(e as Error).message})`)
    }
  }
  if (op === 'exists' || op === 'not_empty') return { path: raw.path, op }
  return { path: raw.path, op, value: raw[op] } as BodyAssertion
}

function toExpect(raw: RawLoadStep, where: string, problems: string[]): StepExpect {
  const e = raw.expect ?? {}
  const status = e.status === undefined ? undefined : Array.isArray(e.status) ? e.status : [e.status]
  return {
    ...(status === undefined ? {} : { status }),
    ...(e.headers === undefined ? {} : { headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v])) }),
    body: (e.body ?? []).flatMap((a, i) => toAssertion(a, `${where} expect.body[${i}]`, problems) ?? []),
  }
}

function toScenario(raw: RawScenario, idx: number, file: string, fileDir: string, mix: RawMix, problems: string[]): Scenario {
  const where = `${file}: scenarios[${idx}] (${raw.name})`
  const pools = mix.pools ?? {}
  const thresholds: Threshold[] = []
  for (const [i, t] of [...(mix.thresholds ?? []), ...(raw.thresholds ?? [])].entries()) {
    try {
      thresholds.push(parseThreshold(t))
    } catch (e) {
      problems.push(`${where} thresholds[${i}]: ${(e as Error).message}`)
    }
  }
  const known = new Set<string>([ITERATION_VAR])
  for (const [name, value] of Object.entries(raw.vars ?? {})) {
    checkPlaceholders(value, known, pools, `${where} vars.${name}`, problems)
    known.add(name)
  }
  const names = new Set<string>()
  const steps = raw.steps.map((s, i): LoadStep => {
    const stepWhere = `${where} steps[${i}]`
    const base = toCaseStep(s, i, fileDir, where, problems)
    if (names.has(base.name)) problems.push(`${where}: two steps are named ${base.name}`)
    names.add(base.name)
    if (s.template !== false) {
      const { expect: _e, capture: _c, compare: _r, ...sent } = s
      checkPlaceholders(sent, known, pools, stepWhere, problems)
    }
    for (const [name, c] of Object.entries(base.capture ?? {})) {
      if (c.from === 'body' && (c.path === undefined || !READ_PATH.test(c.path)))
        problems.push(`${stepWhere} capture.${name}: a body capture needs a path ($, .name, [0], ['name'], [*])`)
      if (c.from === 'header' && c.path === undefined)
        problems.push(`${stepWhere} capture.${name}: a header capture needs the header name as path`)
    }
    // Captures are visible to this step's own assertions and to later steps.
    for (const name of Object.keys(base.capture ?? {})) known.add(name)
    checkPlaceholders(s.expect ?? {}, known, pools, `${stepWhere} expect`, problems)
    return { ...base, expect: toExpect(s, stepWhere, problems) }
  })
  return { name: raw.name, weight: raw.weight, vars: raw.vars ?? {}, steps, thresholds }
}

/** Reads and checks a mix file; every problem in it is collected before failing. */
export function loadMix(path: string, root: string): Mix {
  const abs = resolve(path)
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new MixConfigError([`mix file ${abs} does not exist`])
  const file = displayPath(root, abs)
  const bytes = readFileSync(abs)
  let doc: unknown
  try {
    const text = bytes.toString('utf8')
    doc = extname(abs) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    throw new MixConfigError([`${file}: cannot parse: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`])
  }
  if (!validateMix(doc)) throw new MixConfigError(describeSchemaErrors(file, validateMix.errors))
  const raw = doc as unknown as RawMix
  const problems: string[] = []
  const seen = new Set<string>()
  for (const s of raw.scenarios) {
    if (seen.has(s.name)) problems.push(`${file}: two scenarios are named ${s.name}`)
    seen.add(s.name)
  }
  const scenarios = raw.scenarios.map((s, i) => toScenario(s, i, file, dirname(abs), raw, problems))
  if (problems.length > 0) throw new MixConfigError(problems)
  return {
    name: raw.name,
    description: raw.description ?? '',
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    requires: { corpus: raw.requires?.corpus ?? false },
    pools: raw.pools ?? {},
    scenarios,
  }
}
