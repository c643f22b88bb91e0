/**
 * Status line and headers. Header names compare case-insensitively (RFC 9110 §5.1); each
 * header follows its rule: `ignore`, `present` (presence only) or `equal` (presence and value).
 */
import type { Finding, Observed } from '../model.ts'
import { makeFinding, onEach, shapeOf, type TargetNames } from './findings.ts'
import type { CompiledRules } from './rules.ts'

const CONTENT_TYPE = 'content-type'

export function compareStatus(baseline: number, candidate: number, names: TargetNames): Finding[] {
  if (baseline === candidate) return []
  return [
    makeFinding({
      class: 'status',
      risk: 'breaking',
      path: 'status',
      baseline,
      candidate,
      shape: shapeOf(String(baseline), String(candidate)),
      message: onEach(names, `status ${baseline}`, `status ${candidate}`),
    }),
  ]
}

/** Observed headers are lower-case already; lower-case again so hand-built inputs behave the same. */
function lowerCased(headers: Observed['headers']): Map<string, string> {
  const out = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    const key = name.trim().toLowerCase()
    const seen = out.get(key)
    // Repeated headers are joined with ", " (RFC 9110 §5.3), as Observed already does.
    out.set(key, seen === undefined ? value : `${seen}, ${value}`)
  }
  return out
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value
}

/**
 * `Application/JSON;charset="UTF-8"` → `application/json;charset=utf-8`: type, subtype and
 * parameter names are case-insensitive (RFC 9110 §8.3.1) and charset values are too; quoting
 * and whitespace around `;` and `=` carry no meaning. Parameters are sorted since order does not matter.
 */
export function normalizeMediaType(value: string): string {
  const [type = '', ...params] = value.split(';')
  const normalized = params
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      if (eq < 0) return p.toLowerCase()
      return `${p.slice(0, eq).trim().toLowerCase()}=${unquote(p.slice(eq + 1).trim()).toLowerCase()}`
    })
    .sort()
  return [type.trim().toLowerCase(), ...normalized].join(';')
}

export function sameHeaderValue(name: string, baseline: string, candidate: string): boolean {
  if (baseline === candidate) return true
  return name === CONTENT_TYPE && normalizeMediaType(baseline) === normalizeMediaType(candidate)
}

/** Findings for headers, by header name, so their order does not depend on arrival order. */
export function compareHeaders(
  baseline: Observed['headers'],
  candidate: Observed['headers'],
  rules: CompiledRules,
  names: TargetNames,
): Finding[] {
  const a = lowerCased(baseline)
  const b = lowerCased(candidate)
  const all = [...new Set([...a.keys(), ...b.keys()])].sort()
  const findings: Finding[] = []
  for (const name of all) {
    const rule = rules.headerRule(name)
    if (rule === 'ignore') continue
    const va = a.get(name)
    const vb = b.get(name)
    const path = `header:${name}`
    // A parser picks its decoder from content-type, so any change to it can break a caller.
    const severe = name === CONTENT_TYPE ? 'breaking' : 'medium'
    if (vb === undefined && va !== undefined) {
      const message = `header ${name} ${onEach(names, 'present', 'absent')}`
      findings.push(makeFinding({ class: 'header', risk: severe, path, baseline: va, shape: shapeOf('present', 'absent'), message }))
    } else if (va === undefined && vb !== undefined) {
      const message = `header ${name} ${onEach(names, 'absent', 'present')}`
      findings.push(makeFinding({ class: 'header', risk: 'additive', path, candidate: vb, shape: shapeOf('absent', 'present'), message }))
    } else if (va !== undefined && vb !== undefined && rule === 'equal' && !sameHeaderValue(name, va, vb)) {
      const message = `header ${name} ${onEach(names, JSON.stringify(va), JSON.stringify(vb))}`
      findings.push(makeFinding({ class: 'header', risk: severe, path, baseline: va, candidate: vb, shape: 'value', message }))
    }
  }
  return findings
}
