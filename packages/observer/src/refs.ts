import type { ProblemEntry } from '@lakehouse/kit'
import { memberPath, quoteCallerText } from '@lakehouse/kit'
import { entry, isObject } from './entries.ts'

/**
 * `{"$from": "<node id>", "path": "rows.0.1"}` anywhere in a node's input stands for that
 * upstream node's output at the dotted path (no path: the whole output). Numeric segments
 * index arrays; on objects every segment is a member name.
 */
export const REF_KEY = '$from'
const REF_MEMBERS = [REF_KEY, 'path']
const MAX_PATH_CHARS = 1024

export interface RefSite {
  readonly from: string
  readonly path: string | undefined
  /** Where the ref sits, e.g. `$.nodes[2].input.texts[0]`. */
  readonly field: string
}

function isRef(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.hasOwn(value, REF_KEY)
}

function segments(path: string | undefined): string[] {
  return path === undefined ? [] : path.split('.')
}

/** Every ref in `value`; malformed refs become entries in `out` instead. */
export function collectRefs(value: unknown, at: string, out: ProblemEntry[], found: RefSite[] = []): RefSite[] {
  if (isRef(value)) {
    const { $from: from, path } = value
    const problems: string[] = []
    if (typeof from !== 'string' || from === '') problems.push(`${memberPath(at, REF_KEY)} must be a node id`)
    if (path !== undefined && (typeof path !== 'string' || path.length > MAX_PATH_CHARS || segments(path).some((s) => s === ''))) {
      problems.push(`${at}.path must be a dotted path such as "rows.0.name" (non-empty segments, at most ${MAX_PATH_CHARS} characters)`)
    }
    for (const k of Object.keys(value)) {
      if (!REF_MEMBERS.includes(k)) problems.push(`${memberPath(at, k)} is not allowed in a reference (only $from and path)`)
    }
    for (const message of problems) out.push(entry('reference', at, 'malformed_ref', message))
    if (problems.length === 0) found.push({ from: from as string, path: path as string | undefined, field: at })
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectRefs(v, `${at}[${i}]`, out, found)
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) collectRefs(v, memberPath(at, k), out, found)
  }
  return found
}

export class UnresolvedRef {
  constructor(
    readonly from: string,
    readonly path: string,
    readonly field: string,
  ) {}
}

function follow(output: unknown, path: string | undefined): { found: boolean; value: unknown } {
  let current = output
  for (const seg of segments(path)) {
    if (Array.isArray(current) && /^\d+$/.test(seg) && Number(seg) < current.length) current = current[Number(seg)]
    else if (isObject(current) && Object.hasOwn(current, seg)) current = current[seg]
    else return { found: false, value: undefined }
  }
  return { found: true, value: current }
}

/**
 * A copy of `value` with every ref replaced by the upstream output it names. Throws
 * UnresolvedRef for the first path that does not resolve (or an upstream without output).
 */
export function resolveRefs(value: unknown, outputs: ReadonlyMap<string, unknown>, at: string): unknown {
  if (isRef(value)) {
    const from = value[REF_KEY] as string
    const path = value.path as string | undefined
    const hit = outputs.has(from) ? follow(outputs.get(from), path) : { found: false, value: undefined }
    if (!hit.found) throw new UnresolvedRef(from, path ?? '', at)
    return hit.value
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveRefs(v, outputs, `${at}[${i}]`))
  if (isObject(value)) {
    // fromEntries defines own members, so a JSON key "__proto__" stays data, never a prototype.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, outputs, memberPath(at, k))]))
  }
  return value
}

export function describeUnresolved(ref: UnresolvedRef): string {
  return `${ref.field}: path ${quoteCallerText(ref.path)} does not resolve in the output of node ${quoteCallerText(ref.from)}`
}
